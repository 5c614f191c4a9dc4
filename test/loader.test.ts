/**
 * The loader (src/loader): reading inputs, decoding bytes, parsing YAML the way kubectl does (go-yaml v2,
 * YAML 1.1 resolution, through sigs.k8s.io/yaml) and finding the position of any field.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject, type Project } from '../src/engine/project.js';
import type { Path } from '../src/loader/parse.js';
import { readInputs, UsageError } from '../src/loader/read-inputs.js';
import { locateField, type Resource } from '../src/model/objects/resource.js';
import { lintFiles, messagesOf, projectOf } from './helpers.js';

function resource(project: Project, kind: string, name: string): Resource {
  const found = project.graph.resources.find((r) => r.kind === kind && r.name === name);
  if (!found) throw new Error(`no ${kind}/${name} in the project`);
  return found;
}

/** `line:column-endLine:endColumn` of a field, and whether the whole path exists. */
function where(project: Project, kind: string, name: string, path: Path): string {
  const { range, exact } = locateField(resource(project, kind, name), path);
  return `${range.line}:${range.column}-${range.endLine}:${range.endColumn}${exact ? '' : ' (ancestor)'}`;
}

const service = (name: string, extra = '') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: ${name}
  ports:
  - port: 80
    targetPort: http${extra}
`;

describe('multi-document streams', () => {
  const text = `${service('one')}---\n${service('two')}---\n# a comment before the third document\n${service('three')}`;
  const project = projectOf({ 'all.yaml': text });

  it('parses every document with its index', () => {
    expect(project.documents.map((d) => d.index)).toEqual([0, 1, 2]);
    expect(project.graph.resources.map((r) => r.name)).toEqual(['one', 'two', 'three']);
  });

  it('gives positions inside the 2nd and 3rd documents relative to the file', () => {
    // Document 1 is lines 1-10, `---` line 11, document 2 lines 12-21, `---` line 22, comment line 23.
    expect(where(project, 'Service', 'one', ['spec', 'ports', 0, 'targetPort'])).toBe('10:17-10:21');
    expect(where(project, 'Service', 'two', ['spec', 'ports', 0, 'targetPort'])).toBe('21:17-21:21');
    expect(where(project, 'Service', 'three', ['spec', 'ports', 0, 'targetPort'])).toBe('33:17-33:21');
    expect(where(project, 'Service', 'three', ['metadata', 'name'])).toBe('27:9-27:14');
  });

  it('reports through the engine at the field in the 3rd document', () => {
    const messages = messagesOf(lintFiles({ 'all.yaml': text }, { only: 'service-selector-match' }));
    // No workloads at all: each Service gets a warning at its spec.selector key.
    expect(messages.map((m) => `${m.line}:${m.column} ${m.path} ${m.resource?.name}`)).toEqual([
      '6:3 spec.selector one',
      '17:3 spec.selector two',
      '29:3 spec.selector three',
    ]);
  });
});

describe("documents are cut at `---` lines before parsing, as kubectl's YAMLReader does", () => {
  it('keeps an unclosed quote inside its own document', () => {
    const text = `${service('broken').replace('name: broken', 'name: "broken')}---\n${service('after')}`;
    const project = projectOf({ 'all.yaml': text });
    expect(project.graph.resources.map((r) => r.name)).toEqual(['after']);
    const syntax = project.documents.flatMap((d) => d.problems.filter((p) => p.kind === 'syntax'));
    expect(syntax.length).toBeGreaterThan(0);
    // The error belongs to the first document (lines 1-10), not to the end of the file.
    expect(syntax.every((p) => p.range.line <= 11)).toBe(true);
    expect(where(project, 'Service', 'after', ['metadata', 'name'])).toBe('15:9-15:14');
  });

  it('cuts at `---` followed by spaces or a comment; refuses other text after `---`', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---   \r\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n--- # c\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---x: 1\n';
    const project = projectOf({ 'all.yaml': text });
    expect(project.graph.resources.map((r) => r.name)).toEqual(['a', 'b', 'c']);
    expect(where(project, 'ConfigMap', 'c', ['metadata', 'name'])).toBe('14:9-14:10');
    const syntax = project.documents.flatMap((d) => d.problems.filter((p) => p.kind === 'syntax'));
    expect(syntax.map((p) => `${p.range.line}:${p.range.column} ${p.message}`)).toEqual([
      '15:1 invalid document separator: kubectl allows only white space or a comment after `---` on its line',
    ]);
  });

  it('reads only the first document of a piece, as go-yaml v2 does (a `...` end marker is no separator)', () => {
    const project = projectOf({
      'all.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n...\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n',
    });
    expect(project.graph.resources.map((r) => r.name)).toEqual(['a']);
    expect(project.documents.flatMap((d) => d.problems.map((p) => `${p.kind}@${p.range.line}`))).toEqual(['unseparated@6']);
  });
});

