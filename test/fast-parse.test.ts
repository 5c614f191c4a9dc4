/**
 * The fast parse paths (src/loader/line-scan.ts, then src/loader/fast-parse.ts) against the composer path they
 * replace, which stays as the reference (`parseManifestFile(file, { composerOnly: true })`): on every committed
 * manifest and on generated YAML made of the constructs that tell parsers apart, they give the same values (same
 * keys in the same order, same types, same numbers), the same problems and the same positions for every field.
 * Each fast reader is also compared on its own, on every piece it reads, since the line scan goes first and
 * would otherwise hide the syntax-tree reader from the comparison.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Document, type ScalarTag } from 'yaml';
import { buildPlainDocument, RESOLVABLE_FIRST_CHARACTERS } from '../src/loader/fast-parse.js';
import { KUBECTL_PARSE_OPTIONS } from '../src/loader/yaml-schema.js';
import { scanBlockDocument } from '../src/loader/line-scan.js';
import { parseManifestFile, plainPiece, splitDocumentsLikeKubectl, type DocumentPiece, type Path } from '../src/loader/parse.js';
import { SourceFile } from '../src/loader/source.js';
import { repoRoot } from './helpers.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20_251_201);

/** Every difference between two values, as paths: type, key order, own keys, numbers compared with Object.is. */
function differences(a: unknown, b: unknown, at = '$'): string[] {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return [`${at}: array vs ${typeof (Array.isArray(a) ? b : a)}`];
    if (a.length !== b.length) return [`${at}: length ${a.length} vs ${b.length}`];
    return a.flatMap((item, i) => differences(item, b[i], `${at}[${i}]`));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return [`${at}: different prototypes`];
    const keysA = Reflect.ownKeys(a);
    const keysB = Reflect.ownKeys(b);
    if (JSON.stringify(keysA.map(String)) !== JSON.stringify(keysB.map(String)))
      return [`${at}: keys ${keysA.map(String).join(',')} vs ${keysB.map(String).join(',')}`];
    return keysA.flatMap((key) =>
      differences((a as Record<PropertyKey, unknown>)[key], (b as Record<PropertyKey, unknown>)[key], `${at}.${String(key)}`),
    );
  }
  return Object.is(a, b) ? [] : [`${at}: ${String(a)} (${typeof a}) vs ${String(b)} (${typeof b})`];
}

/** Every path of a value, with the containers first. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...pathsOf(item, [...prefix, i])));
  else if (value && typeof value === 'object')
    for (const key of Object.keys(value)) out.push(...pathsOf((value as Record<string, unknown>)[key], [...prefix, key]));
  return out;
}

/** The paths agree on a file: values, problems, and every field's position and source. */
function expectSameParse(name: string, text: string): { documents: number; fast: number; scanned: number } {
  const file = new SourceFile(name, text);
  const fast = parseManifestFile(file);
  const reference = parseManifestFile(file, { composerOnly: true });
  expect(fast.length, `${name}: number of documents`).toBe(reference.length);
  fast.forEach((document, i) => {
    const expected = reference[i]!;
    const what = `${name} document ${i}`;
    expect(differences(document.value, expected.value), what).toEqual([]);
    expect(document.problems, what).toEqual(expected.problems);
    expect(document.usable, what).toBe(expected.usable);
    expect(document.index, what).toBe(expected.index);
    for (const field of pathsOf(expected.value).slice(0, 120)) {
      expect(document.locate(field), `${what} at ${JSON.stringify(field)}`).toEqual(expected.locate(field));
      expect(document.scalarSource(field), `${what} at ${JSON.stringify(field)}`).toEqual(expected.scalarSource(field));
      // The value and the syntax tree positions are read from agree: every field of the value exists there.
      if (isPlain(text, document.origin.piece)) expect(document.locate(field).exact, `${what} at ${JSON.stringify(field)}`).toBe(true);
    }
    expect(document.locate(['no', 'such', 0]), what).toEqual(expected.locate(['no', 'such', 0]));
  });
  let scanned = 0;
  for (const document of reference) {
    const { piece, inPiece } = document.origin;
    if (inPiece !== 0 || !isPlain(text, piece)) continue;
    const source = text.slice(piece.start, piece.end);
    const scan = scanBlockDocument(source);
    const tree = buildPlainDocument(source);
    const what = `${name} document ${document.index}`;
    if (scan) {
      scanned++;
      expect(differences(scan.value, document.value), `${what}, line scan`).toEqual([]);
    }
    if (tree) expect(differences(tree.value, document.value), `${what}, syntax tree`).toEqual([]);
  }
  return { documents: fast.length, fast: fastPieces(text), scanned };
}

