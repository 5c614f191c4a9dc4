import { CST, isAlias, isMap, isPair, isScalar, isSeq, Lexer, Scalar } from 'yaml';
import type { Node as YamlNode } from 'yaml';

/**
 * Where go-yaml v2 (what kubectl parses with) and the `yaml` package disagree about the *syntax* of a document,
 * and how we make the `yaml` package read what kubectl reads.
 *
 * go-yaml is a port of libyaml (gopkg.in/yaml.v2 scannerc.go). Its scanner checks indentation only for block
 * collections and plain scalars: inside a quoted scalar or a flow collection (`[...]`, `{...}`) it looks for the
 * closing quote or bracket whatever the indentation of the lines in between, and it starts a comment at any `#`
 * that begins a token (`"a"#c`, `[1,#c`). The `yaml` package follows YAML 1.2, where continuation lines must be
 * indented more than their parent and a comment needs white space before it, and rejects such files. They are
 * common in real repositories: a JSON annotation written as a single-quoted multi-line value whose lines start at
 * column 0 is accepted by kubectl, helm and kustomize alike.
 *
 * So before handing a piece to the `yaml` package we rewrite exactly these spots, without changing any value:
 * - continuation lines of a multi-line quoted scalar or flow collection get spaces in front (leading white space
 *   of a continuation line is folded away in both YAML versions, and is insignificant between flow tokens);
 * - a `#` comment glued to the token before it gets one space in front;
 * - `\'` in a double-quoted scalar (an escape go-yaml knows and YAML 1.2 does not) loses its backslash.
 * Positions are mapped back to the original text (`toOriginal`), so every finding points at the file as written.
 *
 * The other direction, what go-yaml rejects and the `yaml` package accepts, is collected as `rejections`.
 */

export type LeniencyKind = 'under-indented' | 'comment-without-space' | 'escaped-apostrophe';

/** A spot kubectl accepts that YAML 1.2 parsers reject; offsets in the original text. */
export interface Leniency {
  kind: LeniencyKind;
  start: number;
  end: number;
}

/** A spot the `yaml` package accepts that kubectl (go-yaml v2) rejects; offsets in the original text. */
export interface Rejection {
  message: string;
  start: number;
  end: number;
}

export interface PreparedText {
  /** The text the `yaml` package parses. */
  text: string;
  /** Maps an offset in `text` to the offset in the original text. */
  toOriginal(offset: number): number;
  lenient: Leniency[];
  rejections: Rejection[];
}

/** An edit applied to the text: at `cur` (in the edited text) `del` original characters became `ins` new ones. */
interface Edit {
  cur: number;
  orig: number;
  del: number;
  ins: number;
}

interface PendingEdit {
  at: number;
  del: number;
  insert: string;
  /** `realign`: a line YAML 1.2 accepts too, moved only because we cannot tell its parent's indentation here. */
  kind: LeniencyKind | 'realign';
}

interface Scan {
  /** Offset just after the closing quote or bracket; undefined when go-yaml rejects the construct too. */
  end: number | undefined;
  edits: PendingEdit[];
  rejections: { at: number; length: number; message: string }[];
}

/**
 * Characters go-yaml's reader refuses anywhere in the input (yaml_parser_update_buffer in readerc.go accepts tab,
 * line breaks, printable ASCII, NEL, U+00A0-U+D7FF, U+E000-U+FFFD and U+10000 and up).
 */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFFFE\uFFFF]/;

/** Enough rewrites for any real file; a pathological one just keeps the `yaml` package's own errors. */
const MAX_ROUNDS = 1000;

/**
 * Whether a piece needs `prepareForYamlPackage`: the rewrites only matter where the `yaml` package fails, and
 * the rejections it collects need a control character, a directive or an escaped slash. Most pieces need none,
 * and skip the extra pass.
 */
export function needsPreparation(source: string, parsedWithErrors: boolean): boolean {
  return parsedWithErrors || CONTROL_CHARACTER.test(source) || /^%|\\\/|\r(?!\n)/m.test(source);
}

