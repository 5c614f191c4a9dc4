import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, parseDocument, Scalar } from 'yaml';
import type { Document, Node as YamlNode, Pair, ParsedNode } from 'yaml';
import { buildPlainDocument } from './fast-parse.js';
import { scanBlockDocument, scanPositions, type ScanPosition } from './line-scan.js';
import {
  hasTabInIndentation,
  needsPreparation,
  prepareForYamlPackage,
  structureOf,
  tabRejections,
  type Leniency,
  type PreparedText,
  type Rejection,
} from './go-yaml-compat.js';
import { KUBECTL_PARSE_OPTIONS } from './yaml-schema.js';
import type { SourceFile, SourceRange } from './source.js';

/** A field path inside a document, e.g. ['spec', 'ports', 1, 'targetPort']. */
export type Path = readonly (string | number)[];

/**
 * - `syntax`: the document does not parse (kubectl stops reading the file there);
 * - `duplicate-key`: a key repeats in one mapping (the last value wins);
 * - `missing-separator`: the top level repeats `apiVersion`/`kind`: two objects with no `---` between them
 *   (kubectl merges them key by key into the last one);
 * - `unseparated`: a document that follows another without a `---` line between them (after a `...` end
 *   marker), which kubectl never reads;
 * - `lenient`: YAML that kubectl reads but YAML 1.2 parsers reject (see go-yaml-compat.ts); the document is read
 *   the way kubectl reads it.
 */
export type ParseProblemKind = 'syntax' | 'duplicate-key' | 'missing-separator' | 'unseparated' | 'lenient';

export interface RelatedRange {
  range: SourceRange;
  message: string;
}

export interface ParseProblem {
  kind: ParseProblemKind;
  message: string;
  range: SourceRange;
  related: RelatedRange[];
  /** For `duplicate-key`: the repeat has the same value as the first, so applying the file changes nothing. */
  sameValue?: boolean;
  /** For `missing-separator`: the objects before and after the missing `---` (`Service "web"`), the keys repeated. */
  objects?: { before: string; after: string; repeated: string; leftover: string };
  /** For `lenient` problems: which of go-yaml's leniencies (the first in the document; `related` has the others). */
  leniency?: Leniency['kind'];
}

/** What a path points at: the range to report, and whether the whole path exists (or we fell back to an ancestor). */
export interface Located {
  range: SourceRange;
  exact: boolean;
}

/** How a scalar was written in the source, for rules about YAML spelling (e.g. `yes` resolved as a boolean). */
export interface ScalarSource {
  /** The scalar as written, e.g. `yes` or `"8080"`. */
  text: string;
  /** Plain (unquoted, untagged) scalars are the ones YAML 1.1 resolves implicitly. */
  plain: boolean;
  range: SourceRange;
}

/**
 * Aliases per document before we call it an alias bomb. The `yaml` package enforces this while building the
 * value; kubectl (go-yaml v2) has its own, similar, guard.
 */
const MAX_ALIAS_COUNT = 100;

/**
 * Deepest nesting of maps and lists we build. The deepest real manifests (CRD OpenAPI schemas) stay well under
 * 100 levels; the `yaml` composer recurses once per level and runs out of stack somewhere around 800 levels
 * (depending on the machine), and kubectl's decoders stop at 10,000. A fixed limit below the stack gives the same
 * clear message on every machine instead of a "Maximum call stack size exceeded" at a random place.
 */
export const MAX_NESTING_DEPTH = 256;

const TOO_DEEP = `collections are nested more than ${MAX_NESTING_DEPTH} levels deep; kubewire does not read this document`;
const ALIAS_BOMB = `the document expands aliases (*name) more than ${MAX_ALIAS_COUNT} times, as an alias bomb ("billion laughs") does; kubewire does not expand it`;

/** Where a document comes from: its piece of the file (see splitDocumentsLikeKubectl) and its place in it. */
export interface DocumentOrigin {
  piece: DocumentPiece;
  /** 0 for the document kubectl reads; more for documents after a `...` marker in the same piece. */
  inPiece: number;
  /** Read by the line scan (line-scan.ts), which then also finds its positions, without the composer. */
  scanned?: true;
}

