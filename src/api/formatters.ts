import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findRepositoryRoot } from '../engine/context.js';
import type { RuleModule } from '../engine/rule.js';
import { UsageError } from '../loader/read-inputs.js';
import { FORMAT_NAMES, formatResults, isFormat } from '../reporters/index.js';
import type { ReporterContext, RuleInfo } from '../reporters/types.js';
import { allRules } from '../rules/index.js';
import { VERSION } from '../version.js';
import type { LintRun } from './kubewire.js';

export interface FormatOptions {
  /** ANSI colours in `stylish` (default off). */
  color?: boolean;
  /** SARIF `automationDetails.id`, to tell several uploads of one commit apart (e.g. `kubewire/prod/`). */
  sarifCategory?: string;
  /**
   * The directory paths in SARIF and annotations are relative to (GitHub's checkout, `GITHUB_WORKSPACE`).
   * Default: the nearest directory above the run's working directory that holds `.git`, else that directory.
   */
  sourceRoot?: string;
}

/** A reporter, ESLint's LoadedFormatter: a run in, the report's text out. */
export interface Formatter {
  readonly name: string;
  format(run: LintRun, options?: FormatOptions): string;
}

export const FORMATTER_NAMES: readonly string[] = FORMAT_NAMES;

/**
 * The reporter of a format. Text from manifests is escaped centrally by the format's output kind (see
 * src/reporters/index.ts) before the reporter sees it.
 */
export function loadFormatter(name: string, rules: readonly RuleModule[] = allRules): Formatter {
  if (!isFormat(name)) throw new UsageError(`unknown format "${name}" (available: ${FORMAT_NAMES.join(', ')})`);
  const infos = ruleInfos(rules);
  return {
    name,
    format(run, options = {}) {
      const context: ReporterContext = {
        color: options.color ?? false,
        sourceOf: run.sourceOf,
        rules: infos,
        cwd: run.cwd,
        sourceRoot: options.sourceRoot !== undefined ? path.resolve(run.cwd, options.sourceRoot) : repositoryRoot(run.cwd),
        tool: { name: 'kubewire', version: VERSION, informationUri: 'https://github.com/kubewire/kubewire' },
        ...(options.sarifCategory !== undefined ? { sarifCategory: options.sarifCategory } : {}),
      };
      return formatResults(name, run.results, context);
    },
  };
}

/** The nearest directory at or above `cwd` with a `.git` (a directory, or a file in a worktree), else `cwd`. */
export function repositoryRoot(cwd: string): string {
  return findRepositoryRoot(cwd) ?? path.resolve(cwd);
}

/** The page of each rule, `rules-docs/<id>.md` of the installed package (it is in package.json `files`). */
const RULES_DOCS = new URL('../../rules-docs/', import.meta.url);

function readRuleDocs(id: string): string | undefined {
  try {
    return readFileSync(new URL(`${id}.md`, RULES_DOCS), 'utf8');
  } catch {
    return undefined;
  }
}

export function ruleInfos(rules: readonly RuleModule[]): Record<string, RuleInfo> {
  const docs = new Map<string, string | undefined>();
  return Object.fromEntries(
    rules.map((r): [string, RuleInfo] => [
      r.name,
      {
        description: r.meta.docs.description,
        url: r.meta.docs.url,
        defaultSeverity: r.meta.defaultSeverity,
        type: r.meta.type,
        fatal: r.meta.fatal === true,
        // Read on first use: only SARIF needs the pages.
        get docsMarkdown() {
          if (!docs.has(r.name)) docs.set(r.name, readRuleDocs(r.name));
          return docs.get(r.name);
        },
      },
    ]),
  );
}