describe('kind: List and typed lists', () => {
  const list = `apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
  spec:
    selector:
      matchLabels: {app: web}
    template:
      metadata:
        labels: {app: web}
      spec:
        containers:
        - name: web
          image: nginx
- apiVersion: v1
  kind: Service
  metadata:
    name: web
  spec:
    selector:
      app: wbe
    ports:
    - port: 80
`;
  const typed = `apiVersion: apps/v1
kind: DeploymentList
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: api
  spec:
    replicas: 2
    template:
      metadata:
        labels: {app: api}
      spec:
        containers: [{name: api, image: api}]
`;
  const project = projectOf({ 'list.yaml': list, 'typed.yaml': typed });

  it('reads the items as resources, with their place in the document', () => {
    expect(project.graph.resources.map((r) => `${r.kind}/${r.name} ${JSON.stringify(r.basePath)}`)).toEqual([
      'Deployment/web ["items",0]',
      'Service/web ["items",1]',
      'Deployment/api ["items",0]',
    ]);
    expect(project.graph.podTemplates.map((t) => `${t.owner.name} ${t.replicas}`)).toEqual(['web 1', 'api 2']);
  });

  it('locates fields inside items', () => {
    expect(where(project, 'Service', 'web', ['spec', 'ports', 0, 'port'])).toBe('26:13-26:15');
    expect(where(project, 'Deployment', 'api', ['spec', 'replicas'])).toBe('9:15-9:16');
    const document = project.documents.find((d) => d.file.path === 'list.yaml')!;
    expect(document.locate(['items', 0, 'spec', 'template', 'spec', 'containers', 0, 'image']).range).toEqual({
      line: 17,
      column: 18,
      endLine: 17,
      endColumn: 23,
    });
  });

  it("reports a finding on an item at the item's field", () => {
    const messages = messagesOf(lintFiles({ 'list.yaml': list }, { only: 'service-selector-match' }));
    expect(messages.map((m) => `${m.filePath}:${m.line}:${m.column} ${m.path}`)).toEqual(['list.yaml:24:12 spec.selector.app']);
  });
});

describe('JSON files', () => {
  const json = `{
  "apiVersion": "v1",
  "kind": "Service",
  "metadata": { "name": "api" },
  "spec": {
    "ports": [
      { "port": 80, "targetPort": "http" }
    ]
  }
}
`;
  const project = projectOf({ 'svc.json': json });

  it('parses JSON and locates its fields', () => {
    expect(resource(project, 'Service', 'api').object).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api' },
      spec: { ports: [{ port: 80, targetPort: 'http' }] },
    });
    expect(where(project, 'Service', 'api', ['spec', 'ports', 0, 'targetPort'])).toBe('7:35-7:41');
    expect(where(project, 'Service', 'api', ['metadata', 'name'])).toBe('4:25-4:30');
    // Missing field: the nearest ancestor, the "spec" key.
    expect(where(project, 'Service', 'api', ['spec', 'selector', 'app'])).toBe('5:3-5:9 (ancestor)');
  });
});