function isPlain(text: string, piece: DocumentPiece): boolean {
  return plainPiece(text.slice(piece.start, piece.end), piece) !== undefined;
}

function fastPieces(text: string): number {
  return splitDocumentsLikeKubectl(text).filter((piece) => isPlain(text, piece)).length;
}

function manifestsUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...manifestsUnder(full));
    else if (/\.(ya?ml|json)$/.test(entry)) out.push(full);
  }
  return out.sort();
}

// ---- generated YAML ----------------------------------------------------------------------------------------

/** Scalars that resolve differently in YAML 1.1, 1.2 and go-yaml, or that are hard to delimit. */
const SCALARS = [
  'web',
  'TCP',
  '80',
  '0777',
  '0o17',
  '0x1F',
  '0X1f',
  '0b101',
  '0B11',
  '+12',
  '-0',
  '1_000',
  '1e3',
  '1.5',
  '-.5',
  '.5e3',
  '1.0e400',
  '.inf',
  '-.Inf',
  '.nan',
  'yes',
  'No',
  'ON',
  'off',
  'y',
  'n',
  'true',
  'False',
  '~',
  'null',
  'NULL',
  '',
  '12:30',
  '190:20:30',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '"quoted"',
  "'single'",
  '"esc\\t\\u00e9\\x41"',
  "'it''s'",
  '"a\\"b"',
  '"\\/"',
  '"\\\'"',
  'a b c',
  'a:b',
  'a#b',
  'a #b',
  '@at',
  '`tick',
  '%pct',
  '!!str 1',
  '!!int "3"',
  '!!binary aGVsbG8=',
  '!custom x',
  '&anchor v',
  '*anchor',
  '[]',
  '{}',
  '[a, b]',
  '[1, "2", yes]',
  '{a: 1, b: [x]}',
  '[a, ]',
  '[, a]',
  '{a}',
  '{a: }',
  '[a: 1]',
  '[a,b]',
  '{ "k": v }',
  '[a]#c',
  '"multi\n  line"',
  'plain\n  continued',
  '|\n  block\n  text',
  '>-\n  folded\n  text',
  '|+\n  keep\n',
  '|2\n    indented',
  '|\n\ttab',
  '"under\nindented"',
  "'under\nindented'",
  '[a,\nb]',
  '{a: 1,\n  b: 2}',
  '__proto__',
  'constructor',
  'toString',
  '🚀',
  '\u00a0',
  'a\tb',
  '<<',
  '"<<"',
  '? complex',
  '- item',
  '-',
  '---',
  '...',
  '# comment',
  'v # comment',
  'v#nospace',
  '"v"# c',
];
const KEYS = [
  'name',
  'app',
  'port',
  'a',
  'b',
  '"quoted key"',
  "'k'",
  '80',
  'yes',
  '~',
  'null',
  '',
  '<<',
  '__proto__',
  'toString',
  '1.0',
  '0x10',
  'a b',
  'k:v',
  '? q',
  '[x]',
  '{y: 1}',
  '&k key',
  '*k',
  '!!str s',
  'é',
];

interface Tree {
  kind: 'map' | 'seq' | 'scalar';
  scalar?: number;
  items?: { key: number; value: Tree }[];
}

const treeArb: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('scalar' as const), scalar: fc.nat(SCALARS.length - 1) }),
    fc.record({
      kind: fc.constant('map' as const),
      items: fc.array(fc.record({ key: fc.nat(KEYS.length * 3), value: tie('tree') }), { minLength: 1, maxLength: 5 }),
    }),
    fc.record({
      kind: fc.constant('seq' as const),
      items: fc.array(fc.record({ key: fc.nat(), value: tie('tree') }), { minLength: 1, maxLength: 4 }),
    }),
  ),
})).tree;