/**
 * One YAML document of a file, parsed like kubectl parses it, with a way back from any field to its position.
 *
 * The document keeps its value, its problems and where it comes from, not its syntax tree: positions are needed
 * for the few documents a finding is about, so `locate` parses the document's piece again (with the composer,
 * as parseManifestFile's own fallback does) the first time it is asked, and a small cache keeps the last pieces.
 * A run over 100k resources then holds values, not a yaml AST per document (some 40 bytes per byte of YAML).
 */
export class ManifestDocument {
  constructor(
    readonly file: SourceFile,
    /** 0-based index of the document in its file. */
    readonly index: number,
    /** The document as JSON-like data, or undefined when it could not be parsed. */
    readonly value: unknown,
    readonly problems: ParseProblem[],
    readonly origin: DocumentOrigin,
  ) {}

  private get ast(): Document.Parsed {
    return composedPiece(this.file, this.origin.piece)[this.origin.inPiece]!.ast;
  }

  /** True when the document parsed cleanly enough to be linted as a resource. */
  get usable(): boolean {
    return !this.problems.some((p) => p.kind === 'syntax' || p.kind === 'unseparated');
  }

  /** The range for a field; falls back to the nearest ancestor that exists (never to "line 1"). */
  locate(path: Path): Located {
    const scanned = this.scannedPositions();
    const found = scanned && locateScanned(scanned, path, this.file, this.origin.piece.start);
    if (found) return found;
    const { node, key, exact } = this.walk(path);
    return { range: this.rangeOf(node, key), exact };
  }

  /** How the scalar at `path` was written, when the path names a scalar. */
  scalarSource(path: Path): ScalarSource | undefined {
    const scanned = this.scannedPositions();
    const found = scanned && scalarSourceScanned(scanned, path, this.file, this.origin.piece.start);
    if (found) return found.source;
    const { node, exact } = this.walk(path);
    if (!exact || !node || !isScalar(node) || !node.range) return undefined;
    const [start, end] = node.range;
    const text = this.file.text.slice(start, end);
    const plain = node.type === Scalar.PLAIN && !node.tag;
    return { text, plain, range: this.file.rangeAt(start, end) };
  }

  private scannedPositions(): ScanPosition | undefined {
    if (!this.origin.scanned) return undefined;
    const { piece } = this.origin;
    const byStart = scannedPositions.get(this.file);
    if (byStart?.has(piece.start)) return byStart.get(piece.start);
    const positions = scanPositions(this.file.text.slice(piece.start, piece.end));
    rememberRecent(scannedPositions, this.file, piece.start, positions, recentScans);
    return positions;
  }

  private walk(path: Path): { node: YamlNode | null; key: YamlNode | null; exact: boolean } {
    let node: YamlNode | null = this.ast.contents;
    let key: YamlNode | null = null;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      if (node && isAlias(node)) node = (node.resolve(this.ast) as YamlNode | undefined) ?? node;
      if (isMap(node) && typeof segment === 'string') {
        const pair = findLastPair(node.items, segment);
        if (!pair) return { node, key, exact: false };
        node = (pair.value as YamlNode | null) ?? null;
        key = pair.key as YamlNode;
      } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
        node = node.items[segment] as YamlNode;
        key = null;
      } else {
        return { node, key, exact: false };
      }
      // `selector:` with no value still has a position (its key), but nothing below it exists.
      if (!node) return { node: null, key, exact: i === path.length - 1 };
    }
    return { node, key, exact: true };
  }

  private rangeOf(node: YamlNode | null, key: YamlNode | null): SourceRange {
    // Scalars point at the value itself; collections and missing values point at their key, which is what a
    // reader looks for ("selector:"), and keeps the range on one line.
    // An empty value (`selector:` with nothing after it) is a zero-width scalar at the end of the line: point at
    // its key instead.
    const empty = node && isScalar(node) && node.range && node.range[0] === node.range[1];
    if (node && isScalar(node) && node.range && !(empty && key?.range)) return this.file.rangeAt(node.range[0], node.range[1]);
    if (key?.range) return this.file.rangeAt(key.range[0], key.range[1]);
    if (node?.range) return this.firstLineOf(node.range[0], node.range[1]);
    const docStart = this.ast.range?.[0] ?? 0;
    return this.firstLineOf(docStart, this.ast.range?.[1] ?? docStart);
  }

  private firstLineOf(start: number, end: number): SourceRange {
    const text = this.file.text;
    let stop = start;
    while (stop < end && text.charCodeAt(stop) !== 10 && text.charCodeAt(stop) !== 13) stop++;
    return this.file.rangeAt(start, stop);
  }
}