export function prepareForYamlPackage(source: string): PreparedText {
  // A lone CR is a line break for go-yaml (and in scalars it becomes \n, as every break does); the `yaml`
  // package would read the whole file as one line. Same length, so no position moves.
  let text = source.replace(/\r(?!\n)/g, '\n');
  const edits: Edit[] = [];
  const lenient: Leniency[] = [];
  const rejections: Rejection[] = [];
  const toOriginal = (offset: number): number => {
    let last: Edit | undefined;
    for (const edit of edits) {
      if (edit.cur > offset) break;
      last = edit;
    }
    if (!last) return offset;
    if (offset < last.cur + last.ins) return last.orig + Math.min(offset - last.cur, last.del);
    return last.orig + last.del + (offset - last.cur - last.ins);
  };
  const reject = (at: number, length: number, message: string) => {
    const start = toOriginal(at);
    rejections.push({ message, start, end: start + length });
  };

  const control = CONTROL_CHARACTER.exec(source);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    rejections.push({
      start: control.index,
      end: control.index + 1,
      message: `the control character U+${code}: go-yaml (kubectl) refuses the whole document ("control characters are not allowed"), even in a comment or a quoted string; remove it, or write it as an escape in a double-quoted string`,
    });
  }
  // Constructs before `cursor` are final; tokens before `checked` have had their directive check.
  let cursor = 0;
  let checked = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let offset = 0;
    let pending: PendingEdit[] = [];
    let resume = 0;
    for (const token of new Lexer().lex(text)) {
      const type = CST.tokenType(token);
      if (type === 'doc-mode' || type === 'flow-error-end' || type === 'scalar') continue; // markers, no source
      const start = offset;
      offset += token.length;
      if (start >= checked) {
        checked = offset;
        if (type === 'directive-line') {
          // kubectl's reader cuts the file at `---` lines first (k8s.io/apimachinery/pkg/util/yaml), so the
          // directive ends up alone in a piece without a document: "did not find expected <document start>".
          reject(
            start,
            token.trimEnd().length,
            'a YAML directive (`%YAML`, `%TAG`) ends up in a document of its own, because kubectl cuts the file at `---` lines before parsing: go-yaml stops with "did not find expected <document start>"',
          );
        }
      }
      if (start < cursor) continue;
      let scan: Scan | undefined;
      if (type === 'flow-seq-start' || type === 'flow-map-start') scan = scanFlow(text, start);
      else if (type === 'single-quoted-scalar' || type === 'double-quoted-scalar') scan = scanQuoted(text, start);
      else if (type === 'comment' && start > 0 && !isWhite(text[start - 1])) {
        // `"a"#c`, `[1]#c`, `|#c`: go-yaml starts a comment at a `#` that begins a token.
        scan = { end: start, edits: [{ at: start, del: 0, insert: ' ', kind: 'comment-without-space' }], rejections: [] };
      }
      if (!scan) continue;
      for (const r of scan.rejections) reject(r.at, r.length, r.message);
      if (scan.end === undefined) {
        cursor = offset;
        continue;
      }
      if (scan.edits.length > 0) {
        pending = scan.edits;
        resume = scan.end;
        break;
      }
      cursor = scan.end;
    }
    if (pending.length === 0) break;
    let shift = 0;
    // One note per construct and kind: a JSON array over ten lines is one thing to fix.
    const noted = new Set<string>();
    for (const edit of pending.sort((a, b) => a.at - b.at)) {
      const at = edit.at + shift;
      const orig = toOriginal(at);
      text = text.slice(0, at) + edit.insert + text.slice(at + edit.del);
      edits.push({ cur: at, orig, del: edit.del, ins: edit.insert.length });
      if (edit.kind !== 'realign' && !noted.has(edit.kind)) {
        noted.add(edit.kind);
        lenient.push({ kind: edit.kind, start: orig, end: orig + Math.max(edit.del, 1) });
      }
      shift += edit.insert.length - edit.del;
    }
    cursor = resume + shift;
    // Tokens up to the cursor were checked in this round; later ones are checked in the next.
    checked = Math.min(checked, cursor);
  }
  return { text, toOriginal, lenient, rejections };
}

