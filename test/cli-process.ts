/** Runs the real command line (bin/kubewire.js over dist/bin/, the bundle) in a child process, building dist/ first when stale. */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './helpers.js';

export const BIN = path.join(repoRoot, 'bin', 'kubewire.js');
/** What bin/kubewire.js runs; written by scripts/build-cli.mjs after tsc, so the last file of a build. */
const CLI_BUNDLE = path.join(repoRoot, 'dist', 'bin', 'kubewire.cjs');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function distIsFresh(): boolean {
  try {
    return statSync(CLI_BUNDLE).mtimeMs >= newestMtime(path.join(repoRoot, 'src'));
  } catch {
    return false;
  }
}

/** What the last build under the lock gave, for the test files that waited for it. */
const BUILD_RESULT = path.join(repoRoot, '.tmp', 'build-result.json');

interface BuildResult {
  status: number | null;
  output: string;
}

/** The result of the build that wrote the current dist/, when this file's lock built it (else: a success). */
function lastBuildResult(): BuildResult {
  try {
    // tsc writes dist/ before the result is written, so a result older than dist/ is of an earlier build.
    if (statSync(BUILD_RESULT).mtimeMs < statSync(CLI_BUNDLE).mtimeMs) return { status: 0, output: '' };
    return JSON.parse(readFileSync(BUILD_RESULT, 'utf8')) as BuildResult;
  } catch {
    return { status: 0, output: '' };
  }
}

function failIfBroken(result: BuildResult): void {
  if (result.status === 0) return;
  throw new Error(
    `building dist/ failed (tsc -p tsconfig.build.json, then scripts/build-cli.mjs, exited with ${result.status}); the CLI tests would run stale or half-built code:\n${result.output}`,
  );
}

/**
 * `npm test` builds before running the suite; a direct `npx vitest run` may find dist/ stale. Test files run in
 * parallel, so one of them builds (under a lock directory) while the others wait for it. A failed build (a type
 * error, a missing file) fails every caller loudly, with tsc's output: the tests must not run an old dist/.
 */
export function ensureBuilt(): void {
  if (distIsFresh()) {
    failIfBroken(lastBuildResult());
    return;
  }
  const lock = path.join(repoRoot, '.tmp', 'build.lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  let owner = false;
  try {
    mkdirSync(lock);
    owner = true;
  } catch {
    // Someone else is building: wait for the lock to go (at most two minutes).
  }
  if (owner) {
    let result: BuildResult;
    try {
      rmSync(BUILD_RESULT, { force: true });
      let run = spawnSync(
        process.execPath,
        [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
        {
          cwd: repoRoot,
          encoding: 'utf8',
        },
      );
      // npm run build's second step: the bundle bin/kubewire.js runs.
      if (run.status === 0)
        run = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build-cli.mjs')], { cwd: repoRoot, encoding: 'utf8' });
      const output = `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}`.slice(0, 8000);
      result = { status: run.status, output };
      writeFileSync(BUILD_RESULT, JSON.stringify(result));
    } finally {
      rmdirSync(lock);
    }
    failIfBroken(result);
    return;
  }
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      statSync(lock);
    } catch {
      let result: BuildResult;
      try {
        result = JSON.parse(readFileSync(BUILD_RESULT, 'utf8')) as BuildResult;
      } catch {
        result = { status: null, output: `the build that held ${lock} left no result in ${BUILD_RESULT}` };
      }
      failIfBroken(result);
      return;
    }
    spawnSync(process.execPath, ['-e', 'setTimeout(() => {}, 200)']);
  }
  throw new Error(`waited two minutes for another test file's build (${lock}); if no build is running, remove that directory`);
}

export interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall-clock time of the run, for sanity caps (not a benchmark). */
  ms: number;
}

export interface CliRunOptions {
  cwd: string;
  input?: string | Buffer;
  /** Extra flags for node itself, e.g. a heap cap or a preload script. */
  nodeFlags?: readonly string[];
  env?: Readonly<Record<string, string>>;
  uid?: number;
  gid?: number;
  timeoutMs?: number;
}

export function runKubewire(args: readonly string[], options: CliRunOptions): CliRun {
  const spawnOptions: SpawnSyncOptions = {
    cwd: options.cwd,
    input: options.input ?? '',
    env: { ...process.env, NO_COLOR: '1', KUBEWIRE_DEBUG: '', ...options.env },
    timeout: options.timeoutMs ?? 60_000,
    maxBuffer: 64 * 1024 * 1024,
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid ?? options.uid } : {}),
  };
  const started = Date.now();
  const run = spawnSync(process.execPath, [...(options.nodeFlags ?? []), BIN, ...args], spawnOptions);
  return {
    status: run.status,
    signal: run.signal,
    stdout: String(run.stdout ?? ''),
    stderr: String(run.stderr ?? ''),
    ms: Date.now() - started,
  };
}

/** A stack trace line as Node prints them. */
export const STACK_FRAME = /^\s+at /m;