/**
 * locate() for a document the line scan read, from its positions: the same walk and the same ranges as the
 * composer's (ManifestDocument.walk and rangeOf), or undefined where the scan does not know the composer's
 * answer and the caller asks the composer (test/fast-parse.test.ts compares the two on every field).
 */
function locateScanned(root: ScanPosition, path: Path, file: SourceFile, offset: number): Located | undefined {
  const { node, key, exact } = walkScanned(root, path);
  let range: readonly [number, number] | undefined;
  if (node.kind === 'scalar') range = [node.start, node.end];
  else if (node.kind === 'map' || node.kind === 'seq' || node.kind === 'empty') {
    // Collections and empty values point at their key; a collection without one, at its first line.
    range = key ?? (node.kind !== 'empty' && node.firstLineEnd !== undefined ? [node.start, node.firstLineEnd] : undefined);
  }
  return range && { range: file.rangeAt(offset + range[0], offset + range[1]), exact };
}

function scalarSourceScanned(
  root: ScanPosition,
  path: Path,
  file: SourceFile,
  offset: number,
): { source: ScalarSource | undefined } | undefined {
  const { node, exact } = walkScanned(root, path);
  if (!exact || node.kind === 'map' || node.kind === 'seq') return { source: undefined };
  if (node.kind !== 'scalar') return undefined;
  const start = offset + node.start;
  const end = offset + node.end;
  return { source: { text: file.text.slice(start, end), plain: node.plain, range: file.rangeAt(start, end) } };
}

function walkScanned(root: ScanPosition, path: Path): { node: ScanPosition; key: readonly [number, number] | undefined; exact: boolean } {
  let node = root;
  let key: readonly [number, number] | undefined;
  for (const segment of path) {
    if (node.kind === 'map' && typeof segment === 'string') {
      const pair = node.pairs.get(segment);
      if (!pair) return { node, key, exact: false };
      node = pair.value;
      key = pair.key;
    } else if (node.kind === 'seq' && typeof segment === 'number' && node.items[segment]) {
      node = node.items[segment];
      key = undefined;
    } else {
      return { node, key, exact: false };
    }
  }
  return { node, key, exact: true };
}

function keyString(key: unknown): string | undefined {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a scalar key resolves to a string, number or boolean
  if (isScalar(key)) return key.value === null ? 'null' : String(key.value);
  return undefined;
}

function findLastPair(pairs: Pair[], name: string): Pair | undefined {
  for (let i = pairs.length - 1; i >= 0; i--) if (keyString(pairs[i]!.key) === name) return pairs[i];
  return undefined;
}

export interface ParseOptions {
  /** Parse every piece with the composer path, never buildPlainDocument (the reference the tests compare with). */
  composerOnly?: boolean;
}

/** Parses a file into its documents, the way kubectl would, keeping every problem with its position. */
export function parseManifestFile(file: SourceFile, options: ParseOptions = {}): ManifestDocument[] {
  const documents: ManifestDocument[] = [];
  for (const piece of splitDocumentsLikeKubectl(file.text)) {
    const plain = options.composerOnly ? undefined : plainPiece(file.text.slice(piece.start, piece.end), piece);
    if (plain) {
      const origin: DocumentOrigin = plain.scanned ? { piece, inPiece: 0, scanned: true } : { piece, inPiece: 0 };
      documents.push(new ManifestDocument(file, documents.length, plain.value, [], origin));
      continue;
    }
    composePiece(file, piece).forEach((composed, inPiece) => {
      const { value, problems } = findingsOf(file, composed);
      documents.push(new ManifestDocument(file, documents.length, value, problems, { piece, inPiece }));
    });
  }
  return documents;
}

