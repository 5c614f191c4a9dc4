/**
 * The package as others get it: `npm pack` of this checkout, installed into an empty project as `npm install
 * kubewire` would install it (from the npm cache when it can), then used. pre-commit and ESLint consume kubewire
 * this way, so the tarball must hold what it needs and nothing half (no source maps without their sources), its
 * type declarations must compile with only its runtime dependencies, and the install must be quiet.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './cli-process.js';
import { repoRoot } from './helpers.js';
import { deployment, service } from './support/wiring-pair.js';

const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};

let scratch: string;
let consumer: string;
let packed: string[];
let installOutput: string;

function run(command: string, args: readonly string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1', npm_config_color: 'false' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  ensureBuilt();
  scratch = mkdtempSync(path.join(tmpdir(), 'kubewire-package-'));
  // dist/ is built above; the scripts `npm publish` would run build the same dist/.
  const pack = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], repoRoot);
  expect(pack.status, pack.stderr).toBe(0);
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  packed = info!.files.map((f) => f.path);
  consumer = path.join(scratch, 'consumer');
  mkdirSync(consumer);
  writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(scratch, info!.filename)], consumer);
  installOutput = `${install.stdout}${install.stderr}`;
  expect(install.status, installOutput).toBe(0);
}, 180_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds the licence, the command, the built code with its declarations, the rule docs and schemas; no sources, no maps', () => {
    for (const file of [
      'LICENSE',
      'README.md',
      'package.json',
      'bin/kubewire.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/main.js',
      'rules-docs/service-selector-match.md',
      'schemas/kubernetes.json',
    ]) {
      expect(packed).toContain(file);
    }
    expect(packed.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(packed.filter((f) => /^(src|test|scripts)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).toEqual([]);
    expect(readFileSync(path.join(repoRoot, 'LICENSE'), 'utf8')).toContain(
      'Apache License\n                           Version 2.0, January 2004',
    );
  });

  it('installs without a warning and pulls in nothing but its runtime dependencies (no ESLint)', () => {
    // npm 11 lists a package's `prepare` as an install script for file and git sources only (arborist's
    // lib/install-scripts.js: "prepare, but only for non-registry sources"); installed from the registry,
    // kubewire shows no such warning. The tarball here is a file: that one notice is expected, nothing else.
    const fileSourceNotice = [
      /^npm warn install-scripts 1 package has install scripts not yet covered by allowScripts:$/,
      /^npm warn install-scripts {3}kubewire@[\d.]+ \(prepare: npm run build\)$/,
      /^npm warn install-scripts$/,
      /^npm warn install-scripts Run `npm install-scripts ls` to review, or `npm install-scripts approve <pkg>` to allow\.$/,
    ];
    const warnings = installOutput
      .split('\n')
      .filter((line) => /\bwarn/i.test(line) && !fileSourceNotice.some((notice) => notice.test(line)));
    expect(warnings).toEqual([]);
    const tree = run('npm', ['ls', '--all', '--json'], consumer);
    expect(tree.status, tree.stderr).toBe(0);
    const names = new Set<string>();
    const walk = (deps: Record<string, { version?: string; dependencies?: Record<string, unknown> }> | undefined) => {
      for (const [name, dep] of Object.entries(deps ?? {})) {
        // An optional peer that is not installed (eslint) is listed too, as an entry without a version.
        if (dep.version === undefined) continue;
        names.add(name);
        walk(dep.dependencies as never);
      }
    };
    walk((JSON.parse(tree.stdout) as { dependencies: never }).dependencies);
    expect(names.has('kubewire')).toBe(true);
    for (const dependency of Object.keys(manifest.dependencies)) expect(names.has(dependency)).toBe(true);
    expect([...names].filter((n) => /eslint|typescript|vitest/.test(n))).toEqual([]);
    // ESLint is for the plugin only: a peer the CLI does without.
    for (const peer of Object.keys(manifest.peerDependencies ?? {})) expect(manifest.peerDependenciesMeta?.[peer]?.optional).toBe(true);
  });

  it('type-checks a TypeScript consumer of the public API with only the runtime dependencies installed', () => {
    writeFileSync(
      path.join(consumer, 'lint.ts'),
      `import { Kubewire, type KubewireOptions, type LintRun } from 'kubewire';

const options: KubewireOptions = { cwd: process.cwd(), context: ['k8s/**'], rules: { 'service-node-port': ['error', { range: '20000-22767' }] } };
const kubewire = new Kubewire(options);
const run: LintRun = await kubewire.lintText('apiVersion: v1\\nkind: Service\\n', { filePath: 'svc.yaml' });
const line: number | undefined = run.results[0]?.messages[0]?.line;
console.log(kubewire.loadFormatter('json').format(run), line, Kubewire.rules().length);
`,
    );
    // A consumer of a Node.js library has Node's types; everything else comes from its own node_modules.
    writeFileSync(
      path.join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          typeRoots: [path.join(repoRoot, 'node_modules', '@types')],
          types: ['node'],
        },
        files: ['lint.ts'],
      }),
    );
    const tsc = run(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], consumer);
    expect(`${tsc.stdout}${tsc.stderr}`).toBe('');
    expect(tsc.status).toBe(0);
  }, 120_000);

  it('the installed command runs on its runtime dependencies alone', () => {
    writeFileSync(path.join(consumer, 'svc.yaml'), service);
    writeFileSync(path.join(consumer, 'deploy.yaml'), deployment('webb'));
    const lint = run(path.join(consumer, 'node_modules', '.bin', 'kubewire'), ['--format', 'json', '--no-context', '.'], consumer);
    expect(lint.status, lint.stderr).toBe(1);
    expect(lint.stdout).toContain('"ruleId":"service-selector-match"');
  }, 60_000);
});