describe('standard input', () => {
  const text = `apiVersion: v1
kind: Service
metadata:
  name: piped
spec:
  ports:
  - port: 80
`;

  it('reads `-` from readStdin, named <stdin>, with positions', async () => {
    const project = await loadProject({ cwd: tmpdir(), operands: ['-'], readStdin: async () => Buffer.from(text) });
    expect(project.files.map((f) => f.path)).toEqual(['<stdin>']);
    expect(resource(project, 'Service', 'piped').document.file.path).toBe('<stdin>');
    expect(where(project, 'Service', 'piped', ['spec', 'ports', 0, 'port'])).toBe('7:11-7:13');
  });

  it('drops a UTF-8 byte order mark without moving columns', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    const project = await loadProject({ cwd: tmpdir(), operands: ['-'], readStdin: async () => bytes });
    expect(project.files[0]!.text.charCodeAt(0)).toBe('a'.charCodeAt(0));
    expect(resource(project, 'Service', 'piped').object.apiVersion).toBe('v1');
    expect(where(project, 'Service', 'piped', ['apiVersion'])).toBe('1:13-1:15');
  });

  it('decodes UTF-16 with a byte order mark', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const project = await loadProject({ cwd: tmpdir(), operands: ['-'], readStdin: async () => utf16 });
    expect(where(project, 'Service', 'piped', ['metadata', 'name'])).toBe('4:9-4:14');
  });

  it('refuses empty standard input as a usage error', async () => {
    await expect(loadProject({ cwd: tmpdir(), operands: ['-'], readStdin: async () => Buffer.alloc(0) })).rejects.toBeInstanceOf(
      UsageError,
    );
  });
});

