/**
 * kubewire reads files and writes a report: it opens no socket, resolves no name and starts no process, and
 * nothing in a manifest (YAML tags, keys, values) or on the command line is executed. Proved twice: at run time,
 * by linting the whole corpus in processes where every network and process API ends the run (exit 97); and
 * statically, by the imports of src/.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runKubewire, STACK_FRAME } from './cli-process.js';
import { repoRoot } from './helpers.js';

const PRELOAD = path.join(repoRoot, 'test', 'support', 'forbid-network.mjs');
const FORBID = ['--import', pathToFileURL(PRELOAD).href];
const FORBIDDEN_EXIT = 97;

let scratch: string;

beforeAll(() => {
  ensureBuilt();
  scratch = mkdtempSync(path.join(tmpdir(), 'kubewire-no-network-'));
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('no network, no processes, at run time', () => {
  it('the guard works: a socket, a DNS lookup, fetch or a child process end the run with exit 97', () => {
    for (const attempt of [
      "require('node:net').connect(80, '127.0.0.1')",
      "new (require('node:net').Socket)().connect(80, '127.0.0.1')",
      "require('node:dns').lookup('example.com', () => {})",
      "require('node:https').get('https://example.com')",
      "fetch('http://127.0.0.1:9')",
      "require('node:child_process').execSync('true')",
    ]) {
      const run = runKubewire([], { cwd: scratch, nodeFlags: [...FORBID, '-e', attempt] });
      expect(run.status, attempt).toBe(FORBIDDEN_EXIT);
      expect(run.stderr).toMatch(/^FORBIDDEN: /);
    }
  });

  const corpora = ['test/corpus', 'examples', 'test/fixtures'].filter((p) => existsSync(path.join(repoRoot, p)));
  const commands: [string, string[]][] = [
    ['lint, stylish', ['--color', ...corpora]],
    ['lint, json, to a file', ['--format', 'json', '--output-file', 'OUT', ...corpora]],
    ['endpoints', ['endpoints', ...corpora]],
    ['endpoints, json', ['endpoints', '--format', 'json', ...corpora]],
    ['rules', ['rules']],
    ['help', ['--help']],
  ];
  for (const [name, args] of commands) {
    it(`kubewire ${name} over the whole corpus opens no socket and starts no process`, () => {
      const out = path.join(scratch, `${name.replace(/\W+/g, '-')}.json`);
      const run = runKubewire(
        args.map((a) => (a === 'OUT' ? out : a)),
        { cwd: repoRoot, nodeFlags: FORBID },
      );
      expect(run.stderr).not.toMatch(/FORBIDDEN/);
      expect(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stderr}`).toBe(true);
      expect(run.stderr).not.toMatch(STACK_FRAME);
      if (args.includes('OUT')) expect(JSON.parse(readFileSync(out, 'utf8'))).toBeInstanceOf(Array);
    });
  }

  it('standard input too', () => {
    const manifest = readFileSync(path.join(repoRoot, 'test', 'fixtures', 'bad-input', 'sibling.yaml'));
    const run = runKubewire(['-'], { cwd: scratch, input: manifest, nodeFlags: FORBID });
    expect(run.stderr).not.toMatch(/FORBIDDEN/);
    expect(run.status).toBe(1);
  });
});

describe('manifests never execute code', () => {
  it('language-specific YAML tags are data, never run', () => {
    const marker = path.join(scratch, 'pwned');
    const payload = `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x')`;
    writeFileSync(
      path.join(scratch, 'tags.yaml'),
      `apiVersion: v1
kind: ConfigMap
metadata:
  name: tags
  labels:
    a: !!js/function "function () { ${payload.replace(/"/g, '\\"')} }"
    b: !!js/eval "${payload.replace(/"/g, '\\"')}"
    c: !!python/object/apply:os.system ["touch ${marker}"]
    d: !<tag:yaml.org,2002:js/undefined> ""
data:
  __proto__: {polluted: "yes"}
  constructor: {prototype: {polluted: "yes"}}
  script: "\${process.exit(3)} {{constructor.constructor('return process')().exit(4)}}"
`,
    );
    const run = runKubewire(['--format', 'json', 'tags.yaml'], { cwd: scratch, nodeFlags: FORBID });
    expect(run.stderr).not.toMatch(/FORBIDDEN/);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect([0, 1]).toContain(run.status);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
    expect(existsSync(marker)).toBe(false);
  });
});

describe('no network or process APIs in the source', () => {
  const FORBIDDEN_MODULES =
    /^(node:)?(net|tls|dgram|dns|dns\/promises|http|https|http2|child_process|cluster|worker_threads|vm|inspector)$/;

  /**
   * Worker threads (no process, never code from a string: `eval: true` is caught below), each started from a file
   * of this package: the ESLint plugin's engine thread (ESLint runs rules synchronously and kubewire answers
   * asynchronously).
   */
  const WORKER_MODULES = new Set(
    [
      ['src', 'hosts', 'eslint-plugin', 'engine-bridge.ts'],
      ['src', 'hosts', 'eslint-plugin', 'engine-worker.ts'],
    ].map((parts) => path.join(...parts)),
  );

  function sources(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
    );
  }

  it('src/ imports no network, process or code-evaluation module, and evaluates no strings', () => {
    const offenders: string[] = [];
    for (const file of sources(path.join(repoRoot, 'src'))) {
      const text = readFileSync(file, 'utf8');
      const relative = path.relative(repoRoot, file);
      for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)) {
        if (FORBIDDEN_MODULES.test(match[1]!) && !(WORKER_MODULES.has(relative) && /^(node:)?worker_threads$/.test(match[1]!)))
          offenders.push(`${relative}: imports ${match[1]}`);
      }
      if (/\beval\s*\(|\beval\s*:|\bnew\s+Function\s*\(|\bfetch\s*\(|\bWebSocket\b/.test(text))
        offenders.push(`${relative}: evaluates code or fetches`);
    }
    expect(offenders).toEqual([]);
  });

  // picomatch matches the config file's `overrides` globs; fast-glob installs the very same package.
  it('the runtime dependencies are the two parsers, the options validator and the glob matcher named in package.json', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['ajv', 'fast-glob', 'picomatch', 'yaml']);
  });
});