/** A file's documents, or why the parser gave up on it. */
export type FileParse = { documents: ManifestDocument[] } | { error: string };

/** parseManifestFile for a run of many files: a file the parser gives up on is a result, not an exception. */
export function tryParseManifestFile(file: SourceFile): FileParse {
  try {
    return { documents: parseManifestFile(file) };
  } catch (error) {
    // The parser itself gave up (e.g. nesting too deep for the stack): the file is reported, the rest goes on.
    return { error: (error as Error).message };
  }
}

/**
 * The fast path: a piece with nothing for go-yaml-compat.ts to rewrite or reject, built without the composer
 * when buildPlainDocument can read it exactly (undefined otherwise). Exported for the tests that compare paths.
 */
export function plainPiece(source: string, piece: DocumentPiece): { value: unknown; scanned?: true } | undefined {
  if (piece.invalidSeparator || needsPreparation(source, false) || hasTabInIndentation(source)) return undefined;
  const scanned = scanBlockDocument(source);
  return scanned ? { value: scanned.value, scanned: true } : buildPlainDocument(source);
}

/** One document of a piece as the composer reads it, positions in file offsets. */
interface ComposedDocument {
  ast: Document.Parsed;
  unseparated: boolean;
  invalidSeparator?: { start: number; end: number };
  compat?: CompatFindings;
}

/** The composer path: the `yaml` package's documents of one piece, after go-yaml compatibility rewrites. */
function composePiece(file: SourceFile, piece: DocumentPiece): ComposedDocument[] {
  // Rewrite what go-yaml accepts and the `yaml` package would not (positions are mapped back).
  const source = file.text.slice(piece.start, piece.end);
  let prepared: PreparedText = { text: source, toOriginal: (offset) => offset, lenient: [], rejections: [] };
  let parsed = parseAllDocuments(source, KUBECTL_PARSE_OPTIONS);
  const failed = (Array.isArray(parsed) ? parsed : [parsed]).some((d) => d.errors.length > 0);
  if (needsPreparation(source, failed)) {
    prepared = prepareForYamlPackage(source);
    if (prepared.text !== source) parsed = parseAllDocuments(prepared.text, KUBECTL_PARSE_OPTIONS);
  }
  const toFile = (offset: number) => piece.start + prepared.toOriginal(offset);
  let documents = Array.isArray(parsed) ? parsed : [parsed];
  // A piece with only a directive (`%YAML 1.1` before the first `---`) holds no document for the `yaml`
  // package, but kubectl fails on it: keep a document to carry the problem.
  if (documents.length === 0 && prepared.rejections.length > 0) documents = [parseDocument(prepared.text, KUBECTL_PARSE_OPTIONS)];
  return documents.map((ast, i) => {
    remapPositions(ast, toFile);
    // go-yaml v2's Unmarshal decodes the first document of a piece and ignores the rest (a document after
    // a `...` end marker with no `---` line).
    return {
      ast: ast,
      unseparated: i > 0,
      ...(i === 0 && piece.invalidSeparator ? { invalidSeparator: piece.invalidSeparator } : {}),
      ...(i === 0 ? { compat: { piece, lenient: prepared.lenient, rejections: prepared.rejections } } : {}),
    };
  });
}

/** Pieces parsed again for positions, most recent last: enough for the findings of a few documents at a time. */
const composedPieces = new WeakMap<SourceFile, Map<number, ComposedDocument[]>>();
const recentPieces: { file: SourceFile; start: number }[] = [];
/** The same for the positions of pieces the line scan read (undefined: it did not read them this time). */
const scannedPositions = new WeakMap<SourceFile, Map<number, ScanPosition | undefined>>();
const recentScans: { file: SourceFile; start: number }[] = [];
const MAX_RECENT_PIECES = 64;

