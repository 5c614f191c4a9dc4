import type { LintResult } from '../engine/results.js';
import { escapeControl, escapeWorkflowCommandData } from './escape.js';
import { github } from './github.js';
import { json } from './json.js';
import { sarif } from './sarif.js';
import { stylish } from './stylish.js';
import type { Reporter, ReporterContext } from './types.js';

/**
 * What a format writes, which decides how hostile text from manifests (names, labels, values quoted in
 * messages) is made harmless. The escaper of the kind is applied here, to every string of the results, before
 * the reporter sees them: a new format declares its kind and is safe by construction.
 * - `text`: read by people in terminals and CI logs; control characters are shown as `\n`, `\e`, `\u202e`, so
 *   no manifest can move the cursor, colour the log, forge a line or reorder text;
 * - `data`: JSON, SARIF; the serialiser (JSON.stringify) escapes whatever the text holds, and the exact text is
 *   kept for the programs that read it;
 * - `workflow-command`: GitHub annotations (`::error file=…::message`), one command per line; like `text`, plus
 *   `%` encoded. Property values (`file=`, `title=`) must also go through escapeWorkflowCommandProperty.
 */
export type OutputKind = 'text' | 'data' | 'workflow-command';

const ESCAPERS: Readonly<Record<OutputKind, ((text: string) => string) | undefined>> = {
  text: escapeControl,
  data: undefined,
  'workflow-command': escapeWorkflowCommandData,
};

const REPORTERS: Readonly<Record<string, { render: Reporter; output: OutputKind }>> = {
  stylish: { render: stylish, output: 'text' },
  json: { render: json, output: 'data' },
  sarif: { render: sarif, output: 'data' },
  github: { render: github, output: 'workflow-command' },
};

export const FORMAT_NAMES = Object.keys(REPORTERS);

export function isFormat(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(REPORTERS, name);
}

/** The output kind of a format, so tests can hold every format, present and future, to its kind's guarantees. */
export function outputKindOf(format: string): OutputKind | undefined {
  return isFormat(format) ? REPORTERS[format]!.output : undefined;
}

export function formatResults(format: string, results: readonly LintResult[], context: ReporterContext): string {
  if (!isFormat(format)) throw new Error(`unknown format "${format}"`);
  const reporter = REPORTERS[format]!;
  const escape = ESCAPERS[reporter.output];
  if (!escape) return reporter.render(results, context);
  const safe = results.map((r) => deepEscape(r, escape));
  // Code frames need the source by its real path, which escaping may have changed (a file name with a newline).
  const realPath = new Map(safe.map((r, i) => [r.filePath, results[i]!.filePath]));
  return reporter.render(safe, { ...context, sourceOf: (p) => context.sourceOf(realPath.get(p) ?? p) });
}

function deepEscape<T>(value: T, escape: (text: string) => string): T {
  if (typeof value === 'string') return escape(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => deepEscape(v, escape)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = deepEscape(v, escape);
    return out as T;
  }
  return value;
}
