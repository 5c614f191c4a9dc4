import type { LintMessage, LintResult } from '../engine/results.js';
import { codeFrame } from './code-frame.js';
import type { Reporter, ReporterContext } from './types.js';

const ANSI = { red: 31, yellow: 33, dim: 2, bold: 1, underline: 4, cyan: 36 } as const;

function painter(enabled: boolean) {
  return (code: keyof typeof ANSI) => (s: string) => (enabled ? `\u001b[${ANSI[code]}m${s}\u001b[0m` : s);
}

/**
 * Human output: one block per finding with `file:line:col`, severity, rule id, the message, a code frame, and
 * the related places; then a summary line. Like ESLint's stylish, with the code frames of its `codeframe`.
 */
export const stylish: Reporter = (results, context) => {
  const paint = painter(context.color);
  const out: string[] = [];
  let errors = 0;
  let warnings = 0;
  for (const result of results) {
    errors += result.errorCount;
    warnings += result.warningCount;
    for (const message of result.messages) out.push(renderMessage(result, message, context, paint));
  }
  const total = errors + warnings;
  if (total === 0) return '';
  const summary = `${total} problem${total === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'})`;
  out.push(paint(errors > 0 ? 'red' : 'yellow')(paint('bold')(`✖ ${summary}`)));
  return `${out.join('\n\n')}\n`;
};

function renderMessage(result: LintResult, message: LintMessage, context: ReporterContext, paint: ReturnType<typeof painter>): string {
  const severity = message.severity === 2 ? paint('red')('error') : paint('yellow')('warning');
  const lines = [
    `${paint('underline')(`${result.filePath}:${message.line}:${message.column}`)}  ${severity}  ${paint('dim')(message.ruleId)}`,
  ];
  lines.push(`  ${message.message}`);
  const source = context.sourceOf(result.filePath);
  if (source && message.line <= source.lineCount) {
    lines.push(codeFrame(source, message, { marker: paint(message.severity === 2 ? 'red' : 'yellow'), gutter: paint('dim') }));
  }
  for (const related of message.related ?? []) {
    lines.push(`  ${paint('cyan')('↳')} ${related.filePath}:${related.line}:${related.column}  ${related.message}`);
  }
  const url = context.rules[message.ruleId]?.url;
  if (url) lines.push(`  ${paint('dim')(`docs: ${url}`)}`);
  return lines.join('\n');
}