describe('YAML 1.1 scalars, as go-yaml v2 resolves them', () => {
  const valueOf = (yaml: string): unknown => projectOf({ 'v.yaml': yaml }).documents[0]!.value;

  it('resolves the YAML 1.1 booleans', () => {
    const words = ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE'];
    const falsy = ['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE'];
    expect(valueOf(`v: [${words.join(', ')}]`)).toEqual({ v: words.map(() => true) });
    expect(valueOf(`v: [${falsy.join(', ')}]`)).toEqual({ v: falsy.map(() => false) });
    // Quoted, they are strings.
    expect(valueOf(`v: ["yes", 'on', "n"]`)).toEqual({ v: ['yes', 'on', 'n'] });
  });

  it('resolves integers like strconv.ParseInt(s, 0, 64) after removing underscores', () => {
    expect(valueOf('v: [0777, 0o17, 0x1F, 1_000, -0777, +12, 0b101, 42]')).toEqual({ v: [511, 15, 31, 1000, -511, 12, 5, 42] });
    expect(valueOf('v: "0777"')).toEqual({ v: '0777' });
  });

  it('resolves signed 0o, 0x and 0b integers, and upper-case prefixes, as ParseInt does (resolve.go)', () => {
    expect(valueOf('v: [-0o17, +0o17, -0o0, -0x1F, -0b101, 0O17, -0O17, 0X1F, 0B101, 0x_1F, 1__0]')).toEqual({
      v: [-15, 15, 0, -31, -5, 15, -15, 31, 5, 31, 10],
    });
    // Not integers for ParseInt: strings.
    expect(valueOf('v: [0o8, -0o, 0b, 0x, _1, 0o1_8]')).toEqual({ v: ['0o8', '-0o', '0b', '0x', '_1', '0o1_8'] });
  });

  it('decodes !!binary to a string and keeps !!set and !!omap as the plain map and list go-yaml v2 builds', () => {
    expect(valueOf('a: !!binary aGVsbG8=\nb: !!set {x, y}\nc: !!omap [x: 1, z: 2]\n')).toEqual({
      a: 'hello',
      b: { x: null, true: null }, // y is a YAML 1.1 boolean, as a key too
      c: [{ x: 1 }, { z: 2 }],
    });
  });

  it("reads floats with go-yaml's pattern: digits are needed, so `e2` (a GCE machine family) and `.` are strings", () => {
    expect(valueOf('v: [1e3, .5_0, 1e_3, -_.5, 1., e2, E5, ., ._, .e3]')).toEqual({
      v: [1000, 0.5, 1000, -0.5, 1, 'e2', 'E5', '.', '._', '.e3'],
    });
  });

  it('leaves base-60 numbers and timestamps as strings', () => {
    expect(valueOf('v: [22:22, 1:30:00, 2001-12-14, 2001-12-14t21:59:43.10-05:00, 2024-01-01T00:00:00Z]')).toEqual({
      v: ['22:22', '1:30:00', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2024-01-01T00:00:00Z'],
    });
  });

  it('resolves ~, null and an empty value to null', () => {
    expect(valueOf('a: ~\nb: null\nc: Null\nd: NULL\ne:\n')).toEqual({ a: null, b: null, c: null, d: null, e: null });
  });

  it('applies << merge keys, the local key winning', () => {
    const yaml = `base: &base
  app: web
  tier: front
labels:
  <<: *base
  tier: back
`;
    expect(valueOf(yaml)).toEqual({ base: { app: 'web', tier: 'front' }, labels: { app: 'web', tier: 'back' } });
  });

  it('turns non-string keys into strings', () => {
    expect(valueOf('1: a\nyes: b\nfalse: c\n1.5: d\n0x10: e\n')).toEqual({ '1': 'a', true: 'b', false: 'c', '1.5': 'd', '16': 'e' });
  });
});

describe('syntax errors', () => {
  const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: before
---
apiVersion: v1
kind: Service
metadata:
\tname: broken
---
${service('after')}`;

  it('gives the error a position and keeps the other documents of the file', () => {
    const project = projectOf({ 'mixed.yaml': text });
    expect(project.documents.map((d) => d.usable)).toEqual([true, false, true]);
    expect(project.documents[1]!.problems.map((p) => `${p.kind} ${p.range.line}:${p.range.column}`)).toEqual(['syntax 9:1']);
    expect(project.graph.resources.map((r) => `${r.kind}/${r.name}`)).toEqual(['ConfigMap/before', 'Service/after']);
    expect(where(project, 'Service', 'after', ['spec', 'ports', 0, 'targetPort'])).toBe('20:17-20:21');
  });

  it('reports the error and still lints the other documents', () => {
    const messages = messagesOf(
      lintFiles(
        { 'mixed.yaml': text },
        { severities: { 'yaml-duplicate-key': 'off', 'resource-shape': 'off', 'input-unreadable': 'off' } },
      ),
    );
    const ours = messages.filter((m) => m.ruleId === 'yaml-syntax' || m.ruleId === 'service-selector-match');
    expect(ours.map((m) => `${m.ruleId} ${m.line}:${m.column}`)).toEqual(['yaml-syntax 9:1', 'service-selector-match 16:3']);
    expect(ours[0]!.message).toContain('Tabs are not allowed as indentation');
  });

  it('locates an unclosed flow sequence', () => {
    const project = projectOf({ 'flow.yaml': 'a: [1, 2\n---\nb: 1\n' });
    expect(project.documents[0]!.problems.map((p) => `${p.kind} ${p.range.line}:${p.range.column}`)).toEqual(['syntax 2:1']);
    expect(project.documents[1]!.value).toEqual({ b: 1 });
  });
});

describe('what go-yaml accepts and YAML 1.2 does not, read as kubectl reads it', () => {
  const doc = (body: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n${body}`;
  const parse = (text: string) => projectOf({ 'c.yaml': text }).documents[0]!;
  const kinds = (text: string) =>
    parse(text).problems.map((p) => `${p.kind}${p.leniency ? `/${p.leniency}` : ''} ${p.range.line}:${p.range.column}`);

  it('reads a quoted value whose continuation lines start left of the key, with positions in the original text', () => {
    const text = doc(`  annotations:\n    a: '[\n  {"k": 1},\n{"k": 2}\n]'\n    b: "x\ny"\ndata:\n  z: after\n`);
    const document = parse(text);
    expect(document.value).toMatchObject({ metadata: { annotations: { a: '[ {"k": 1}, {"k": 2} ]', b: 'x y' } }, data: { z: 'after' } });
    expect(kinds(text)).toEqual(['lenient/under-indented 7:1']);
    expect(document.locate(['data', 'z']).range).toEqual({ line: 13, column: 6, endLine: 13, endColumn: 11 });
    expect(document.locate(['metadata', 'annotations', 'b']).range).toEqual({ line: 10, column: 8, endLine: 11, endColumn: 3 });
  });

  it('reads a flow collection whose lines are under-indented or start with a tab', () => {
    const text = doc(`spec:\n  a: [1,\n2]\n  b: {c: 1,\n\td: 2}\n  e: 3\n`);
    expect(parse(text).value).toMatchObject({ spec: { a: [1, 2], b: { c: 1, d: 2 }, e: 3 } });
    expect(kinds(text)).toEqual(['lenient/under-indented 7:1']);
    expect(parse(text).problems[0]!.related).toHaveLength(1);
  });

  it("takes a `#` right after a quote or bracket as a comment, and `\\'` as an apostrophe", () => {
    expect(parse(doc(`data:\n  a: "v"#c\n  b: [1,#c\n    2]#d\n`)).value).toMatchObject({ data: { a: 'v', b: [1, 2] } });
    expect(parse(doc(`data:\n  "it\\'s": "it\\'s"\n  next: 1\n`)).value).toMatchObject({ data: { "it's": "it's", next: 1 } });
    expect(kinds(doc(`data:\n  a: "it\\'s"\n`))).toEqual(['lenient/escaped-apostrophe 6:9']);
  });

  it('leaves a document indicator inside quotes an error, as go-yaml does', () => {
    expect(kinds(doc(`data:\n  a: 'x\n...\n  y'\n`))[0]).toMatch(/^syntax /);
  });
});

describe('what go-yaml rejects and YAML 1.2 accepts: syntax errors, as kubectl stops there', () => {
  const doc = (body: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n${body}`;
  const syntax = (text: string) =>
    projectOf({ 'c.yaml': text }).documents.flatMap((d) =>
      d.problems.filter((p) => p.kind === 'syntax').map((p) => `${p.range.line}:${p.range.column} ${p.message.split(':')[0]}`),
    );

  it('refuses a tab that starts a line outside scalars, even on a blank or comment line', () => {
    expect(syntax(doc('data:\n  a: v\n\t\n  b: w\n'))).toEqual(['7:1 a tab in the indentation']);
    expect(syntax(doc('data:\n  a: "v"\n  \t# c\n  b: w\n'))).toEqual(['7:3 a tab in the indentation']);
    expect(syntax(doc('spec:\n  l:\n  - \tv\n'))).toEqual(['7:5 a tab in the indentation']);
    expect(syntax('\t\n' + doc(''))).toEqual(['1:1 a tab in the indentation']);
  });

  it("accepts tabs where go-yaml skips them: after a key, inside quotes, flows and block scalars, right of a plain scalar's indentation", () => {
    expect(syntax(doc("data:\n  a:\tv\t# c\n  b: |\n    x\n    \t\n  c: v\n   \t\n  d: [1,\n\t2]\n  e: 'x\n\ty'\n"))).toEqual([]);
  });

  it('refuses control characters, `\\/`, odd anchor names, null and collection keys, .inf and directives', () => {
    expect(syntax(doc('data:\n  a: "x\u0007"\n'))).toEqual(['6:8 the control character U+0007']);
    expect(syntax(doc('# \u009b\ndata: {}\n'))).toEqual(['5:3 the control character U+009B']);
    expect(syntax(doc('data:\n  a: "a\\/b"\n'))).toEqual(['6:8 found unknown escape character']);
    expect(syntax(doc('data:\n  a: &a.b v\n'))).toEqual([
      '6:6 the anchor name "a.b" has a character go-yaml does not accept (only letters, digits, `-` and `_`)',
    ]);
    expect(syntax(doc('data:\n  ~: v\n'))).toEqual(['6:3 an empty or null mapping key (`']);
    expect(syntax(doc('spec:\n  [a, b]: v\n'))).toEqual(['6:3 a list or map used as a mapping key']);
    expect(syntax(doc('stringData:\n  token: {{HF_TOKEN}}\n'))).toEqual(['6:10 `{{ ... }}` is template syntax, not YAML']);
    expect(syntax(doc('spec:\n  a: .inf\n  b: -.Inf\n  c: ".inf"\n'))).toEqual([
      '6:6 `.inf` is not a number JSON can hold',
      '7:6 `-.Inf` is not a number JSON can hold',
    ]);
    expect(syntax('%YAML 1.1\n---\n' + doc(''))).toEqual([
      '1:1 a YAML directive (`%YAML`, `%TAG`) ends up in a document of its own, because kubectl cuts the file at `---` lines before parsing',
      '2:1 Missing directives-end indicator line',
    ]);
  });
});