function composedPiece(file: SourceFile, piece: DocumentPiece): ComposedDocument[] {
  const known = composedPieces.get(file)?.get(piece.start);
  if (known) return known;
  const composed = composePiece(file, piece);
  rememberRecent(composedPieces, file, piece.start, composed, recentPieces);
  return composed;
}

function rememberRecent<T>(
  cache: WeakMap<SourceFile, Map<number, T>>,
  file: SourceFile,
  start: number,
  value: T,
  recent: { file: SourceFile; start: number }[],
): void {
  let byStart = cache.get(file);
  if (!byStart) cache.set(file, (byStart = new Map<number, T>()));
  byStart.set(start, value);
  recent.push({ file, start });
  if (recent.length > MAX_RECENT_PIECES) {
    const oldest = recent.shift()!;
    cache.get(oldest.file)?.delete(oldest.start);
  }
}

/** The value and problems of one composed document. */
function findingsOf(
  file: SourceFile,
  { ast, unseparated, invalidSeparator, compat }: ComposedDocument,
): { value: unknown; problems: ParseProblem[] } {
  const problems: ParseProblem[] = [];
  if (invalidSeparator) {
    problems.push({
      kind: 'syntax',
      message: 'invalid document separator: kubectl allows only white space or a comment after `---` on its line',
      range: file.rangeAt(invalidSeparator.start, invalidSeparator.end),
      related: [],
    });
  }
  if (unseparated) {
    const start = ast.range?.[0] ?? 0;
    problems.push({
      kind: 'unseparated',
      message: 'document not separated from the previous one by a `---` line',
      range: firstLineRange(file, [start, ast.range?.[1] ?? start]),
      related: [],
    });
    return { value: undefined, problems };
  }
  for (const error of ast.errors) {
    problems.push({
      kind: 'syntax',
      // The composer turns a stack overflow on deep nesting into RESOURCE_EXHAUSTION: say what it means.
      message: error.code === 'RESOURCE_EXHAUSTION' ? TOO_DEEP : firstLine(error.message),
      range: file.rangeAt(error.pos[0], error.pos[1]),
      related: [],
    });
  }
  if (compat) addGoYamlFindings(file, ast, compat, problems);
  const parsedCleanly = () => !problems.some((p) => p.kind === 'syntax');
  if (parsedCleanly()) {
    const shape = measureShape(ast.contents);
    if (shape.tooDeep) problems.push({ kind: 'syntax', message: TOO_DEEP, range: firstLineRange(file, shape.tooDeep), related: [] });
  }
  if (parsedCleanly()) collectDuplicateKeys(ast, file, problems);
  let value: unknown;
  if (parsedCleanly()) {
    try {
      value = ast.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      const text = String((error as Error)?.message ?? error);
      const bomb = /alias count/i.test(text);
      const firstAlias = bomb ? measureShape(ast.contents).firstAlias : undefined;
      const start = firstAlias?.[0] ?? ast.range?.[0] ?? 0;
      problems.push({
        kind: 'syntax',
        message: bomb ? ALIAS_BOMB : error instanceof RangeError ? TOO_DEEP : `the document could not be built: ${firstLine(text)}`,
        range: firstAlias ? file.rangeAt(firstAlias[0], firstAlias[1]) : file.rangeAt(start, start),
        related: [],
      });
    }
  }
  return { value, problems };
}

/**
 * kubectl does not hand a whole file to the YAML parser. k8s.io/apimachinery/pkg/util/yaml `YAMLReader.Read`
 * first cuts it at every line that starts with `---` followed by nothing but white space or a comment, and
 * refuses a `---` line with anything else after it ("invalid Yaml document separator"); each piece is then
 * decoded on its own with go-yaml v2, which reads the first document of a piece only. We cut the same way, so
 * every document is judged as kubectl sees it: an unclosed quote breaks its own piece only (kubewire still
 * lints the later pieces, though kubectl stops reading the file at the first error).
 */