function isWhite(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

function isBreak(ch: string | undefined): boolean {
  return ch === '\n' || ch === '\r';
}

/** `---` or `...` at column 0 followed by a blank: go-yaml ends the document there, even inside quotes. */
function isDocumentIndicator(text: string, lineStart: number): boolean {
  const three = text.slice(lineStart, lineStart + 3);
  if (three !== '---' && three !== '...') return false;
  const next = text[lineStart + 3];
  return next === undefined || isWhite(next);
}

/**
 * Anchor and alias names: go-yaml v2 (yaml_parser_scan_anchor) takes letters, digits, `-` and `_`, and then
 * requires a blank or one of `?:,]}%@` + backtick; anything else is "did not find expected alphabetic or numeric
 * character". The `yaml` package accepts any non-blank, non-flow character (`&default.labels`).
 */
function badAnchorName(token: string): string | undefined {
  const name = token.slice(1);
  if (name.length === 0) return undefined; // `&` alone is the parser's error already
  const valid = /^[0-9A-Za-z_-]*/.exec(name)![0];
  if (valid.length === name.length && valid.length > 0) return undefined;
  if (valid.length > 0 && '?:,]}%@`'.includes(name[valid.length]!)) return undefined;
  const what = token[0] === '&' ? 'anchor' : 'alias';
  return `the ${what} name "${name}" has a character go-yaml does not accept (only letters, digits, \`-\` and \`_\`): kubectl stops with "did not find expected alphabetic or numeric character"`;
}

/**
 * A quoted scalar as go-yaml delimits it (yaml_parser_scan_flow_scalar): up to the closing quote, across any
 * number of lines whatever their indentation, `''` being an escaped quote in single quotes and `\` escaping the
 * next character in double quotes.
 */
function scanQuoted(text: string, start: number): Scan {
  const scan: Scan = { end: undefined, edits: [], rejections: [] };
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      if (isDocumentIndicator(text, i + 1)) return scan;
      continue;
    }
    if (quote === "'") {
      if (ch !== "'") continue;
      if (text[i + 1] === "'") {
        i++;
        continue;
      }
      scan.end = i + 1;
      break;
    }
    if (ch === '\\') {
      const next = text[i + 1];
      // go-yaml v2 knows `\'` (not YAML 1.2) and does not know `\/` (YAML 1.2 does).
      if (next === "'") scan.edits.push({ at: i, del: 1, insert: '', kind: 'escaped-apostrophe' });
      if (next === '/')
        scan.rejections.push({
          at: i,
          length: 2,
          message: 'found unknown escape character: go-yaml (kubectl) does not know the escape `\\/`; write `/`',
        });
      i += next === '\r' && text[i + 2] === '\n' ? 2 : 1;
      continue;
    }
    if (ch === '"') {
      scan.end = i + 1;
      break;
    }
  }
  if (scan.end !== undefined) scan.edits.push(...indentContinuations(text, start, scan.end));
  return scan;
}

/**
 * A flow collection as go-yaml delimits it: up to the matching bracket, skipping quoted scalars and comments,
 * with no indentation check inside (go-yaml's scanner ignores indentation while flow_level > 0).
 */
function scanFlow(text: string, start: number): Scan {
  const scan: Scan = { end: undefined, edits: [], rejections: [] };
  let depth = 0;
  // Whether the next character begins a token: a quote there opens a quoted scalar, a `#` a comment.
  let tokenStart = true;
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      if (isDocumentIndicator(text, i + 1)) return scan;
      tokenStart = true;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      tokenStart = true;
    } else if (ch === '#' && tokenStart) {
      if (!isWhite(text[i - 1])) scan.edits.push({ at: i, del: 0, insert: ' ', kind: 'comment-without-space' });
      while (i + 1 < text.length && !isBreak(text[i + 1])) i++;
    } else if (ch === '[' || ch === '{') {
      depth++;
      tokenStart = true;
    } else if (ch === ']' || ch === '}') {
      depth--;
      tokenStart = true;
      if (depth === 0) {
        scan.end = i + 1;
        break;
      }
    } else if (ch === ',') {
      tokenStart = true;
    } else if ((ch === "'" || ch === '"') && tokenStart) {
      const inner = scanQuoted(text, i);
      scan.rejections.push(...inner.rejections);
      if (inner.end === undefined) return scan;
      scan.edits.push(...inner.edits.filter((e) => e.kind === 'escaped-apostrophe'));
      i = inner.end - 1;
      tokenStart = true;
    } else if (ch === ':') {
      // `a:b` is one plain scalar; `"a":b` and `a: b` are a key and a value.
      tokenStart = isWhite(text[i + 1]) || '[]{},"\''.includes(text[i - 1] ?? '');
    } else {
      tokenStart = false;
    }
  }
  if (scan.end !== undefined) scan.edits.push(...indentContinuations(text, start, scan.end));
  return scan;
}