describe('duplicate keys', () => {
  const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: first
---
defaults: &defaults
  app: web
  tier: front
apiVersion: v1
kind: Service
metadata:
  name: second
  labels:
    <<: *defaults
    tier: back
spec:
  selector:
    app: web
    version: v1
    app: api
`;
  const project = projectOf({ 'dup.yaml': text });

  it('reports the repeat at its own position, pointing back at the first', () => {
    expect(project.documents[0]!.problems).toEqual([]);
    const problems = project.documents[1]!.problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toEqual({
      kind: 'duplicate-key',
      message: 'duplicate key "app" (first defined at line 18)',
      range: { line: 20, column: 5, endLine: 20, endColumn: 8 },
      related: [{ range: { line: 18, column: 5, endLine: 18, endColumn: 8 }, message: 'first "app" here' }],
    });
  });

  it('keeps the last value, as non-strict decoding would', () => {
    expect(resource(project, 'Service', 'second').object.spec).toEqual({ selector: { app: 'api', version: 'v1' } });
    expect(resource(project, 'Service', 'second').labels).toEqual({ app: 'web', tier: 'back' });
  });

  it('treats keys that resolve to the same value as duplicates (y and yes are both true)', () => {
    const problems = projectOf({ 'b.yaml': 'y: 1\nyes: 2\n' }).documents[0]!.problems;
    expect(problems.map((p) => `${p.message} @${p.range.line}:${p.range.column}`)).toEqual([
      'duplicate key "true" (first defined at line 1) @2:1',
    ]);
  });

  it('reports duplicates through the engine with both lines', () => {
    const messages = messagesOf(lintFiles({ 'dup.yaml': text }, { only: 'yaml-duplicate-key' }));
    expect(messages.map((m) => `${m.line}:${m.column}`)).toEqual(['20:5']);
    expect(messages[0]!.message).toContain('first defined at line 18');
  });
});

describe('duplicate keys: same value, and objects glued together without `---`', () => {
  it('marks a repeat with the same value (as JSON: "1" and 1 differ; maps compare by content)', () => {
    const problems = projectOf({ 'd.yaml': 'a: 1\na: 1\nb: "1"\nb: 1\nc: {x: [1, {y: 2}]}\nc:\n  x:\n  - 1\n  - y: 2\n' }).documents[0]!
      .problems;
    expect(problems.map((p) => `${p.range.line} ${p.sameValue ?? false}`)).toEqual(['2 true', '4 false', '6 true']);
  });

  const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n';
  const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n';
  const configMap = 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: c\ndata:\n  a: b\n';

  it('gives one missing-separator problem per glued object, at its first key, and no duplicate-key problem for the top level', () => {
    const document = projectOf({ 'all.yaml': deployment + service + configMap }).documents[0]!;
    expect(document.problems.map((p) => `${p.kind} ${p.range.line}:${p.range.column}`)).toEqual([
      'missing-separator 7:1',
      'missing-separator 14:1',
    ]);
    expect(document.problems[1]!.objects).toEqual({
      before: 'Service "web"',
      after: 'ConfigMap "c"',
      repeated: 'apiVersion, kind, metadata, spec',
      leftover:
        ', and ConfigMap "c" also gets the fields only the first one has (spec), which the API server refuses if they do not belong to it',
    });
    expect(document.problems[1]!.related.map((r) => r.range.line)).toEqual([7]);
    // The value is what kubectl applies: the last value of every top-level key.
    expect(document.value).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      spec: { ports: [{ port: 80 }] },
      data: { a: 'b' },
    });
  });

  it('reports `cat a.yaml b.yaml | kubewire -` once through the engine', () => {
    const messages = messagesOf(lintFiles({ 'all.yaml': deployment + service }, { only: 'yaml-duplicate-key' }));
    expect(messages.map((m) => `${m.line}:${m.column} ${m.messageId} ${m.severity}`)).toEqual(['7:1 missingSeparator 2']);
    expect(messages[0]!.message).toContain('Deployment "web" is never created');
  });

  it('keeps a repeated metadata alone a duplicate key, not a second object', () => {
    const problems = projectOf({ 'm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\nmetadata:\n  name: b\n' }).documents[0]!
      .problems;
    expect(problems.map((p) => `${p.kind} ${p.range.line}`)).toEqual(['duplicate-key 5']);
  });
});

describe('CRLF line endings', () => {
  const text = service('crlf').replace(/\n/g, '\r\n') + '---\r\n' + 'a: 1\r\na: 2\r\n';
  const project = projectOf({ 'crlf.yaml': text });

  it('counts lines and columns as with LF', () => {
    expect(where(project, 'Service', 'crlf', ['spec', 'ports', 0, 'targetPort'])).toBe('10:17-10:21');
    expect(where(project, 'Service', 'crlf', ['spec', 'selector'])).toBe('6:3-6:11');
    expect(resource(project, 'Service', 'crlf').object.metadata).toEqual({ name: 'crlf' });
    expect(project.files[0]!.lineText(4)).toBe('  name: crlf');
  });

  it('gives duplicate keys their positions', () => {
    expect(project.documents[1]!.problems.map((p) => `${p.range.line}:${p.range.column}-${p.range.endLine}:${p.range.endColumn}`)).toEqual([
      '13:1-13:2',
    ]);
  });
});

describe('CR-only line endings (old Mac files), line breaks for go-yaml too', () => {
  const text = service('mac').replace(/\n/g, '\r');
  const project = projectOf({ 'mac.yaml': text });

  it('reads the document and counts a lone CR as a line break', () => {
    expect(resource(project, 'Service', 'mac').object.metadata).toEqual({ name: 'mac' });
    expect(where(project, 'Service', 'mac', ['spec', 'ports', 0, 'targetPort'])).toBe('10:17-10:21');
    expect(project.files[0]!.lineText(4)).toBe('  name: mac');
  });
});

describe('locate falls back to the nearest existing ancestor', () => {
  const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: filler
---
# the Service
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
  ports:
  - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: bare
`;
  const project = projectOf({ 'f.yaml': text });

  it('points at the last key that exists', () => {
    expect(where(project, 'Service', 'web', ['spec', 'ports', 0, 'targetPort'])).toBe('14:5-14:13 (ancestor)');
    expect(where(project, 'Service', 'web', ['spec', 'ports', 3, 'port'])).toBe('13:3-13:8 (ancestor)');
    expect(where(project, 'Service', 'web', ['spec', 'clusterIP'])).toBe('11:1-11:5 (ancestor)');
  });

  it('points at a key with no value (`selector:`), exact when the path ends there', () => {
    expect(where(project, 'Service', 'web', ['spec', 'selector'])).toBe('12:3-12:11');
    expect(where(project, 'Service', 'web', ['spec', 'selector', 'app'])).toBe('12:3-12:11 (ancestor)');
  });

  it('falls back to the first line of its own document, not line 1 of the file', () => {
    expect(where(project, 'Service', 'bare', ['spec', 'ports'])).toBe('16:1-16:15 (ancestor)');
    expect(where(project, 'Service', 'web', [])).toBe('7:1-7:15');
  });
});