/** Damage applied to the rendered lines: the mistakes people make by hand. */
const damageArb = fc.array(
  fc.record({
    op: fc.constantFrom('indent', 'dedent', 'tab', 'comment', 'duplicate', 'delete', 'separator', 'end-marker', 'trailing-space', 'cr'),
    line: fc.nat(),
  }),
  { maxLength: 3 },
);

/** The words a generated document is made of, and how its collections are laid out. */
interface Style {
  scalars: readonly string[];
  keys: readonly string[];
  /** `key:\n- item` (the sequence in its key's column) rather than `key:\n  - item`. */
  sequenceInColumn: boolean;
  /** Spaces after each `-`. */
  dashSpaces: number;
}

const TRICKY: Style = { scalars: SCALARS, keys: KEYS, sequenceInColumn: false, dashSpaces: 1 };

/** Keys mostly plain and distinct (so most documents take a fast path), sometimes from the style's list. */
function keyText(style: Style, n: number, i: number): string {
  return n < style.keys.length ? style.keys[n]! : `key${i}`;
}

function render(tree: Tree, indent: number, style: Style = TRICKY): string[] {
  const pad = ' '.repeat(indent);
  const { scalars } = style;
  if (tree.kind === 'scalar') return [scalars[tree.scalar! % scalars.length]!];
  if (tree.kind === 'map') {
    return tree.items!.flatMap(({ key, value }, i) => {
      const k = keyText(style, key, i);
      if (value.kind === 'scalar') {
        const [first, ...rest] = scalars[value.scalar! % scalars.length]!.split('\n');
        return [`${pad}${k}: ${first}`.trimEnd(), ...rest.map((line) => `${pad}${line}`)];
      }
      return [`${pad}${k}:`, ...render(value, value.kind === 'seq' && style.sequenceInColumn ? indent : indent + 2, style)];
    });
  }
  const dash = `-${' '.repeat(style.dashSpaces)}`;
  return tree.items!.flatMap(({ value }) => {
    if (value.kind === 'scalar') {
      const [first, ...rest] = scalars[value.scalar! % scalars.length]!.split('\n');
      return [`${pad}${dash}${first}`.trimEnd(), ...rest.map((line) => `${pad}  ${line}`)];
    }
    const [first, ...rest] = render(value, indent + dash.length, style);
    return [`${pad}${dash}${first!.trimStart()}`, ...rest];
  });
}

function damage(lines: string[], damages: readonly { op: string; line: number }[]): string {
  const out = [...lines];
  for (const { op, line } of damages) {
    if (out.length === 0) break;
    const i = line % out.length;
    if (op === 'indent') out[i] = ` ${out[i]}`;
    else if (op === 'dedent') out[i] = out[i]!.replace(/^ /, '');
    else if (op === 'tab') out[i] = out[i]!.replace(/^( *)/, '$1\t');
    else if (op === 'comment') out.splice(i, 0, `${' '.repeat(i % 4)}# note`);
    else if (op === 'duplicate') out.splice(i, 0, out[i]!);
    else if (op === 'delete') out.splice(i, 1);
    else if (op === 'separator') out.splice(i, 0, '---');
    else if (op === 'end-marker') out.splice(i, 0, '...');
    else if (op === 'trailing-space') out[i] = `${out[i]}  `;
    else if (op === 'cr') out[i] = `${out[i]}\r`;
  }
  return out.join('\n');
}

const documentArb = fc.record({ tree: treeArb, damages: damageArb, header: fc.boolean() });

/**
 * What the line scan reads (line-scan.ts), and the near misses it must leave to the other paths: the words of
 * hand-written manifests, with literal blocks, comments and blank lines inside them, and both sequence layouts.
 */