/**
 * Spaces in front of every continuation line of the construct at [start, end) that is indented less than the
 * construct's first character: enough for YAML 1.2 whatever the parent, and the values stay the same. Blank
 * lines and document indicators (which go-yaml rejects as well) are left alone.
 */
function indentContinuations(text: string, start: number, end: number): PendingEdit[] {
  const edits: PendingEdit[] = [];
  const lineStartOfConstruct = text.lastIndexOf('\n', start - 1) + 1;
  const column = start - lineStartOfConstruct;
  // A line indented no deeper than the line the construct starts on is under-indented in any YAML 1.2 reading.
  let lineIndent = 0;
  while (text[lineStartOfConstruct + lineIndent] === ' ') lineIndent++;
  for (let nl = text.indexOf('\n', start); nl >= 0 && nl + 1 < end; nl = text.indexOf('\n', nl + 1)) {
    const lineStart = nl + 1;
    let spaces = 0;
    while (text[lineStart + spaces] === ' ') spaces++;
    const first = text[lineStart + spaces];
    if (first === undefined || isBreak(first) || spaces >= column) continue;
    if (spaces === 0 && isDocumentIndicator(text, lineStart)) continue;
    edits.push({
      at: lineStart,
      del: 0,
      insert: ' '.repeat(column - spaces),
      kind: spaces <= lineIndent || first === '\t' ? 'under-indented' : 'realign',
    });
  }
  return edits;
}

/** Node shapes the structure checks below need (a subset of the `yaml` package's AST). */
export interface Spanned {
  start: number;
  end: number;
  kind: 'quoted' | 'block' | 'flow' | 'plain';
  /** For plain scalars: go-yaml's indent for their continuation lines (parent collection's column + 1). */
  indent: number;
}

const TAB_IN_INDENT = /^ *(?:[-?:] +)*[-?:]?\t/m;

/** Whether a piece has a tab where tabRejections looks at all (most pieces have none). */
export function hasTabInIndentation(piece: string): boolean {
  return TAB_IN_INDENT.test(piece);
}

/**
 * Tabs where go-yaml wants indentation. go-yaml's scanner (yaml_parser_scan_to_next_token) skips tabs only in flow
 * context or after a token on the same line; at the start of a line (after spaces), and after `-`, `?` or a
 * complex `:`, a tab is "found character that cannot start any token", even on a line that is otherwise blank or
 * only a comment. After a plain scalar the scalar's own scanner eats the following blank lines and refuses a tab
 * left of its indentation ("found a tab character that violates indentation"). The `yaml` package treats such
 * blank and comment lines as empty, so a stray tab on an empty line is an error only kubectl sees.
 * Lines inside quoted scalars, flow collections and block scalars are text and are left to the parser.
 */
export function tabRejections(
  text: string,
  from: number,
  to: number,
  spans: readonly Spanned[],
  columnOf: (offset: number) => number,
): Rejection[] {
  const piece = text.slice(from, to);
  if (!TAB_IN_INDENT.test(piece)) return [];
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: Rejection[] = [];
  const lines = new RegExp(TAB_IN_INDENT.source, 'gm');
  for (let match = lines.exec(piece); match; match = lines.exec(piece)) {
    const lineStart = from + match.index;
    const tab = lineStart + match[0].length - 1;
    let first = lineStart;
    while (text[first] === ' ') first++;
    const inside = sorted.find((s) => s.start <= first && first < s.end);
    let allowedFrom: number | undefined;
    if (inside) {
      if (inside.kind !== 'plain') continue;
      allowedFrom = inside.indent;
    } else {
      let before: Spanned | undefined;
      for (const s of sorted) if (s.end <= lineStart && (!before || s.end >= before.end)) before = s;
      if (before?.kind === 'plain' && /^[ \t\r\n]*$/.test(text.slice(before.end, lineStart))) allowedFrom = before.indent;
    }
    if (allowedFrom !== undefined && columnOf(tab) >= allowedFrom) continue;
    out.push({
      start: tab,
      end: tab + 1,
      message:
        'a tab in the indentation: go-yaml (kubectl) refuses a tab at the start of a line or after `-`, even on a line that is otherwise blank or a comment ("found character that cannot start any token"); use spaces',
    });
    if (match[0].length === 0) lines.lastIndex++;
  }
  return out;
}

