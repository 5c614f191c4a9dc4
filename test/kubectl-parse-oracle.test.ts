/**
 * Differential test of the loader against the real kubectl v1.34 (test/support/kubectl.ts): for each tricky
 * spelling, kubewire must parse the file exactly when kubectl does, and build the same JSON values.
 *
 * kubectl reads manifests with k8s.io/apimachinery's YAMLReader and sigs.k8s.io/yaml (go-yaml v2). Without a
 * cluster, `kubectl patch --local -f FILE --type merge -p {} -o json` goes through the same reading code as
 * `apply -f` / `create -f` and prints each object as kubectl would send it (an empty merge patch changes nothing),
 * or fails with "error parsing FILE: error converting YAML to JSON: yaml: ...". (`create --dry-run=client` needs
 * a server to map kinds, even with --validate=false.)
 *
 * Known divergences, not listed below (rare in manifests): merge keys after local keys (go-yaml v2 lets a later
 * `<<` overwrite them), U+0085/U+2028/U+2029 (line breaks for go-yaml), `1e999`, `!!float 1`,
 * `.inf` as a key, multi-line implicit keys in flow mappings.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseManifestFile } from '../src/loader/parse.js';
import { SourceFile } from '../src/loader/source.js';
import { hermeticEnv, kubectlBinary } from './support/kubectl.js';

const head = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';

const CASES: Record<string, string> = {
  // Quoted scalars and flow collections: go-yaml does not check indentation inside them.
  'single-quoted, continuation at column 0': `${head}data:\n  a: 'one\ntwo'\n`,
  'single-quoted JSON annotation, lines left of the key': `${head}  annotations:\n    a: '[\n  {"k": 1},\n{"k": 2}\n]'\n`,
  'single-quoted, blank lines and trailing space': `${head}data:\n  a: 'one\n\n\n  two '\n`,
  'single-quoted, tab-indented continuation': `${head}data:\n  a: 'one\n\ttwo'\n`,
  'single-quoted with CRLF': `${head}data:\n  a: 'one\ntwo'\n`.replace(/\n/g, '\r\n'),
  'single-quoted in a sequence item': `${head}spec:\n  l:\n  - 'a\n b'\n`,
  'single-quoted, continuation looks like a key': `${head}  annotations:\n    k: 'a\nb: c'\n`,
  'double-quoted, continuation at column 0': `${head}data:\n  a: "one\ntwo"\n`,
  'double-quoted, escaped line break': `${head}data:\n  a: "one\\\ntwo"\n`,
  'double-quoted, blank line': `${head}data:\n  a: "one\n\n  two"\n`,
  'double-quoted, nested deep': `${head}spec:\n  m:\n    k:\n      o: "a\n  b"\n    p: 1\n`,
  'flow sequence, continuation at column 0': `${head}data:\n  a: [1,\n2]\n`,
  'flow sequence, closing bracket at column 0': `${head}spec:\n  a: [\n    1,\n    2\n]\n`,
  'flow sequence, then a key': `${head}spec:\n  a: [1,\n2]\n  b: 3\n`,
  'flow sequence, tab-indented line': `${head}spec:\n  a: [1,\n\t2]\n`,
  'flow sequence in a sequence item': `${head}spec:\n  l:\n  - [a,\nb]\n`,
  'flow mapping, continuation at column 0': `${head}spec:\n  a: {b: 1,\nc: 2}\n`,
  'plain scalar in a flow, continuation at column 0': `${head}spec:\n  a: [one\ntwo]\n`,
  'quoted scalar in a flow, continuation at column 0': `${head}spec:\n  a: ["x\ny"]\n`,
  'JSON in a Service annotation': `apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  annotations:\n    cloud.google.com/neg: '{"exposed_ports":\n{"80":{}}}'\n    a: '[\n  {\n    "x": 1\n  }\n]'\nspec:\n  ports:\n  - port: 80\n`,
  'document end marker inside quotes': `${head}data:\n  a: 'x\n...\n  y'\n`,
  'document end marker inside a flow': `${head}spec:\n  a: [1,\n...\n    2]\n`,
  // Comments: go-yaml starts one at any `#` that begins a token.
  'comment glued to a double-quoted value': `${head}data:\n  a: "v"#c\n`,
  'comment glued to a single-quoted value': `${head}data:\n  a: 'v'#c\n`,
  'comment glued to a flow sequence': `${head}spec:\n  a: [1]#c\n`,
  'comment glued to a flow mapping': `${head}spec:\n  a: {b: 1}#c\n`,
  'comment glued to a comma in a flow': `${head}spec:\n  a: [1,#c\n    2]\n`,
  'comment glued to a block scalar header': `${head}data:\n  a: |#c\n    x\n`,
  'hash inside a plain scalar': `${head}data:\n  a: v#c\n`,
  // Tabs.
  'tab after a colon': `${head}data:\n  a:\tv\n`,
  'tab before a comment': `${head}data:\n  a: v\t# c\n`,
  'tab-only line after a plain value': `${head}data:\n  a: v\n\t\n  b: w\n`,
  'tab-only line after a quoted value': `${head}data:\n  a: "v"\n\t\n  b: w\n`,
  'tab-only line after a mapping key': `${head}data:\n\t\n  b: w\n`,
  'tab-only line before the first key': `\t\n${head}`,
  'spaces and tab on a line after a plain value': `${head}data:\n  a: v\n  \t\n  b: w\n`,
  'spaces and tab right of the plain indentation': `${head}data:\n  a: v\n   \t\n  b: w\n`,
  'spaces and tab after a quoted value': `${head}data:\n  a: "v"\n  \t\n  b: w\n`,
  'tab before a comment line': `${head}data:\n  a: v\n\t# c\n  b: w\n`,
  'tab-only line after a comment line': `${head}data:\n  a: v\n  # c\n\t\n  b: w\n`,
  'tab-only line after a flow': `${head}spec:\n  a: [1]\n\t\n  b: 2\n`,
  'tab-only line inside a block scalar': `${head}data:\n  a: |\n    x\n    \t\n  b: 2\n`,
  'tab-only line with CRLF': `${head}data:\n  a: v\n\t\n  b: w\n`.replace(/\n/g, '\r\n'),
  'tab-indented key': `${head}data:\n\ta: v\n`,
  'tab after a dash': `${head}spec:\n  l:\n  -\tv\n`,
  'space and tab after a dash': `${head}spec:\n  l:\n  - \tv\n`,
  'tab after a question mark': `${head}spec:\n  ?\ta\n  : b\n`,
  'tab in a plain continuation, left of the indentation': `${head}data:\n  a: one\n\ttwo\n`,
  'tab in a plain continuation, right of the indentation': `${head}data:\n  a: one\n   \ttwo\n`,
  'tab-only line after a nested plain value': `${head}spec:\n  a:\n    b: v\n   \t\n    c: 1\n`,
  'tab-only line after a sequence item': `${head}spec:\n  l:\n  - v\n  \t\n  - w\n`,
  'tab-only line right of a sequence item': `${head}spec:\n  l:\n  - v\n   \t\n  - w\n`,
  // Characters go-yaml's reader refuses.
  'raw BEL in a double-quoted value': `${head}data:\n  a: "x\u0007"\n`,
  'raw ESC in a comment': `${head}# \u001b[31m\ndata:\n  a: v\n`,
  'raw DEL in a plain value': `${head}data:\n  a: x\u007fy\n`,
  'raw C1 control': `${head}data:\n  a: x\u0090y\n`,
  'U+FFFE': `${head}data:\n  a: x\ufffey\n`,
  'no-break space and a BOM inside a value': `${head}data:\n  a: x\u00a0y\n  b: x\ufeffy\n`,
  // Escapes in double quotes.
  "escape \\'": `${head}data:\n  a: "it\\'s"\n`,
  "escape \\' in a key": `${head}data:\n  "it\\'s": v\n`,
  'escape \\/': `${head}data:\n  a: "a\\/b"\n`,
  'escape \\/ in a flow': `${head}spec:\n  a: ["\\/"]\n`,
  'YAML 1.1 escapes': `${head}data:\n  a: "\\0\\a\\b\\t\\n\\v\\f\\r\\e\\ \\"\\\\\\N\\_\\L\\P\\x41\\u0042\\U00000043"\n`,
  // Anchors and keys.
  'anchor with a dot': `${head}data:\n  a: &a.b v\n  b: *a.b\n`,
  'anchor with a non-ASCII letter': `${head}data:\n  a: &\u00e4 v\n  b: *\u00e4\n`,
  'anchor with dash and underscore': `${head}data:\n  a: &a-b_1 v\n  b: *a-b_1\n`,
  'alias as a key': `${head}a: &k key\nspec:\n  *k : v\n`,
  'empty key': `${head}spec:\n  : v\n`,
  'null key': `${head}spec:\n  ~: v\n`,
  'null word as a key': `${head}data:\n  null: v\n`,
  'list as a key': `${head}spec:\n  [a, b]: v\n`,
  'map as a key': `${head}spec:\n  {a: b}: v\n`,
  'boolean, float and hex keys': `${head}data:\n  yes: a\n  1.50: b\n  0x10: c\n`,
  // Scalars as go-yaml v2 resolves them (resolve.go).
  integers: `${head}spec:\n  a: [0x_1F, 1__0, -0o17, +0o17, 0O17, -0b101, 0B101, -0x1F, 0X1F, 0o8, 1_, _1, 0b, 0x, 0777, -0777, 09]\n`,
  floats: `${head}spec:\n  a: [1., .5, +.5, 1e3, 1.5e+3, 0.1_0, 12e03, -0, 1_000.5, 1E3, 1e-3]\n`,
  'float-like words stay strings': `${head}spec:\n  a: [e2, E5, e-3, ., ._, .e3, -.e3, _1.5, .5_0, -_.5, 1e_3, 1.5e3_0]\n  machineFamily: e2\n`,
  'base 60 and timestamps stay strings': `${head}spec:\n  a: [190:20:30, 22:22, 2001-12-14, 2024-01-01T00:00:00Z]\n`,
  'booleans and nulls': `${head}spec:\n  a: [y, Y, yes, on, n, NO, off, True, tRUE, Off, oN, ~, null, Null, NULL, nULL]\n`,
  '.inf': `${head}spec:\n  g: .inf\n`,
  '-.Inf': `${head}spec:\n  g: -.Inf\n`,
  '.NaN': `${head}spec:\n  g: .NaN\n`,
  'quoted .inf': `${head}spec:\n  g: ".inf"\n`,
  tags: `${head}spec:\n  a: !foo bar\n  b: !!str 12\n  c: !!int "12"\n  d: !!binary aGVsbG8=\n  e: !!set {x, y}\n  f: !!omap [x: 1, y: 2]\n`,
  // Block scalars.
  'block scalar with indentation indicator': `${head}data:\n  a: |2\n      x\n    y\n`,
  'block scalar chomping': `${head}data:\n  a: |+\n    x\n\n  b: >-\n    y\n    z\n`,
  'block scalar with more-indented leading empty line': `${head}data:\n  a: |\n      \n    x\n`,
  'empty block scalar': `${head}data:\n  a: |\n  b: c\n`,
  // Structure.
  'merge keys': `${head}a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc:\n  <<: [*a, *b]\n  z: 3\n`,
  'merge of a scalar': `${head}a: &a 1\nc:\n  <<: *a\n`,
  'duplicate keys: the last value wins': `${head}spec:\n  a: 1\n  a: 2\n`,
  'two objects without ---: merged key by key': `${head}data:\n  k: v\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n`,
  'misaligned keys': `${head}spec:\n  a: 1\n   b: 2\n`,
  'plain continuation at the key column': `${head}data:\n  a: one\n  two\n`,
  'plain continuation deeper': `${head}data:\n  a: one\n    two\n   three\n`,
  'content after a flow': `${head}spec:\n  a: [1] x\n`,
  'compact nested sequence value': `${head}spec:\n  a: - 1\n`,
  'long implicit key': `${head}data:\n  ${'k'.repeat(1030)}: v\n`,
  'JSON with a trailing comma': '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"a": "b",}}\n',
  'JSON indented with tabs': '{\n\t"apiVersion": "v1",\n\t"kind": "ConfigMap",\n\t"metadata": {"name": "x"}\n}\n',
  'directive before ---': `%YAML 1.1\n---\n${head}`,
  'YAML 1.2 directive': `%YAML 1.2\n---\n${head}`,
  'CR-only line ends (old Mac files)': `${head}data:\n  a: |\n    x\n    y\n  b: 'p\nq'\n`.replace(/\n/g, '\r'),
  'CR-only line ends with a separator kubectl does not see': `${head}---\n${head.replace('name: x', 'name: second')}`.replace(/\n/g, '\r'),
  'a `...` end marker is no separator': `${head}...\n${head.replace('name: x', 'name: second')}`,
  'two documents': `${head}---\n${head.replace('name: x', 'name: second')}`,
  'separator with text after it': `${head}---x: 1\n`,
};

type Verdict = { parses: false } | { parses: true; objects: unknown[] };

/** Objects with sorted keys (kubectl prints JSON with sorted keys), as JSON text. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function kubewireVerdict(name: string, text: string): Verdict {
  const documents = parseManifestFile(new SourceFile(name, text));
  if (documents.some((d) => d.problems.some((p) => p.kind === 'syntax'))) return { parses: false };
  // A document with no `---` before it (after `...`) is read by neither: kubectl drops it without a word.
  const read = documents.filter((d) => !d.problems.some((p) => p.kind === 'unseparated'));
  return { parses: true, objects: read.map((d) => d.value).filter((v) => v !== null && v !== undefined) };
}

const run = promisify(execFile);
const dir = path.resolve('.tmp', 'kubectl-parse-oracle');
const kubectlVerdicts = new Map<string, Verdict>();

async function kubectlVerdict(kubectl: string, file: string): Promise<Verdict> {
  try {
    const { stdout } = await run(kubectl, ['patch', '--local', '-f', file, '--type', 'merge', '-p', '{}', '-o', 'json'], {
      env: hermeticEnv(),
      maxBuffer: 1 << 24,
    });
    // One JSON object per document, pretty-printed one after the other.
    const objects = stdout.trim() === '' ? [] : (JSON.parse(`[${stdout.replace(/\n}\n{/g, '\n},\n{')}]`) as unknown[]);
    return { parses: true, objects };
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? error);
    // Only a failure to read the YAML counts; anything else means the case (or the harness) is wrong.
    if (/error parsing .*: error converting YAML to JSON|invalid Yaml document separator/.test(stderr)) return { parses: false };
    throw new Error(`kubectl failed for another reason on ${file}: ${stderr}`, { cause: error });
  }
}

describe('the loader parses exactly what kubectl v1.34 parses, to the same values', () => {
  beforeAll(async () => {
    const kubectl = kubectlBinary();
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const names = Object.keys(CASES);
    const files = names.map((name, i) => {
      const file = path.join(dir, `case-${i}.yaml`);
      writeFileSync(file, CASES[name]!);
      return file;
    });
    // A few kubectl processes at a time.
    for (let i = 0; i < names.length; i += 8) {
      const batch = names.slice(i, i + 8);
      const verdicts = await Promise.all(batch.map((_, j) => kubectlVerdict(kubectl, files[i + j]!)));
      batch.forEach((name, j) => kubectlVerdicts.set(name, verdicts[j]!));
    }
  }, 180_000);

  it('has a verdict from kubectl for every case, and both outcomes among them', () => {
    expect(kubectlVerdicts.size).toBe(Object.keys(CASES).length);
    const parsed = [...kubectlVerdicts.values()].filter((v) => v.parses).length;
    expect(parsed).toBeGreaterThan(20);
    expect(kubectlVerdicts.size - parsed).toBeGreaterThan(20);
  });

  it.each(Object.keys(CASES))('%s', (name) => {
    const expected = kubectlVerdicts.get(name)!;
    const actual = kubewireVerdict(`${name}.yaml`, CASES[name]!);
    expect(actual.parses, `kubectl ${expected.parses ? 'parses' : 'rejects'} it`).toBe(expected.parses);
    if (actual.parses && expected.parses) expect(canonical(actual.objects)).toBe(canonical(expected.objects));
  });
});