const PLAIN_SCALARS = [
  'web',
  'TCP',
  '80',
  '0777',
  '0x1F',
  '1.5',
  '1e3',
  '12:30',
  '2001-12-14',
  'yes',
  'true',
  'off',
  '~',
  '',
  'a b c',
  'a:b',
  'a#b',
  'v # comment',
  'http://web:80/path?q=1',
  'a, b',
  'a[0]',
  '-c',
  ':x',
  '?x',
  '__proto__',
  '🚀',
  '"quoted"',
  '""',
  "'single'",
  "'it''s'",
  `"it's"`,
  `'say "hi"'`,
  '[]',
  '{}',
  '[a, b]',
  '[ a , "b" ]',
  '[1, "2", yes]',
  '|\n  line one\n  line two',
  '|-\n  stripped\n\n  after a blank',
  '|\n  # not a comment\n    deeper\n  back',
  '|\n  trailing\n\n',
];
/** Each of these makes the line scan give up (or reads a near miss right): about one scalar in five is one. */
const NEAR_MISSES = [
  '{{ .Values.x }}',
  '-',
  'x:',
  '"a\\b"',
  '[-, a]',
  '[a,]',
  '[a:b]',
  '{ }',
  '{a: 1}',
  '|+\n  keep\n',
  '>-\n  folded',
  '| # header comment\n  x',
  '|\n\n  leading blank',
  'plain\n  continued',
];
const PLAIN_KEYS = ['name', 'app', 'port', '"quoted key"', "'k'", '80', 'yes', 'a b', 'k:v', 'app.kubernetes.io/name', '-k', 'key '];
const NEAR_MISS_KEYS = ['<<', '~', '"a\\"b"', '? k'];
const PLAIN_WORDS = [...PLAIN_SCALARS, ...PLAIN_SCALARS, ...PLAIN_SCALARS, ...NEAR_MISSES];
const PLAIN_KEY_WORDS = [...PLAIN_KEYS, ...PLAIN_KEYS, ...PLAIN_KEYS, ...NEAR_MISS_KEYS];
const plainDocumentArb = fc.record({
  tree: treeArb,
  damages: fc.oneof(fc.constant([]), damageArb),
  header: fc.boolean(),
  sequenceInColumn: fc.boolean(),
  dashSpaces: fc.constantFrom(1, 1, 3),
});

function documentText({
  tree,
  damages,
  header,
  ...layout
}: {
  tree: Tree;
  damages: readonly { op: string; line: number }[];
  header: boolean;
  sequenceInColumn?: boolean;
  dashSpaces?: number;
}): string {
  const style: Style =
    layout.sequenceInColumn === undefined
      ? TRICKY
      : { scalars: PLAIN_WORDS, keys: PLAIN_KEY_WORDS, sequenceInColumn: layout.sequenceInColumn, dashSpaces: layout.dashSpaces ?? 1 };
  const body = damage(render(tree, 0, style), damages);
  return header ? `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: generated\ndata:\n${body.replace(/^/gm, '  ')}\n` : `${body}\n`;
}

/** expectSameParse on files of one to three generated documents; counts the pieces each fast path read. */
function compareOnGenerated(arb: fc.Arbitrary<Parameters<typeof documentText>[0]>): { fast: number; scanned: number } {
  let fast = 0;
  let scanned = 0;
  fc.assert(
    fc.property(fc.array(arb, { minLength: 1, maxLength: 3 }), (docs) => {
      const text = docs.map(documentText).join('---\n');
      try {
        const counts = expectSameParse('generated.yaml', text);
        fast += counts.fast;
        scanned += counts.scanned;
      } catch (error) {
        if (process.env.FUZZ_DEBUG) console.log(`FAILING INPUT ${JSON.stringify(text)}`);
        throw error;
      }
    }),
    { seed: SEED, numRuns: RUNS },
  );
  return { fast, scanned };
}

