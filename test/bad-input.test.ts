/**
 * Bad input: whatever is in a repository (binary files, broken encodings, half-written YAML, alias bombs, huge or
 * deeply nested files, symlink loops, unreadable or vanishing files, an empty pipe), kubewire says clearly what is
 * wrong and where, lints every other file, stays within bounded time and memory, exits with the documented code
 * (0 clean, 1 findings with errors, 2 usage) and never prints a stack trace.
 *
 * Small inputs are committed in test/fixtures/bad-input/; big or special ones are made in a temporary directory.
 */
import fs, { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LintMessage, LintResult } from '../src/engine/results.js';
import { lint } from '../src/engine/linter.js';
import { loadProject } from '../src/engine/project.js';
import { MAX_NESTING_DEPTH } from '../src/loader/parse.js';
import { MAX_FILE_BYTES } from '../src/loader/read-file.js';
import { allRules } from '../src/rules/index.js';
import { ensureBuilt, runKubewire, STACK_FRAME, type CliRun } from './cli-process.js';
import { lintFiles, messagesOf, repoRoot } from './helpers.js';

/** A file that vanishes between listing and reading: the loader's file-system calls delete it just before. */
const VANISHING = 'vanishing.yaml';
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const openSync = (file: fs.PathLike, ...rest: unknown[]) => {
    if (typeof file === 'string' && path.basename(file) === VANISHING) real.rmSync(file, { force: true });
    return real.openSync(file, ...(rest as [fs.OpenMode]));
  };
  return { ...real, openSync, default: { ...real, openSync } };
});

const FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'bad-input');
const SIBLING = 'sibling.yaml';
/** Generous sanity caps (not benchmarks): a child process with a capped heap, and a wall-clock limit. */
const HEAP_CAP = ['--max-old-space-size=512'];
const TIME_CAP_MS = 20_000;

let scratch: string;

beforeAll(() => {
  ensureBuilt();
  scratch = mkdtempSync(path.join(tmpdir(), 'kubewire-bad-input-'));
});

afterAll(() => {
  if (scratch) {
    try {
      chmodSync(path.join(scratch, 'unreadable', 'secret.yaml'), 0o644);
    } catch {
      // not created
    }
    rmSync(scratch, { recursive: true, force: true });
  }
});

interface Outcome {
  run: CliRun;
  results: LintResult[];
  messages: (LintMessage & { filePath: string })[];
}

/** Runs kubewire with the JSON format over the operands, next to the sibling file unless told otherwise. */
function lintWithCli(
  operands: readonly string[],
  options: { cwd?: string; withSibling?: boolean; input?: string | Buffer; uid?: number } = {},
): Outcome {
  const cwd = options.cwd ?? FIXTURES;
  // Each case is about its own file: the kubewire repository around the fixtures is no context of theirs.
  const args = ['--format', 'json', '--no-context', ...operands];
  if (options.withSibling !== false) args.push(path.join(FIXTURES, SIBLING));
  const run = runKubewire(args, { cwd, input: options.input, nodeFlags: HEAP_CAP, timeoutMs: TIME_CAP_MS * 2, uid: options.uid });
  let results: LintResult[] = [];
  try {
    results = JSON.parse(run.stdout) as LintResult[];
  } catch {
    // asserted by the caller through run.status / run.stdout
  }
  return { run, results, messages: results.flatMap((r) => r.messages.map((m) => ({ ...m, filePath: r.filePath }))) };
}

/** What every run must show, whatever the input: no crash, no stack trace, no rule crash, bounded time. */
function expectWellBehaved(outcome: Outcome, options: { withSibling?: boolean } = {}): void {
  const { run, messages } = outcome;
  expect(run.signal, `killed: ${run.stderr}`).toBeNull();
  expect(run.stderr).not.toMatch(STACK_FRAME);
  expect(run.stderr).not.toMatch(/FATAL ERROR|heap out of memory/);
  expect(run.ms).toBeLessThan(TIME_CAP_MS);
  expect(messages.filter((m) => m.messageId === 'internalError')).toEqual([]);
  if (options.withSibling !== false) {
    // Every other file is still linted: the sibling's own finding is there.
    expect(messages.some((m) => m.filePath.endsWith(SIBLING) && m.ruleId === 'service-selector-match' && m.line === 8)).toBe(true);
  }
}

