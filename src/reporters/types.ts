import type { LintResult } from '../engine/results.js';
import type { SourceFile } from '../loader/source.js';

export interface RuleInfo {
  description: string;
  url: string;
  defaultSeverity: 'warn' | 'error';
}

/** What a reporter may know besides the results. Reporters are pure: same input, same text. */
export interface ReporterContext {
  color: boolean;
  /** The text of an input file, for code frames. */
  sourceOf: (filePath: string) => SourceFile | undefined;
  rules: Readonly<Record<string, RuleInfo>>;
}

export type Reporter = (results: readonly LintResult[], context: ReporterContext) => string;