export interface DocumentPiece {
  start: number;
  end: number;
  /** A `---` line with content after it (`---apiVersion: v1`): kubectl stops reading the file there. */
  invalidSeparator?: { start: number; end: number };
}

export function splitDocumentsLikeKubectl(text: string): DocumentPiece[] {
  const pieces: DocumentPiece[] = [];
  let piece: DocumentPiece = { start: 0, end: 0 };
  let lineStart = 0;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    if (text.startsWith('---', lineStart)) {
      const rest = text.slice(lineStart + 3, lineEnd).trim();
      piece.end = lineStart;
      pieces.push(piece);
      if (rest === '' || rest.startsWith('#')) {
        piece = { start: newline < 0 ? text.length : newline + 1, end: 0 };
      } else {
        // Keep the line in the next piece, so the parser still reads what follows `---`.
        piece = { start: lineStart, end: 0, invalidSeparator: { start: lineStart, end: lineEnd } };
      }
    }
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  piece.end = text.length;
  pieces.push(piece);
  // A piece of white space (before the first `---`, between two `---`) is no document; keep one so that an
  // empty file still has its (empty) document.
  const nonEmpty = pieces.filter((p) => p.invalidSeparator || text.slice(p.start, p.end).trim() !== '');
  return nonEmpty.length > 0 ? nonEmpty : [pieces[0]!];
}

/** Maps every position of a piece's AST (and its errors) from the parsed text to the file. */
function remapPositions(ast: Document.Parsed, toFile: (offset: number) => number): void {
  const map = (range: [number, number, number] | null | undefined) => {
    if (range) for (let i = 0; i < range.length; i++) range[i] = toFile(range[i]!);
  };
  map(ast.range);
  for (const error of [...ast.errors, ...ast.warnings]) {
    error.pos[0] = toFile(error.pos[0]);
    error.pos[1] = toFile(error.pos[1]);
  }
  const stack: unknown[] = [ast.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isPair(node)) {
      stack.push(node.key, node.value);
      continue;
    }
    if (!node || typeof node !== 'object' || !('range' in node)) continue;
    map((node as { range?: [number, number, number] }).range);
    if (isMap(node) || isSeq(node)) stack.push(...(node.items as unknown[]));
  }
}

interface CompatFindings {
  piece: DocumentPiece;
  lenient: Leniency[];
  rejections: Rejection[];
}

/**
 * What go-yaml rejects although the `yaml` package parsed it (a syntax problem: kubectl stops reading the file
 * there), and what only go-yaml accepts (a `lenient` note, reported once per document).
 */
function addGoYamlFindings(file: SourceFile, ast: Document.Parsed, compat: CompatFindings, problems: ParseProblem[]): void {
  const { piece } = compat;
  const columnOf = (offset: number) => file.positionAt(offset).column - 1;
  const structure = structureOf(ast.contents, file.text, columnOf);
  const rejections = [
    ...compat.rejections.map((r) => ({ ...r, start: piece.start + r.start, end: piece.start + r.end })),
    ...structure.rejections,
    ...tabRejections(file.text, piece.start, piece.end, structure.spans, columnOf),
  ];
  // Where the parser already stopped on the same line (a tab before a key), its message is the one to keep.
  const linesWithErrors = new Set(problems.filter((p) => p.kind === 'syntax').map((p) => p.range.line));
  for (const r of rejections) {
    const range = file.rangeAt(r.start, r.end);
    if (!linesWithErrors.has(range.line)) problems.push({ kind: 'syntax', message: r.message, range, related: [] });
  }
  const first = compat.lenient[0];
  if (first) {
    problems.push({
      kind: 'lenient',
      leniency: first.kind,
      message: LENIENT_MESSAGES[first.kind],
      range: file.rangeAt(piece.start + first.start, piece.start + first.end),
      related: compat.lenient
        .slice(1)
        .map((l) => ({ range: file.rangeAt(piece.start + l.start, piece.start + l.end), message: LENIENT_MESSAGES[l.kind] })),
    });
  }
  problems.sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column);
}