describe('reading inputs from disk', () => {
  let root: string;
  const write = (relative: string, text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n') => {
    mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    writeFileSync(path.join(root, relative), text);
  };
  const read = async (operands: string[], ignorePatterns: string[] = []) =>
    (await readInputs(operands, { cwd: root, ignorePatterns, readStdin: async () => Buffer.alloc(0) })).files.map((f) => f.path);

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'kubewire-loader-'));
    for (const file of [
      'k8s/web.yaml',
      'k8s/db.yml',
      'k8s/export.json',
      'k8s/README.md',
      'k8s/notes.txt',
      'k8s/base/svc.yaml',
      'k8s/vendor/chart.yaml',
      'k8s/node_modules/pkg/x.yaml',
      'node_modules/pkg/y.yaml',
      '.git/config.yaml',
      'Z.yaml',
      'a.yaml',
      'manifest.tpl',
    ]) {
      write(file);
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('walks directories for *.yaml, *.yml and *.json, skipping node_modules and .git, in a stable order', async () => {
    expect(await read(['.'])).toEqual([
      'Z.yaml',
      'a.yaml',
      'k8s/base/svc.yaml',
      'k8s/db.yml',
      'k8s/export.json',
      'k8s/vendor/chart.yaml',
      'k8s/web.yaml',
    ]);
    // Same result whatever the operand order, and one file named twice is read once.
    expect(await read(['k8s/web.yaml', 'k8s', 'a.yaml'])).toEqual(await read(['a.yaml', 'k8s', 'k8s/web.yaml']));
    expect(await read(['k8s', 'k8s/web.yaml'])).toEqual([
      'k8s/base/svc.yaml',
      'k8s/db.yml',
      'k8s/export.json',
      'k8s/vendor/chart.yaml',
      'k8s/web.yaml',
    ]);
  });

  it('reads explicitly named files whatever their extension', async () => {
    expect(await read(['manifest.tpl', 'k8s/notes.txt'])).toEqual(['k8s/notes.txt', 'manifest.tpl']);
  });

  it('applies --ignore-pattern relative to the working directory', async () => {
    expect(await read(['.'], ['k8s/vendor/**'])).not.toContain('k8s/vendor/chart.yaml');
    expect(await read(['k8s'], ['k8s/vendor/**'])).toEqual(['k8s/base/svc.yaml', 'k8s/db.yml', 'k8s/export.json', 'k8s/web.yaml']);
    expect(await read(['k8s'], ['**/*.json', '**/base/**'])).toEqual(['k8s/db.yml', 'k8s/vendor/chart.yaml', 'k8s/web.yaml']);
  });

  it('expands globs to manifests, and to other files only when the glob names their extension', async () => {
    expect(await read(['k8s/*'])).toEqual(['k8s/db.yml', 'k8s/export.json', 'k8s/web.yaml']);
    expect(await read(['k8s/**/*.yaml'])).toEqual(['k8s/base/svc.yaml', 'k8s/vendor/chart.yaml', 'k8s/web.yaml']);
    expect(await read(['k8s/*.txt'])).toEqual(['k8s/notes.txt']);
  });

  it('refuses a path that does not exist, or a glob that matches nothing, as a usage error', async () => {
    await expect(read(['missing.yaml'])).rejects.toThrow(new UsageError('no such file or directory: missing.yaml'));
    await expect(read(['missing/*.yaml'])).rejects.toBeInstanceOf(UsageError);
  });

  it('reads files on disk with a UTF-8 BOM and CRLF like any other', async () => {
    write('bom/crlf.yaml', '\uFEFF' + service('bom').replace(/\n/g, '\r\n'));
    const project = await loadProject({ cwd: root, operands: ['bom'] });
    expect(project.files.map((f) => f.path)).toEqual(['bom/crlf.yaml']);
    expect(where(project, 'Service', 'bom', ['apiVersion'])).toBe('1:13-1:15');
    expect(where(project, 'Service', 'bom', ['spec', 'ports', 0, 'targetPort'])).toBe('10:17-10:21');
  });
});