function findingsIn(outcome: Outcome, file: string): (LintMessage & { filePath: string })[] {
  return outcome.messages.filter((m) => path.basename(m.filePath) === file);
}

interface StaticCase {
  file: string;
  /** Expected findings in the bad file (rule, line, column, message pattern); [] means linted cleanly. */
  expect: { ruleId: string; line: number; column?: number; message: RegExp }[];
  /** Exit code when the file is linted alone (documented: 0 no errors, 1 errors); a lone Service only gets a warning. */
  aloneExit: 0 | 1;
}

const STATIC_CASES: StaticCase[] = [
  { file: 'binary.yaml', expect: [{ ruleId: 'input-unreadable', line: 1, message: /binary file \(contains NUL bytes\)/ }], aloneExit: 1 },
  {
    file: 'invalid-utf8.yaml',
    expect: [{ ruleId: 'input-unreadable', line: 4, column: 17, message: /invalid UTF-8: save the file as UTF-8/ }],
    aloneExit: 1,
  },
  // Byte-order marks are honoured: positions are those an editor shows, the BOM taking no column.
  { file: 'bom-utf8.yaml', expect: [{ ruleId: 'service-selector-match', line: 6, column: 3, message: /bom-utf8-pods/ }], aloneExit: 0 },
  {
    file: 'bom-utf16le.yaml',
    expect: [{ ruleId: 'service-selector-match', line: 6, column: 3, message: /bom-utf16le-pods/ }],
    aloneExit: 0,
  },
  {
    file: 'bom-utf16be.yaml',
    expect: [{ ruleId: 'service-selector-match', line: 6, column: 3, message: /bom-utf16be-pods/ }],
    aloneExit: 0,
  },
  { file: 'crlf.yaml', expect: [{ ruleId: 'service-selector-match', line: 6, column: 3, message: /crlf-pods/ }], aloneExit: 0 },
  {
    file: 'crlf-tab-indent.yaml',
    expect: [{ ruleId: 'yaml-syntax', line: 5, column: 1, message: /Tabs are not allowed as indentation/ }],
    aloneExit: 1,
  },
  { file: 'empty.yaml', expect: [], aloneExit: 0 },
  { file: 'only-separator.yaml', expect: [], aloneExit: 0 },
  // Not Kubernetes objects (like a values.yaml or an Ansible play): skipped quietly in a scan.
  { file: 'top-level-scalar.yaml', expect: [], aloneExit: 0 },
  { file: 'top-level-list.yaml', expect: [], aloneExit: 0 },
  {
    file: 'kind-number.yaml',
    expect: [{ ruleId: 'resource-shape', line: 2, column: 7, message: /"kind" must be a non-empty string \(found number 42\)/ }],
    aloneExit: 1,
  },
  {
    file: 'metadata-list.yaml',
    expect: [{ ruleId: 'resource-shape', line: 3, column: 1, message: /"metadata" must be an object \(found a list\)/ }],
    aloneExit: 1,
  },
  {
    file: 'alias-bomb.yaml',
    expect: [{ ruleId: 'yaml-syntax', line: 7, column: 10, message: /alias bomb \("billion laughs"\).*does not expand it/ }],
    aloneExit: 1,
  },
];