const LENIENT_MESSAGES: Record<Leniency['kind'], string> = {
  'under-indented': 'a continuation line of a quoted value or of a [ ] / { } collection is indented no deeper than its key',
  'comment-without-space': 'a `#` comment follows the value with no space before it',
  'escaped-apostrophe': "the escape `\\'` in a double-quoted string is YAML 1.1 only",
};

/**
 * One iterative walk over the AST (a recursive one would overflow on exactly the input it guards against): the
 * first collection nested deeper than MAX_NESTING_DEPTH, and the first alias (where an alias bomb starts).
 */
function measureShape(root: YamlNode | null): { tooDeep?: [number, number]; firstAlias?: [number, number] } {
  const out: { tooDeep?: [number, number]; firstAlias?: [number, number] } = {};
  const stack: [YamlNode | null, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (!node) continue;
    if (isAlias(node)) {
      if (node.range && (!out.firstAlias || node.range[0] < out.firstAlias[0])) out.firstAlias = [node.range[0], node.range[1]];
      continue;
    }
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > MAX_NESTING_DEPTH) {
      if (node.range && (!out.tooDeep || node.range[0] < out.tooDeep[0])) out.tooDeep = [node.range[0], node.range[1]];
      continue;
    }
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        stack.push([item.key as YamlNode | null, depth + 1]);
        stack.push([item.value as YamlNode | null, depth + 1]);
      } else {
        stack.push([item as YamlNode | null, depth + 1]);
      }
    }
  }
  return out;
}

function firstLineRange(file: SourceFile, [start, end]: [number, number]): SourceRange {
  let stop = start;
  while (stop < end && file.text.charCodeAt(stop) !== 10 && file.text.charCodeAt(stop) !== 13) stop++;
  return file.rangeAt(start, stop);
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

/**
 * Duplicate keys: kubectl's YAML-to-JSON conversion (sigs.k8s.io/yaml with go-yaml v2, non-strict) silently keeps
 * the last one, so the value keeps the last one too; kustomize (kyaml, yaml.v3) rejects them ("mapping key already
 * defined"). We report each repeat at its own position, pointing back at the first, and say whether the two
 * values are the same (then applying the file changes nothing).
 * Merge keys (`<<`) may repeat and may be overridden: that is their purpose, not a duplicate.
 *
 * A document whose top level repeats `apiVersion` or `kind` is two objects with a missing `---` between them
 * (`cat a.yaml b.yaml`): one `missing-separator` problem per missing line, and no duplicate-key problem for its
 * top-level keys, which all follow from that one mistake.
 */
function collectDuplicateKeys(ast: Document.Parsed, file: SourceFile, problems: ParseProblem[]): void {
  const root = ast.contents as YamlNode | null;
  const stack: (YamlNode | null)[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node) continue;
    if (isMap(node)) {
      const glued = node === root ? missingSeparators(node.items, file) : [];
      problems.push(...glued);
      const seen = new Map<string, Pair>();
      for (const pair of node.items) {
        const name = keyString(pair.key);
        const keyNode = pair.key as ParsedNode;
        if (name !== undefined && name !== '<<' && isScalar(keyNode)) {
          const first = seen.get(name);
          const firstKey = first?.key as ParsedNode | undefined;
          if (firstKey?.range && keyNode.range && glued.length === 0) {
            const firstRange = file.rangeAt(firstKey.range[0], firstKey.range[1]);
            problems.push({
              kind: 'duplicate-key',
              message: `duplicate key "${name}" (first defined at line ${firstRange.line})`,
              range: file.rangeAt(keyNode.range[0], keyNode.range[1]),
              related: [{ range: firstRange, message: `first "${name}" here` }],
              ...(sameValue(ast, first!.value, pair.value) ? { sameValue: true } : {}),
            });
          } else if (!first) {
            seen.set(name, pair);
          }
        }
        if (isPair(pair)) stack.push(pair.value as YamlNode | null);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item as YamlNode | null);
    }
  }
  // The walk is depth-first from the end; report in source order.
  problems.sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column);
}

