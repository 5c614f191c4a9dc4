import type { SourceFile } from '../loader/source.js';
import { escapeSourceLine } from './escape.js';

const CONTEXT_LINES = 2;
const MAX_LINE_WIDTH = 160;

/** A few lines of source around a position with the range underlined, as Babel and ESLint show them. */
export function codeFrame(
  source: SourceFile,
  range: { line: number; column: number; endLine: number; endColumn: number },
  paint: { marker: (s: string) => string; gutter: (s: string) => string },
): string {
  const first = Math.max(1, range.line - CONTEXT_LINES);
  const last = Math.min(source.lineCount, range.line);
  const width = String(last).length;
  const out: string[] = [];
  for (let line = first; line <= last; line++) {
    const raw = source.lineText(line);
    const shown = clip(raw, range.line === line ? range.column : 1);
    const number = String(line).padStart(width);
    const mark = line === range.line ? paint.marker('>') : ' ';
    out.push(`  ${mark} ${paint.gutter(`${number} |`)} ${escapeSourceLine(shown.text)}`.trimEnd());
    if (line === range.line) {
      const start = Math.max(0, range.column - 1 - shown.offset);
      const end = range.endLine === range.line ? Math.max(range.endColumn - 1 - shown.offset, start + 1) : shown.text.length;
      const underline =
        ' '.repeat(visualWidth(shown.text.slice(0, start))) + '^'.repeat(Math.max(1, Math.min(end, shown.text.length) - start));
      out.push(`    ${paint.gutter(`${' '.repeat(width)} |`)} ${paint.marker(underline)}`);
    }
  }
  return out.join('\n');
}

/** Long lines (minified JSON, a 1 MB scalar) are cut around the column of interest. */
function clip(text: string, column: number): { text: string; offset: number } {
  if (text.length <= MAX_LINE_WIDTH) return { text, offset: 0 };
  const offset = Math.max(0, Math.min(column - 1 - 20, text.length - MAX_LINE_WIDTH));
  return { text: text.slice(offset, offset + MAX_LINE_WIDTH), offset };
}

/** Width after escaping, so the caret sits under the right character when control characters were expanded. */
function visualWidth(text: string): number {
  return escapeSourceLine(text).length;
}