describe('bad input in committed fixtures', () => {
  for (const c of STATIC_CASES) {
    it(`${c.file}: ${c.expect.length === 0 ? 'no finding' : c.expect.map((e) => `${e.ruleId} at line ${e.line}`).join(', ')}; the sibling is still linted`, () => {
      const outcome = lintWithCli([c.file]);
      expectWellBehaved(outcome);
      expect(outcome.run.status).toBe(1); // the sibling has an error
      const found = findingsIn(outcome, c.file);
      expect(
        found.map((m) => ({
          ruleId: m.ruleId,
          line: m.line,
          ...(c.expect.find((e) => e.ruleId === m.ruleId)?.column ? { column: m.column } : {}),
        })),
      ).toEqual(c.expect.map((e) => ({ ruleId: e.ruleId, line: e.line, ...(e.column ? { column: e.column } : {}) })));
      c.expect.forEach((e, i) => expect(found[i]!.message).toMatch(e.message));
      // Every file read is in the results, with or without findings.
      expect(outcome.results.map((r) => r.filePath)).toContain(c.file);
    });
  }

  it.each(STATIC_CASES.map((c) => [c.file, c.aloneExit, c.expect.length] as const))(
    '%s alone exits with %i, without a stack trace',
    (file, code, findings) => {
      const run = runKubewire([file], { cwd: FIXTURES, nodeFlags: HEAP_CAP });
      expect(run.status).toBe(code);
      expect(run.stderr).not.toMatch(STACK_FRAME);
      if (findings > 0) expect(run.stdout).toContain(`${file}:`);
    },
  );

  it('a file with no Kubernetes object, alone, is not silently accepted: a one-line note on stderr', () => {
    for (const file of ['empty.yaml', 'only-separator.yaml', 'top-level-scalar.yaml', 'top-level-list.yaml']) {
      const run = runKubewire([file, '--no-context'], { cwd: FIXTURES });
      expect(run.status).toBe(0);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe('kubewire: no Kubernetes objects found (1 file read; documents without apiVersion and kind are skipped).\n');
    }
  });

  it('ports written as strings, floats or huge numbers are reported (not crashed on), each at its field', () => {
    const outcome = lintWithCli(['ports-strings-floats.yaml']);
    expectWellBehaved(outcome);
    const found = findingsIn(outcome, 'ports-strings-floats.yaml');
    expect(found.length).toBeGreaterThan(0);
    for (const m of found) {
      expect(m.line).toBeGreaterThanOrEqual(1);
      expect(m.line).toBeLessThanOrEqual(41);
      expect(m.column).toBeGreaterThanOrEqual(1);
    }
  });

  it('the whole folder at once, in the human format: every bad file named, one finding each, no stack trace', () => {
    const run = runKubewire(['.'], { cwd: FIXTURES, nodeFlags: HEAP_CAP });
    expect(run.status).toBe(1);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    for (const c of STATIC_CASES) for (const e of c.expect) expect(run.stdout).toContain(`${c.file}:${e.line}:`);
    expect(run.stdout).toContain(`${SIBLING}:8:`);
  });
});

