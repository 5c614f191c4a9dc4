import type { LintResult } from '../engine/results.js';
import type { SourceFile } from '../loader/source.js';

export interface RuleInfo {
  description: string;
  url: string;
  defaultSeverity: 'warn' | 'error';
  /** ESLint's rule type: `problem`, `suggestion` or `layout`. */
  type?: 'problem' | 'suggestion' | 'layout';
  /** Findings of the rule mean an input could not be read or parsed. */
  fatal?: boolean;
  /** The rule's docs page (rules-docs/<id>.md), when the package holds it. */
  docsMarkdown?: string | undefined;
}

/** What a reporter may know besides the results. Reporters are pure: same input, same text. */
export interface ReporterContext {
  color: boolean;
  /** The text of an input file, for code frames. */
  sourceOf: (filePath: string) => SourceFile | undefined;
  rules: Readonly<Record<string, RuleInfo>>;
  /** The working directory the results' paths are relative to. */
  cwd?: string;
  /**
   * The root of the repository (the nearest directory above `cwd` with a `.git`, else `cwd`): code scanning
   * and annotations place files by their path from there.
   */
  sourceRoot?: string;
  tool?: { name: string; version: string; informationUri: string };
  /** SARIF `automationDetails.id`. */
  sarifCategory?: string;
}

export type Reporter = (results: readonly LintResult[], context: ReporterContext) => string;
