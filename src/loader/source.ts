/** A position in a source file, 1-based lines and columns (UTF-16 code units, as editors and SARIF count). */
export interface Position {
  line: number;
  column: number;
}

export interface SourceRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** One input: a file on disk or standard input, with its text and a line table for offset→position. */
export class SourceFile {
  private lineStartsCache: number[] | undefined;

  constructor(
    /** The path shown to users: relative to the working directory when the file is below it, `<stdin>` for stdin. */
    readonly path: string,
    readonly text: string,
  ) {}

  private get lineStarts(): number[] {
    if (!this.lineStartsCache) {
      const starts = [0];
      // LF, CRLF, and a lone CR (old Mac files: go-yaml reads CR as a line break too, libyaml's read_line).
      for (let i = 0; i < this.text.length; i++) {
        const code = this.text.charCodeAt(i);
        if (code === 10 || (code === 13 && this.text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
      }
      this.lineStartsCache = starts;
    }
    return this.lineStartsCache;
  }

  positionAt(offset: number): Position {
    const starts = this.lineStarts;
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - starts[lo]! + 1 };
  }

  rangeAt(start: number, end: number): SourceRange {
    const a = this.positionAt(start);
    const b = this.positionAt(Math.max(start, end));
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const starts = this.lineStarts;
    const start = starts[line - 1];
    if (start === undefined) return '';
    const next = starts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, '');
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}