describe('bad input made at test time', () => {
  it(`a 50 MB file is refused at once (limit ${MAX_FILE_BYTES / 1024 / 1024} MiB), with its size, and the rest is linted`, () => {
    const dir = path.join(scratch, 'big');
    mkdirSync(dir);
    const file = path.join(dir, 'huge.yaml');
    const line = `${'x'.repeat(1023)}\n`;
    writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\ndata:\n  blob: |\n${`  ${line}`.repeat(50 * 1024)}`);
    const outcome = lintWithCli(['huge.yaml'], { cwd: dir });
    expectWellBehaved(outcome);
    expect(outcome.run.ms).toBeLessThan(10_000);
    const [finding, ...rest] = findingsIn(outcome, 'huge.yaml');
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ ruleId: 'input-unreadable', line: 1 });
    expect(finding!.message).toMatch(/the file is too large \(50\.\d MiB; kubewire reads at most 16\.0 MiB per file\)/);
  });

  it('a 1 MB single-line scalar is linted, and its code frame stays a readable width', () => {
    const dir = path.join(scratch, 'long-line');
    mkdirSync(dir);
    const long = 'v'.repeat(1024 * 1024);
    writeFileSync(
      path.join(dir, 'long.yaml'),
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: long\ndata: {blob: "${long}", blob: twice}\n`,
    );
    const outcome = lintWithCli(['long.yaml'], { cwd: dir });
    expectWellBehaved(outcome);
    const [duplicate] = findingsIn(outcome, 'long.yaml');
    expect(duplicate).toMatchObject({ ruleId: 'yaml-duplicate-key', line: 5 });
    expect(duplicate!.column).toBeGreaterThan(1024 * 1024);
    const human = runKubewire(['long.yaml'], { cwd: dir, nodeFlags: HEAP_CAP });
    expect(human.status).toBe(1);
    expect(Math.max(...human.stdout.split('\n').map((l) => l.length))).toBeLessThan(400);
  });

  const deep = {
    'flow lists, 10,000 levels': `a: ${'['.repeat(10_000)}1${']'.repeat(10_000)}\n`,
    'block lists, 10,000 levels': `${'- '.repeat(10_000)}1\n`,
    'flow maps, 10,000 levels': `${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`,
    [`flow lists, ${MAX_NESTING_DEPTH + 20} levels (parses, over the limit)`]: `a: ${'['.repeat(MAX_NESTING_DEPTH + 20)}1${']'.repeat(MAX_NESTING_DEPTH + 20)}\n`,
  };
  for (const [name, text] of Object.entries(deep)) {
    it(`deep nesting (${name}) is refused with a clear message, without exhausting the stack`, () => {
      const dir = mkdtempSync(path.join(scratch, 'deep-'));
      writeFileSync(path.join(dir, 'deep.yaml'), text);
      const outcome = lintWithCli(['deep.yaml'], { cwd: dir });
      expectWellBehaved(outcome);
      const [finding, ...rest] = findingsIn(outcome, 'deep.yaml');
      expect(rest).toEqual([]);
      expect(finding).toMatchObject({ ruleId: 'yaml-syntax', line: 1 });
      expect(finding!.message).toContain(`collections are nested more than ${MAX_NESTING_DEPTH} levels deep`);
      expect(finding!.message).not.toMatch(/call stack/i);
    });
  }

  it('a symlink loop named on the command line is reported; one met in a directory scan is not followed', () => {
    const dir = path.join(scratch, 'loop');
    mkdirSync(dir);
    symlinkSync('b.yaml', path.join(dir, 'a.yaml'));
    symlinkSync('a.yaml', path.join(dir, 'b.yaml'));
    mkdirSync(path.join(dir, 'tree'));
    symlinkSync('..', path.join(dir, 'tree', 'up.yaml'));
    copyFileSync(path.join(FIXTURES, 'kind-number.yaml'), path.join(dir, 'tree', 'real.yaml'));

    const named = lintWithCli(['a.yaml'], { cwd: dir });
    expectWellBehaved(named);
    expect(findingsIn(named, 'a.yaml')).toMatchObject([
      { ruleId: 'input-unreadable', line: 1, message: expect.stringMatching(/too many levels of symbolic links/) },
    ]);

    const scanned = lintWithCli(['.'], { cwd: dir });
    expectWellBehaved(scanned);
    expect(scanned.messages.filter((m) => !m.filePath.endsWith(SIBLING)).map((m) => `${m.filePath}:${m.ruleId}`)).toEqual([
      'tree/real.yaml:resource-shape',
    ]);
  });

  it('a broken symlink named on the command line is reported as such', () => {
    const dir = path.join(scratch, 'dangling');
    mkdirSync(dir);
    symlinkSync('missing.yaml', path.join(dir, 'link.yaml'));
    const outcome = lintWithCli(['link.yaml'], { cwd: dir });
    expectWellBehaved(outcome);
    expect(findingsIn(outcome, 'link.yaml')).toMatchObject([
      { ruleId: 'input-unreadable', message: expect.stringMatching(/broken symbolic link/) },
    ]);
  });

  it('a directory named x.yaml is not read as a file in a scan; named alone and empty, it is a usage error (exit 2)', () => {
    const dir = path.join(scratch, 'dir-named-yaml');
    mkdirSync(path.join(dir, 'x.yaml'), { recursive: true });
    copyFileSync(path.join(FIXTURES, 'kind-number.yaml'), path.join(dir, 'real.yaml'));
    const scanned = lintWithCli(['.'], { cwd: dir });
    expectWellBehaved(scanned);
    expect(scanned.messages.filter((m) => !m.filePath.endsWith(SIBLING)).map((m) => `${m.filePath}:${m.ruleId}`)).toEqual([
      'real.yaml:resource-shape',
    ]);

    const alone = runKubewire(['x.yaml'], { cwd: dir });
    expect(alone.status).toBe(2);
    expect(alone.stdout).toBe('');
    expect(alone.stderr).toBe('kubewire: no YAML or JSON files found in x.yaml\nRun `kubewire --help` for usage.\n');
  });

  // chmod 000 does not stop root. When the tests run as root (CI containers), kubewire runs as `nobody`, for whom
  // the mode applies; a non-root user is simply the owner the mode applies to.
  const isRoot = process.getuid?.() === 0;
  it.skipIf(process.platform === 'win32')('an unreadable file is reported (permission denied) and the rest is linted', () => {
    const dir = path.join(scratch, 'unreadable');
    mkdirSync(dir);
    chmodSync(scratch, 0o755);
    chmodSync(dir, 0o755);
    const secret = path.join(dir, 'secret.yaml');
    copyFileSync(path.join(FIXTURES, 'kind-number.yaml'), secret);
    chmodSync(secret, 0o000);
    copyFileSync(path.join(FIXTURES, SIBLING), path.join(dir, SIBLING));
    chmodSync(path.join(dir, SIBLING), 0o644);
    const outcome = lintWithCli(['.'], { cwd: dir, withSibling: false, ...(isRoot ? { uid: 65534 } : {}) });
    expectWellBehaved(outcome);
    expect(outcome.run.status).toBe(1);
    expect(findingsIn(outcome, 'secret.yaml')).toMatchObject([
      {
        ruleId: 'input-unreadable',
        line: 1,
        message: 'Cannot lint this file: cannot read the file: permission denied. The other files are still linted.',
      },
    ]);
  });

  it.skipIf(process.platform === 'win32')(
    'an unreadable directory in a scan is reported, not skipped silently; hidden ones are not read anyway',
    () => {
      const dir = path.join(scratch, 'unreadable-dir');
      for (const sub of ['locked', '.hidden-locked', 'open']) mkdirSync(path.join(dir, sub), { recursive: true });
      chmodSync(scratch, 0o755);
      chmodSync(dir, 0o755);
      copyFileSync(path.join(FIXTURES, 'kind-number.yaml'), path.join(dir, 'locked', 'a.yaml'));
      copyFileSync(path.join(FIXTURES, 'kind-number.yaml'), path.join(dir, 'open', 'b.yaml'));
      chmodSync(path.join(dir, 'open'), 0o755);
      chmodSync(path.join(dir, 'open', 'b.yaml'), 0o644);
      chmodSync(path.join(dir, 'locked'), 0o000);
      chmodSync(path.join(dir, '.hidden-locked'), 0o000);
      try {
        const outcome = lintWithCli(['.'], { cwd: dir, withSibling: false, ...(isRoot ? { uid: 65534 } : {}) });
        expectWellBehaved(outcome, { withSibling: false });
        expect(outcome.messages.map((m) => `${m.filePath}:${m.line}:${m.ruleId}: ${m.message}`)).toEqual([
          'locked:1:input-unreadable: Cannot lint this file: cannot read the directory (permission denied), so the manifests in it are not linted. The other files are still linted.',
          'open/b.yaml:2:resource-shape: Not a valid Kubernetes object: "kind" must be a non-empty string (found number 42). The API server rejects it, and kubewire cannot check its wiring.',
        ]);
      } finally {
        chmodSync(path.join(dir, 'locked'), 0o755);
        chmodSync(path.join(dir, '.hidden-locked'), 0o755);
      }
    },
  );

  it('a file removed between listing and reading is reported, and the rest is linted', async () => {
    const dir = path.join(scratch, 'vanishing');
    mkdirSync(dir);
    writeFileSync(path.join(dir, VANISHING), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gone\n');
    copyFileSync(path.join(FIXTURES, 'kind-number.yaml'), path.join(dir, 'real.yaml'));
    const project = await loadProject({ cwd: dir, operands: ['.'] });
    expect(project.files.map((f) => f.path)).toEqual(['real.yaml']);
    expect(project.inputProblems).toEqual([{ path: VANISHING, message: 'the file disappeared while kubewire was reading the inputs' }]);
    const results = lint({
      graph: project.graph,
      inputProblems: project.inputProblems,
      rules: allRules,
      filePaths: [...project.files.map((f) => f.path), ...project.inputProblems.map((p) => p.path)],
    });
    expect(results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line}:${m.ruleId}`))).toEqual([
      'real.yaml:2:resource-shape',
      'vanishing.yaml:1:input-unreadable',
    ]);
  });
});

describe('standard input', () => {
  it('empty standard input is a usage error: exit 2, one line, no stack trace', () => {
    const run = runKubewire(['-'], { cwd: FIXTURES, input: '' });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'kubewire: standard input is empty (did the command before the pipe fail?)\nRun `kubewire --help` for usage.\n',
    );
  });

  it('standard input over the size limit is refused as <stdin>, and the files named with it are linted', () => {
    const input = Buffer.alloc(MAX_FILE_BYTES + 4096, 'a');
    const outcome = lintWithCli(['-'], { input });
    expectWellBehaved(outcome);
    expect(findingsIn(outcome, '<stdin>')).toMatchObject([
      { ruleId: 'input-unreadable', line: 1, message: expect.stringMatching(/too large \(more than 16\.0 MiB/) },
    ]);
  });

  it('binary standard input is reported as <stdin>', () => {
    const outcome = lintWithCli(['-'], { input: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0]) });
    expectWellBehaved(outcome);
    expect(findingsIn(outcome, '<stdin>')).toMatchObject([{ ruleId: 'input-unreadable', message: expect.stringMatching(/binary file/) }]);
  });
});

describe('regressions found by fuzzing', () => {
  it('kinds named like Object.prototype members (constructor, hasOwnProperty, toString, __proto__) crash nothing', () => {
    const text = ['constructor', 'hasOwnProperty', 'toString', '__proto__', 'valueOf']
      .flatMap((kind) => [
        `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: a\nspec: {}\n`,
        `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: b\nspec: {}\n`,
      ])
      .join('---\n');
    const messages = messagesOf(lintFiles({ 'proto.yaml': text }));
    expect(messages.filter((m) => m.messageId === 'internalError')).toEqual([]);
  });

  it('a Service whose only matching pod is a helm test hook gets a finding, not a rule crash', () => {
    const messages = messagesOf(
      lintFiles({
        'chart.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: web-test-connection
  labels:
    app: web
  annotations:
    helm.sh/hook: test
spec:
  restartPolicy: Never
  containers:
  - name: wget
    image: busybox
`,
      }),
    );
    expect(messages.filter((m) => m.messageId === 'internalError')).toEqual([]);
    expect(messages.find((m) => m.ruleId === 'service-selector-match')?.message).toMatch(/Pod\/web-test-connection .* deploy hook/);
  });
});