/** Whether two values build the same JSON (`"1"` and `1` do not); false when either cannot be built. */
function sameValue(ast: Document.Parsed, a: unknown, b: unknown): boolean {
  try {
    const build = (node: unknown): unknown =>
      node && typeof node === 'object' && 'toJS' in node ? (node as YamlNode).toJS(ast, { maxAliasCount: MAX_ALIAS_COUNT }) : null;
    return canonicalJson(build(a)) === canonicalJson(build(b));
  } catch {
    return false;
  }
}

function canonicalJson(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
        : v,
    ) ?? 'undefined'
  );
}

/** Keys that start a Kubernetes object: a second one at the top level means a second object. */
const OBJECT_START_KEYS = ['apiVersion', 'kind'] as const;

/**
 * The missing `---` lines of a top-level mapping that holds several objects: the n-th object starts at the
 * earlier of its n-th `apiVersion` and n-th `kind` key.
 */
function missingSeparators(pairs: Pair[], file: SourceFile): ParseProblem[] {
  const occurrences = (name: string) => pairs.filter((p) => keyString(p.key) === name && isScalar(p.key));
  const starts = OBJECT_START_KEYS.map(occurrences);
  const objectCount = Math.max(...starts.map((s) => s.length));
  if (objectCount < 2) return [];
  const kinds = occurrences('kind');
  const metadata = occurrences('metadata');
  const describe = (n: number) => {
    const kind = kinds[n]?.value;
    const meta = metadata[n]?.value;
    const name = isMap(meta) ? meta.get('name') : undefined;
    const kindText = isScalar(kind) && typeof kind.value === 'string' ? kind.value : 'object';
    return typeof name === 'string' ? `${kindText} "${name}"` : kindText;
  };
  const repeated = [
    ...new Set(
      pairs.map((p) => keyString(p.key)).filter((k, i, all): k is string => k !== undefined && k !== '<<' && all.indexOf(k) !== i),
    ),
  ];
  const problems: ParseProblem[] = [];
  for (let n = 1; n < objectCount; n++) {
    const keys = starts.map((s) => s[n]?.key as ParsedNode | undefined).filter((k): k is ParsedNode => Boolean(k?.range));
    const start = keys.sort((a, b) => a.range[0] - b.range[0])[0];
    if (!start?.range) continue;
    const previous = starts.map((s) => s[n - 1]?.key as ParsedNode | undefined).filter((k): k is ParsedNode => Boolean(k?.range));
    const previousStart = previous.sort((a, b) => a.range[0] - b.range[0])[0];
    // Top-level keys of the previous object that the next one does not write: they stay in the merged object.
    const next = starts.map((s) => s[n + 1]?.key as ParsedNode | undefined).filter((k): k is ParsedNode => Boolean(k?.range));
    const nextStart = next.sort((a, b) => a.range[0] - b.range[0])[0]?.range?.[0] ?? Infinity;
    const keysBetween = (from: number, to: number) =>
      new Set(
        pairs.filter((p) => isScalar(p.key) && p.key.range && p.key.range[0] >= from && p.key.range[0] < to).map((p) => keyString(p.key)!),
      );
    const after = keysBetween(start.range[0], nextStart);
    const leftover = [...keysBetween(previousStart?.range?.[0] ?? 0, start.range[0])].filter((k) => k !== '<<' && !after.has(k));
    problems.push({
      kind: 'missing-separator',
      message: `a \`---\` line is probably missing here: the document repeats ${repeated.join(', ')}`,
      range: file.rangeAt(start.range[0], start.range[1]),
      related: previousStart?.range
        ? [
            {
              range: file.rangeAt(previousStart.range[0], previousStart.range[1]),
              message: `the previous object (${describe(n - 1)}) starts here`,
            },
          ]
        : [],
      objects: {
        before: describe(n - 1),
        after: describe(n),
        repeated: repeated.join(', '),
        leftover:
          leftover.length > 0
            ? `, and ${describe(n)} also gets the fields only the first one has (${leftover.join(', ')}), which the API server refuses if they do not belong to it`
            : '',
      },
    });
  }
  return problems;
}