const NON_FINITE = /^[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)$/;

/**
 * One walk over a document's AST (positions already in file offsets): the scalar and flow spans the tab check
 * needs, and what sigs.k8s.io/yaml cannot turn into JSON although it parses:
 * - a null or empty key (`~: v`, `: v`): "unsupported map key of type: <nil>" / "did not find expected key";
 * - a list or map as a key (`[a, b]: v`): "invalid map key";
 * - `.inf` / `.nan` as a value: "json: unsupported value: +Inf" (encoding/json has no such numbers);
 * - anchor and alias names go-yaml does not take (see badAnchorName).
 */
export function structureOf(
  root: YamlNode | null,
  text: string,
  columnOf: (offset: number) => number,
): { spans: Spanned[]; rejections: Rejection[] } {
  const spans: Spanned[] = [];
  const rejections: Rejection[] = [];
  const stack: [YamlNode | null, number, boolean][] = [[root, 0, false]];
  while (stack.length > 0) {
    const [node, indent, isKey] = stack.pop()!;
    if (!node || !node.range) continue;
    const [start, end] = node.range;
    const name = isAlias(node) ? `*${node.source}` : node.anchor ? `&${node.anchor}` : undefined;
    const badName = name && badAnchorName(name);
    if (badName) {
      // An anchor is written before its node (on the line of the key, for a collection).
      const at = isAlias(node) ? start : text.lastIndexOf(name, start);
      rejections.push({ start: Math.max(0, at), end: Math.max(0, at) + name.length, message: badName });
    }
    if (isScalar(node)) {
      const type = node.type;
      const kind = type === Scalar.PLAIN ? 'plain' : type === Scalar.BLOCK_FOLDED || type === Scalar.BLOCK_LITERAL ? 'block' : 'quoted';
      spans.push({ start, end, kind, indent });
      // As a key, `.inf` stays the text it is written as (sigs.k8s.io/yaml turns keys into strings).
      if (
        kind === 'plain' &&
        !isKey &&
        typeof node.value === 'number' &&
        !Number.isFinite(node.value) &&
        NON_FINITE.test(String(node.source ?? ''))
      ) {
        rejections.push({
          start,
          end,
          message: `\`${String(node.source)}\` is not a number JSON can hold: kubectl stops with "json: unsupported value"; quote it if it is meant as text`,
        });
      }
      continue;
    }
    if (!isMap(node) && !isSeq(node)) continue;
    if (node.flow) spans.push({ start, end, kind: 'flow', indent });
    const firstKey = isMap(node) ? (node.items[0]?.key as YamlNode | null | undefined) : undefined;
    const column = columnOf(firstKey?.range?.[0] ?? start);
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        const key = item.key as YamlNode | null;
        const value = item.value as YamlNode | null;
        const at = key?.range?.[0] ?? value?.range?.[0] ?? start;
        if (isMap(key) || isSeq(key)) {
          const keyEnd = key.range?.[1] ?? at;
          // `{{HF_TOKEN}}` or `{{ .Values.x }}`: a map inside a map for YAML, a placeholder for its author.
          const template = text.startsWith('{{', at - 1);
          rejections.push({
            start: template ? at - 1 : at,
            end: keyEnd,
            message: template
              ? '`{{ ... }}` is template syntax, not YAML: kubectl reads it as a map used as a mapping key and stops ("invalid map key"); substitute or render the file first and lint the result'
              : 'a list or map used as a mapping key: JSON field names are strings, kubectl stops with "invalid map key"',
          });
        } else if (!key || (isScalar(key) && key.value === null)) {
          rejections.push({
            start: at,
            end: key?.range?.[1] ?? at,
            message:
              'an empty or null mapping key (`: value`, `~: value`, `null: value`): kubectl cannot turn it into a JSON field name and stops ("unsupported map key of type: <nil>")',
          });
        }
        stack.push([key, column + 1, true], [value, column + 1, false]);
      } else {
        stack.push([item as YamlNode | null, column + 1, false]);
      }
    }
  }
  return { spans, rejections };
}
