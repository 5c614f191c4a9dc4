import type { LintResult } from '../engine/results.js';
import { escapeControl } from './escape.js';
import { json } from './json.js';
import { stylish } from './stylish.js';
import type { Reporter, ReporterContext } from './types.js';

/**
 * The formats, and how each must be protected from hostile text in manifests:
 * - `text` formats are read by people in terminals and CI logs: every string of the results is passed through
 *   escapeControl before the reporter sees it, so no manifest can move the cursor, colour the log or forge a line;
 * - `data` formats are serialised with JSON.stringify, which escapes whatever the text holds.
 */
const REPORTERS: Readonly<Record<string, { render: Reporter; output: 'text' | 'data' }>> = {
  stylish: { render: stylish, output: 'text' },
  json: { render: json, output: 'data' },
};

export const FORMAT_NAMES = Object.keys(REPORTERS);

export function isFormat(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(REPORTERS, name);
}

export function formatResults(format: string, results: readonly LintResult[], context: ReporterContext): string {
  const reporter = REPORTERS[format];
  if (!reporter) throw new Error(`unknown format "${format}"`);
  const safe = reporter.output === 'text' ? results.map((r) => deepEscape(r)) : results;
  return reporter.render(safe, context);
}

function deepEscape<T>(value: T): T {
  if (typeof value === 'string') return escapeControl(value) as T;
  if (Array.isArray(value)) return value.map((v) => deepEscape(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = deepEscape(v);
    return out as T;
  }
  return value;
}
