import { NEEDS_COMPOSER, resolvePlain, setKey } from './fast-parse.js';

/**
 * The fastest of the three ways a document is read (parse.ts `plainPiece`): a scan of its lines, without any
 * parser, for the YAML nearly every manifest is written in: block maps and sequences indented with spaces, keys
 * and values on one line (plain, or quoted without escapes), literal block scalars (`|`, `|-`), and flow
 * collections of scalars on one line (`[a, b]`, `{cpu: 1, memory: 1Gi}`), with LF or CRLF line ends.
 *
 * Anything else makes it give up (undefined), and the document is read from yaml's syntax tree (fast-parse.ts)
 * or by the composer: tabs, lone CRs, escapes, anchors, aliases, tags, folded or kept block scalars, multi-line
 * plain or quoted scalars, nested flow collections, duplicate or null keys, merge keys, and every indentation
 * that is not one of the plain shapes below. It never decides a question the composer could answer differently:
 * its result is exactly the composer's value for the same text (test/fast-parse.test.ts compares all three on
 * generated and real inputs). It reads the document line by line with `indexOf` and `charCodeAt`, about five
 * times faster than building yaml's syntax tree (scripts/bench).
 */
export function scanBlockDocument(source: string): { value: unknown } | undefined {
  if (UNREAD_CHARACTERS.test(source)) return undefined;
  try {
    return { value: new LineScanner(source, false).document() };
  } catch (error) {
    if (error === NEEDS_COMPOSER) return undefined;
    throw error;
  }
}

/**
 * Where each node of a document the line scan reads lies in it (offsets in `source`), for the positions of the
 * few fields a finding names (parse.ts `ManifestDocument.locate`): the same scan run again, recording, which is
 * some thirty times cheaper than composing the document. Positions it does not know as the composer would give
 * them (a literal block scalar's, an empty value's own, a one-line block collection's) are `unknown`, and the
 * caller asks the composer for those.
 */
export function scanPositions(source: string): ScanPosition | undefined {
  if (UNREAD_CHARACTERS.test(source)) return undefined;
  try {
    const scanner = new LineScanner(source, true);
    scanner.document();
    return scanner.position;
  } catch (error) {
    if (error === NEEDS_COMPOSER) return undefined;
    throw error;
  }
}

/** A node's place: a scalar's text, a collection's first line, and the keys and items below. */
export type ScanPosition =
  | { readonly kind: 'scalar'; readonly start: number; readonly end: number; readonly plain: boolean }
  /** `key:` with nothing after it: a finding points at the key. */
  | { readonly kind: 'empty' }
  | { readonly kind: 'unknown' }
  | {
      readonly kind: 'map';
      readonly start: number;
      /** Where the first line of a block collection of several lines, or a one-line flow collection, ends. */
      readonly firstLineEnd: number | undefined;
      readonly flow: boolean;
      readonly pairs: Map<string, { readonly key: readonly [number, number]; readonly value: ScanPosition }>;
    }
  | {
      readonly kind: 'seq';
      readonly start: number;
      readonly firstLineEnd: number | undefined;
      readonly flow: boolean;
      readonly items: ScanPosition[];
    };

const EMPTY: ScanPosition = { kind: 'empty' };
const UNKNOWN: ScanPosition = { kind: 'unknown' };

/** A value that takes more than its own line: a block collection below its key or dash, or a literal block. */
function spansLines(position: ScanPosition): boolean {
  return position.kind === 'unknown' || ((position.kind === 'map' || position.kind === 'seq') && !position.flow);
}

/**
 * Tabs, a CR that is not part of a CRLF, a BOM and the line breaks of YAML 1.1 besides LF and CRLF: each has
 * rules this scanner does not follow.
 */
const UNREAD_CHARACTERS = /[\t\uFEFF\u0085\u2028\u2029]|\r(?!\n)/;

function fail(): never {
  throw NEEDS_COMPOSER;
}

/** As fast-parse.ts: deeper documents go to the composer, which reports the ones that are too deep. */
const MAX_DEPTH = 200;
/** As fast-parse.ts: longer implicit keys go to the composer (go-yaml and yaml refuse keys over 1024 characters). */
const MAX_KEY_LENGTH = 512;

const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;

/** Characters that cannot start a plain scalar (c-indicator), besides `-`, `?` and `:`, which can when a non-space follows. */
const INDICATOR_START = new Set([...',[]{}#&*!|>\'"%@`'].map((c) => c.charCodeAt(0)));
const FLOW_INDICATOR = new Set([...',[]{}'].map((c) => c.charCodeAt(0)));