describe('the fast parse path gives what the composer path gives', () => {
  it('on every committed manifest (fixtures, corpus, examples)', () => {
    let documents = 0;
    let fast = 0;
    let scanned = 0;
    for (const dir of ['test/fixtures', 'test/corpus', 'examples']) {
      for (const full of manifestsUnder(path.join(repoRoot, dir))) {
        const counts = expectSameParse(path.relative(repoRoot, full), readFileSync(full, 'utf8'));
        documents += counts.documents;
        fast += counts.fast;
        scanned += counts.scanned;
      }
    }
    // Most real manifests are plain YAML: if the fast paths stopped reading them, this test would still pass.
    expect(fast / documents).toBeGreaterThan(0.8);
    expect(scanned / documents).toBeGreaterThan(0.6);
  }, 120_000);

  it(`on generated YAML with the constructs that tell parsers apart (${RUNS} runs, seed ${SEED})`, () => {
    const { fast, scanned } = compareOnGenerated(documentArb);
    // The generator must reach the fast paths, or it compares nothing.
    expect(fast).toBeGreaterThan(RUNS / 5);
    expect(scanned).toBeGreaterThan(RUNS / 20);
    if (process.env.FUZZ_DEBUG) console.log(`${fast} pieces on a fast path, ${scanned} by the line scan`);
  }, 300_000);

  it(`on generated hand-written manifests, where the line scan reads most documents (${RUNS} runs, seed ${SEED})`, () => {
    const { fast, scanned } = compareOnGenerated(plainDocumentArb);
    if (process.env.FUZZ_DEBUG) console.log(`${fast} documents on a fast path, ${scanned} of them by the line scan`);
    expect(scanned / fast).toBeGreaterThan(0.2);
  }, 300_000);

  it('a plain scalar that starts with none of the characters resolvePlain tests is a string for every tag of the schema', () => {
    const tags = (new Document(undefined, KUBECTL_PARSE_OPTIONS).schema.tags as ScalarTag[]).filter((tag) => tag.test);
    expect(tags.length).toBeGreaterThan(10);
    const others = [...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), 'é', '🚀', '\u00a0'].filter(
      (c) => !RESOLVABLE_FIRST_CHARACTERS.includes(c),
    );
    const rests = [
      '',
      '1',
      '0',
      'x',
      '.5',
      'e3',
      '_1',
      'ull',
      'ULL',
      'rue',
      'alse',
      'es',
      'o',
      'n',
      'ff',
      'inf',
      'nan',
      '<',
      ':30',
      'b1',
      'x1F',
    ];
    for (const tag of tags)
      for (const first of others) for (const rest of rests) expect(tag.test!.test(first + rest), `${tag.tag} ${first}${rest}`).toBe(false);
    // And the other way: each listed character starts something a tag resolves.
    for (const first of RESOLVABLE_FIRST_CHARACTERS)
      expect(
        rests.some((rest) => tags.some((tag) => tag.test!.test(first + rest))),
        first,
      ).toBe(true);
  });

  it('on the cases one by one that need the composer: each falls back and stays the same', () => {
    const cases = [
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: 1\na: 2\n',
      '~: v\n',
      ': v\n',
      '[a]: v\n',
      'a: .inf\n',
      'a:\n\t- b\n',
      '? a\n: b\n',
      'a: {b: 1,\n  c: 2}\n',
      'a: "x"#c\n',
      'a: 1\n...\nb: 2\n',
      '%YAML 1.1\n---\na: 1\n',
      'a: "\\/"\n',
      '<<: {a: 1}\nb: 2\n',
      'apiVersion: v1\nkind: A\napiVersion: v1\nkind: B\n',
      'a: [b, c\n',
      'a:\n  b: 1\n c: 2\n',
      '- a\nb: 1\n',
      'a: @b\n',
    ];
    for (const text of cases) {
      expect(fastPieces(text), JSON.stringify(text)).toBeLessThan(splitDocumentsLikeKubectl(text).length);
      expectSameParse('case.yaml', text);
    }
  });
});

/** Not a test: which documents of a folder the fast path reads (`FAST_PARSE_CORPUS=/path npx vitest run test/fast-parse.test.ts`). */
describe.runIf(Boolean(process.env.FAST_PARSE_CORPUS))('a corpus on disk', () => {
  it('gives the same parse on both paths, and says how often the composer is needed', () => {
    let documents = 0;
    let fast = 0;
    for (const full of manifestsUnder(process.env.FAST_PARSE_CORPUS!)) {
      const text = readFileSync(full, 'utf8');
      if (text.length > 2_000_000) continue;
      const counts = expectSameParse(full, text);
      documents += counts.documents;
      fast += counts.fast;
    }
    console.log(
      `${documents} documents, ${fast} on the fast path (${((100 * fast) / documents).toFixed(1)}%), ${documents - fast} on the composer path`,
    );
  }, 3_600_000);
});