class LineScanner {
  /** Offset where each line starts, and where it ends (before its `\n`). */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** The line the scan is at. */
  private line = 0;
  /** When recording: the position of the value read last. */
  position: ScanPosition = UNKNOWN;

  constructor(
    private readonly text: string,
    /** Record positions (scanPositions) as well as values. */
    private readonly record: boolean,
  ) {
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      this.starts.push(start);
      // A CRLF ends a line as LF does (in block scalars too, whose lines are joined with LF).
      this.ends.push(newline < 0 ? text.length : newline > start && text.charCodeAt(newline - 1) === 0x0d ? newline - 1 : newline);
      if (newline < 0) break;
      start = newline + 1;
    }
  }

  /** The document's value; when recording, `position` is then the root's. */
  document(): unknown {
    const first = this.nextContent();
    if (first < 0) fail();
    const value = this.blockNode(this.indentOf(first), 1);
    if (this.nextContent() >= 0) fail();
    return value;
  }

  /** Skips blank and comment lines; returns the next line with content, or -1. */
  private nextContent(): number {
    const { text, starts, ends } = this;
    for (; this.line < starts.length; this.line++) {
      const start = starts[this.line]!;
      const end = ends[this.line]!;
      let k = start;
      while (k < end && text.charCodeAt(k) === SPACE) k++;
      if (k === end || text.charCodeAt(k) === HASH) continue;
      // A `...` or `---` line ends or starts a document: the composer's business.
      if (k === start && (text.startsWith('...', k) || text.startsWith('---', k))) fail();
      return this.line;
    }
    return -1;
  }

  private indentOf(line: number): number {
    const { text } = this;
    const start = this.starts[line]!;
    let k = start;
    while (text.charCodeAt(k) === SPACE) k++;
    return k - start;
  }

  /** `-` followed by a space or the end of the line, at `at`. */
  private isSeqIndicator(at: number, end: number): boolean {
    return this.text.charCodeAt(at) === DASH && (at + 1 === end || this.text.charCodeAt(at + 1) === SPACE);
  }

  /** A block map or sequence whose first line is the current line, indented by `indent`. */
  private blockNode(indent: number, depth: number): unknown {
    if (depth > MAX_DEPTH) fail();
    const at = this.starts[this.line]! + indent;
    if (this.isSeqIndicator(at, this.ends[this.line]!)) return this.sequence(indent, depth);
    return this.map(indent, at, depth);
  }

  /**
   * A block map of keys in column `indent`; its first key is at offset `at` of the current line (`first`: that
   * key, when the caller has read it already).
   */
  private map(indent: number, at: number, depth: number, first?: { name: string; keyEnd: number; after: number }): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    const start = at;
    const firstLine = this.line;
    const pairs = this.record ? new Map<string, { key: readonly [number, number]; value: ScanPosition }>() : undefined;
    for (;;) {
      const end = this.ends[this.line]!;
      const key = first ?? this.readKey(at, end);
      first = undefined;
      if (!key) fail();
      setKey(object, key.name, this.valueAfter(key.after, end, indent, depth));
      pairs?.set(key.name, { key: [at, key.keyEnd], value: this.position });
      const next = this.nextContent();
      if (next < 0) break;
      const nextIndent = this.indentOf(next);
      if (nextIndent < indent) break;
      // Deeper: a continued plain scalar, or a wrongly indented key. A `-` in the key column: not a pair.
      if (nextIndent > indent) fail();
      at = this.starts[next]! + indent;
      if (this.isSeqIndicator(at, this.ends[next]!)) fail();
    }
    if (pairs) {
      const several = pairs.size > 1 || spansLines(this.position);
      this.position = { kind: 'map', start, firstLineEnd: several ? this.ends[firstLine] : undefined, flow: false, pairs };
    }
    return object;
  }

  /** A block sequence of `-` in column `indent`, starting at the current line. */
  private sequence(indent: number, depth: number): unknown[] {
    const array: unknown[] = [];
    const firstLine = this.line;
    const items: ScanPosition[] | undefined = this.record ? [] : undefined;
    for (;;) {
      const start = this.starts[this.line]!;
      const end = this.ends[this.line]!;
      const content = this.skipSpaces(start + indent + 1, end);
      if (content === end || this.text.charCodeAt(content) === HASH) {
        array.push(this.nodeBelow(indent, depth));
      } else if (this.isSeqIndicator(content, end)) {
        // `- - a`: a sequence in a sequence on one line.
        fail();
      } else {
        const key = this.readKey(content, end);
        // `- name: web`: a map whose keys are in the column of its first key.
        if (key) array.push(this.map(content - start, content, depth + 1, key));
        else array.push(this.inlineValue(content, end, indent, depth + 1));
      }
      items?.push(this.position);
      const next = this.nextContent();
      if (next < 0) break;
      const nextIndent = this.indentOf(next);
      if (nextIndent < indent) break;
      if (nextIndent > indent) fail();
      // A key in the sequence's column ends it: the sequence was the value of the key before it (`a:\n- x\nb: 1`).
      if (!this.isSeqIndicator(this.starts[next]! + indent, this.ends[next]!)) break;
    }
    if (items) {
      const several = items.length > 1 || spansLines(this.position);
      const start = this.starts[firstLine]! + indent;
      this.position = { kind: 'seq', start, firstLineEnd: several ? this.ends[firstLine] : undefined, flow: false, items };
    }
    return array;
  }

  /** The value of a `-` or `key:` with nothing after it on its line: a deeper block on the next lines, or null. */
  private nodeBelow(indent: number, depth: number, sequenceInColumn = false): unknown {
    this.line++;
    const next = this.nextContent();
    if (next >= 0) {
      const nextIndent = this.indentOf(next);
      if (nextIndent > indent) return this.blockNode(nextIndent, depth + 1);
      // `containers:\n- name: web`: a sequence may sit in its key's column.
      if (sequenceInColumn && nextIndent === indent && this.isSeqIndicator(this.starts[next]! + indent, this.ends[next]!))
        return this.sequence(indent, depth + 1);
    }
    this.position = EMPTY;
    return resolvePlain('', false);
  }

  /** What follows a key's `:` at `after`: on the same line, or below it. */
  private valueAfter(after: number, end: number, indent: number, depth: number): unknown {
    const content = this.skipSpaces(after, end);
    if (content === end || this.text.charCodeAt(content) === HASH) return this.nodeBelow(indent, depth, true);
    return this.inlineValue(content, end, indent, depth + 1);
  }

  /**
   * A value that starts at `at` on the current line: a quoted or plain scalar, a flow collection, or a literal
   * block scalar (whose lines follow). Leaves the scan on the line after the value.
   */
  private inlineValue(at: number, end: number, parentIndent: number, depth: number): unknown {
    const { text } = this;
    const c = text.charCodeAt(at);
    let value: unknown;
    if (c === QUOTE || c === APOSTROPHE) {
      const quoted = this.quoted(at, end);
      this.expectLineEnd(quoted.after, end);
      value = quoted.value;
      if (this.record) this.position = this.scalarPosition(at, quoted.after, false);
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (depth > MAX_DEPTH) fail();
      const flow = this.flow(at, end);
      this.expectLineEnd(flow.after, end);
      value = flow.value;
    } else if (c === 0x7c /* | */) {
      this.position = UNKNOWN;
      return this.literal(at, end, parentIndent);
    } else {
      if (this.cannotStartPlain(at, end)) fail();
      let stop = at;
      for (; stop < end; stop++) {
        const d = text.charCodeAt(stop);
        if (d === HASH && text.charCodeAt(stop - 1) === SPACE) break;
        // `a: b: c`: a map on a map's line.
        if (d === COLON && (stop + 1 === end || text.charCodeAt(stop + 1) === SPACE)) fail();
      }
      while (text.charCodeAt(stop - 1) === SPACE) stop--;
      value = scalar(text.slice(at, stop));
      if (this.record) this.position = this.scalarPosition(at, stop, true);
    }
    this.line++;
    return value;
  }

  /**
   * `-`, `?` and `:` start a plain scalar only before a "safe" character: not a space, and in a flow collection
   * not a flow indicator either (ns-plain-first); the other indicators never do.
   */
  private cannotStartPlain(at: number, end: number, inFlow = false): boolean {
    const c = this.text.charCodeAt(at);
    if (c === DASH || c === 0x3f /* ? */ || c === COLON) {
      const next = this.text.charCodeAt(at + 1);
      return at + 1 === end || next === SPACE || (inFlow && FLOW_INDICATOR.has(next));
    }
    return INDICATOR_START.has(c);
  }

  /** `name:`, `"name":` or `'name':` at `at`, followed by a space or the end of the line; undefined if there is none. */
  private readKey(at: number, end: number): { name: string; keyEnd: number; after: number } | undefined {
    const { text } = this;
    const c = text.charCodeAt(at);
    let name: string;
    let colon: number;
    let keyEnd: number;
    if (c === QUOTE || c === APOSTROPHE) {
      const quoted = this.quoted(at, end, true);
      if (!quoted) return undefined;
      keyEnd = quoted.after;
      colon = this.skipSpaces(quoted.after, end);
      if (text.charCodeAt(colon) !== COLON || (colon + 1 < end && text.charCodeAt(colon + 1) !== SPACE)) return undefined;
      name = quoted.value;
    } else {
      if (this.cannotStartPlain(at, end)) return undefined;
      colon = at;
      for (; colon < end; colon++) {
        const d = text.charCodeAt(colon);
        if (d === COLON && (colon + 1 === end || text.charCodeAt(colon + 1) === SPACE)) break;
        if (d === HASH && text.charCodeAt(colon - 1) === SPACE) return undefined;
      }
      if (colon === end) return undefined;
      let stop = colon;
      while (text.charCodeAt(stop - 1) === SPACE) stop--;
      keyEnd = stop;
      const resolved = resolvePlain(text.slice(at, stop), true);
      // A null key is a go-yaml rejection; the composer path reports it.
      if (resolved === null) fail();
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a plain key resolves to a string, number or boolean
      name = String(resolved);
    }
    if (colon - at > MAX_KEY_LENGTH || name === '<<') fail();
    return { name, keyEnd, after: colon + 1 };
  }

  /** A quoted scalar that closes on its line, without escapes. Fails (or, with `orUndefined`, returns undefined) otherwise. */
  private quoted(at: number, end: number): { value: string; after: number };
  private quoted(at: number, end: number, orUndefined: true): { value: string; after: number } | undefined;
  private quoted(at: number, end: number, orUndefined = false): { value: string; after: number } | undefined {
    const { text } = this;
    if (text.charCodeAt(at) === QUOTE) {
      const close = text.indexOf('"', at + 1);
      if (close < 0 || close >= end) return orUndefined ? undefined : fail();
      const value = text.slice(at + 1, close);
      if (value.includes('\\')) fail();
      return { value, after: close + 1 };
    }
    let from = at + 1;
    for (;;) {
      const close = text.indexOf("'", from);
      if (close < 0 || close >= end) return orUndefined ? undefined : fail();
      if (text.charCodeAt(close + 1) === APOSTROPHE) {
        from = close + 2;
        continue;
      }
      const value = text.slice(at + 1, close);
      return { value: from === at + 1 ? value : value.replaceAll("''", "'"), after: close + 1 };
    }
  }

  /**
   * A flow collection on one line: `[]`, `{}`, `[a, "b", 80]` or `{cpu: 250m, memory: "64Mi"}`, of scalars
   * only, separated by single commas, with no trailing comma. A map's keys are followed by `: `.
   */
  private flow(at: number, end: number): { value: unknown; after: number } {
    const { text } = this;
    const isMap = text.charCodeAt(at) === 0x7b; /* { */
    const close = isMap ? 0x7d /* } */ : 0x5d; /* ] */
    const out: Record<string, unknown> | unknown[] = isMap ? {} : [];
    const pairs = this.record && isMap ? new Map<string, { key: readonly [number, number]; value: ScanPosition }>() : undefined;
    const items: ScanPosition[] | undefined = this.record && !isMap ? [] : undefined;
    let k = this.skipSpaces(at + 1, end);
    if (text.charCodeAt(k) !== close) {
      for (;;) {
        if (isMap) {
          const key = this.flowScalar(k, end, close, true);
          const colon = this.skipSpaces(key.end, end);
          if (text.charCodeAt(colon) !== COLON || text.charCodeAt(colon + 1) !== SPACE) fail();
          const value = this.flowScalar(this.skipSpaces(colon + 1, end), end, close, false);
          const name = String(key.value);
          if (name === '<<') fail();
          setKey(out as Record<string, unknown>, name, value.value);
          pairs?.set(name, { key: [key.start, key.end], value: value.position });
          k = value.end;
        } else {
          const item = this.flowScalar(k, end, close, false);
          (out as unknown[]).push(item.value);
          items?.push(item.position);
          k = item.end;
        }
        k = this.skipSpaces(k, end);
        const d = text.charCodeAt(k);
        if (d === close) break;
        if (d !== 0x2c /* , */) fail();
        k = this.skipSpaces(k + 1, end);
        if (k === end || text.charCodeAt(k) === close) fail();
      }
    }
    const after = k + 1;
    if (pairs) this.position = { kind: 'map', start: at, firstLineEnd: after, flow: true, pairs };
    if (items) this.position = { kind: 'seq', start: at, firstLineEnd: after, flow: true, items };
    return { value: out, after };
  }

  /**
   * A quoted or plain scalar in a flow collection, at `at`, and where it ends. Plain ones end at a comma or the
   * closing bracket (a key at its `:`) and may contain no `:`, `#`, quote or bracket: those are the composer's.
   */
  private flowScalar(
    at: number,
    end: number,
    close: number,
    atKey: boolean,
  ): { value: unknown; start: number; end: number; position: ScanPosition } {
    const { text } = this;
    const c = text.charCodeAt(at);
    if (c === QUOTE || c === APOSTROPHE) {
      const quoted = this.quoted(at, end);
      return { value: quoted.value, start: at, end: quoted.after, position: this.scalarPosition(at, quoted.after, false) };
    }
    if (this.cannotStartPlain(at, end, true)) fail();
    let k = at;
    for (; k < end; k++) {
      const d = text.charCodeAt(k);
      if (d === 0x2c /* , */ || d === close) break;
      if (d === COLON) {
        if (atKey) break;
        fail();
      }
      if (d === HASH || d === QUOTE || d === APOSTROPHE || d === 0x5b || d === 0x5d || d === 0x7b || d === 0x7d) fail();
    }
    let stop = k;
    while (text.charCodeAt(stop - 1) === SPACE) stop--;
    if (stop === at) fail();
    const raw = text.slice(at, stop);
    const value = atKey ? resolvePlain(raw, true) : scalar(raw);
    if (atKey && value === null) fail();
    return { value, start: at, end: stop, position: this.scalarPosition(at, stop, true) };
  }

  private scalarPosition(start: number, end: number, plain: boolean): ScanPosition {
    return this.record ? { kind: 'scalar', start, end, plain } : UNKNOWN;
  }

  /**
   * A literal block scalar, `|` (clip: one final line break) or `|-` (strip: none), whose lines follow, indented
   * by the indentation of its first line, which must be deeper than `parentIndent`. Leading blank lines, keep
   * (`|+`), an indentation indicator and a comment on the header are the composer's.
   */
  private literal(at: number, end: number, parentIndent: number): string {
    const { text, starts, ends } = this;
    let k = at + 1;
    const strip = text.charCodeAt(k) === DASH;
    if (strip) k++;
    if (this.skipSpaces(k, end) !== end) fail();
    let line = this.line + 1;
    if (line >= starts.length) fail();
    const indent = this.indentOf(line);
    if (indent <= parentIndent || starts[line]! + indent === ends[line]!) fail();
    const parts: string[] = [];
    let blanks = 0;
    for (; line < starts.length; line++) {
      const start = starts[line]!;
      const lineEnd = ends[line]!;
      let s = start;
      while (s < lineEnd && text.charCodeAt(s) === SPACE) s++;
      // A line of no more spaces than the indentation is blank; one with more keeps the rest as text.
      if (s === lineEnd && s - start <= indent) {
        blanks++;
        continue;
      }
      if (s - start < indent) break;
      for (; blanks > 0; blanks--) parts.push('');
      parts.push(text.slice(start + indent, lineEnd));
    }
    this.line = line;
    const body = parts.join('\n');
    // Clip keeps one line break, even after a last line that has none (as the `yaml` package reads it).
    return strip ? body : `${body}\n`;
  }

  private skipSpaces(at: number, end: number): number {
    while (at < end && this.text.charCodeAt(at) === SPACE) at++;
    return at;
  }

  /** After a value: spaces, then the end of the line or a comment. */
  private expectLineEnd(at: number, end: number): void {
    const k = this.skipSpaces(at, end);
    if (k !== end && !(k > at && this.text.charCodeAt(k) === HASH)) fail();
  }
}

function scalar(text: string): unknown {
  const value = resolvePlain(text, false);
  // `.inf`, `.nan` and floats too large for a double: left to the composer, as fast-parse.ts does.
  if (typeof value === 'number' && !Number.isFinite(value)) fail();
  return value;
}
