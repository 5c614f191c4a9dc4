/**
 * `--cache`: a run that takes parse results from the cache gives exactly the output of a run without it; a
 * changed file is parsed again; a corrupt, truncated, foreign or other-version cache is ignored without a crash;
 * the cache is written atomically. And the parallel parse (a worker thread) gives what one thread gives.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kubewire } from '../src/api/kubewire.js';
import { cacheFileFor, ParseCache } from '../src/engine/parse-cache.js';
import { SourceFile } from '../src/loader/source.js';
import { ensureBuilt, runKubewire } from './cli-process.js';
import { repoRoot } from './helpers.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'kubewire-cache-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;

/** A copy of the test corpus to lint and change. */
function corpusCopy(): string {
  const dir = path.join(scratch, `corpus-${counter++}`);
  cpSync(path.join(repoRoot, 'test', 'corpus'), dir, { recursive: true, filter: (source) => !source.includes('__snapshots__') });
  return dir;
}

async function output(cwd: string, options: { cache?: boolean; cacheLocation?: string } = {}): Promise<string> {
  const run = await new Kubewire({ cwd, ...options }).lintFiles(['.']);
  return JSON.stringify({ results: run.results, notices: run.notices, exitStatus: run.exitStatus });
}

describe('--cache', () => {
  it('gives the output of an uncached run, on a cold and on a warm cache, and reads the unchanged files from it', async () => {
    const dir = corpusCopy();
    const uncached = await output(dir);
    expect(await output(dir, { cache: true })).toBe(uncached);
    const cacheFile = path.join(dir, '.kubewirecache');
    expect(existsSync(cacheFile)).toBe(true);
    expect(await output(dir, { cache: true })).toBe(uncached);
    // Every file of the corpus is in the cache and reads back as its parse.
    const cache = ParseCache.load(cacheFile, dir);
    const sample = path.join(
      'microservices-ingress',
      readdirSync(path.join(dir, 'microservices-ingress')).find((f) => f.endsWith('.yaml'))!,
    );
    const documents = cache.lookup(new SourceFile(sample, readFileSync(path.join(dir, sample), 'utf8')));
    expect(documents?.length).toBeGreaterThan(0);
    // Atomic writes leave no temporary file behind.
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('parses a changed file again: the output is that of an uncached run on the changed files', async () => {
    const dir = corpusCopy();
    const original = await output(dir, { cache: true });
    const target = path.join(dir, 'microservices-ingress');
    const file = readdirSync(target).find((f) => /targetPort: [a-y]/.test(readFileSync(path.join(target, f), 'utf8')))!;
    const before = readFileSync(path.join(target, file), 'utf8');
    // Same length, different text: a cache keyed on size or time would miss it.
    writeFileSync(path.join(target, file), before.replace(/targetPort: [a-y]/, 'targetPort: z'));
    expect(readFileSync(path.join(target, file), 'utf8')).not.toBe(before);
    const changed = await output(dir, { cache: true });
    expect(changed).toBe(await output(dir));
    expect(changed).not.toBe(original);
    expect(
      ParseCache.load(path.join(dir, '.kubewirecache'), dir).lookup(new SourceFile(path.join('microservices-ingress', file), before)),
    ).toBeUndefined();
  });

  it('ignores a corrupt, truncated or other-version cache, and never overwrites a file that is not a kubewire cache', async () => {
    const dir = corpusCopy();
    const uncached = await output(dir);
    const cacheFile = path.join(dir, '.kubewirecache');
    await output(dir, { cache: true });
    const good = readFileSync(cacheFile, 'utf8');
    const lines = good.split('\n');
    const damaged = [
      good.slice(0, Math.floor(good.length / 2)),
      [lines[0], ...lines.slice(1).map((line) => line.replace(/"p":\[/, '"p":7,"x":['))].join('\n'),
      [lines[0], ...lines.slice(1).map((line) => line.replace(/"start":\d+/, '"start":-5'))].join('\n'),
      good.replace('"version":"', '"version":"0.0.0-other'),
      '\u0000\u0001binary',
      '',
    ];
    for (const text of damaged) {
      writeFileSync(cacheFile, text);
      expect(await output(dir, { cache: true })).toBe(uncached);
    }
    // Something else at the cache location (a typo'd path): read as nothing, left as it is.
    const other = path.join(dir, 'notes.txt');
    writeFileSync(other, 'my notes\n');
    expect(await output(dir, { cache: true, cacheLocation: 'notes.txt' })).toBe(uncached);
    expect(readFileSync(other, 'utf8')).toBe('my notes\n');
  });

  it('puts the cache in a directory named as the location, as ESLint does', () => {
    const dir = path.join(scratch, 'location');
    expect(cacheFileFor(undefined, dir)).toBe(path.join(dir, '.kubewirecache'));
    expect(cacheFileFor('cache/', dir)).toMatch(
      new RegExp(`^${path.join(dir, 'cache').replace(/[\\/.]/g, '\\$&')}[\\\\/]\\.cache_[0-9a-f]+$`),
    );
    expect(cacheFileFor('x/my.cache', dir)).toBe(path.join(dir, 'x', 'my.cache'));
  });
});

describe('--cache on the command line', () => {
  beforeAll(() => ensureBuilt(), 180_000);

  it('writes the cache at --cache-location and gives the same report on the next run', () => {
    const dir = corpusCopy();
    const plain = runKubewire(['-f', 'json', '.'], { cwd: dir });
    const first = runKubewire(['--cache', '--cache-location', 'tmp/kw/', '-f', 'json', '.'], { cwd: dir });
    const second = runKubewire(['--cache', '--cache-location', 'tmp/kw/', '-f', 'json', '.'], { cwd: dir });
    expect(first.stderr).toBe(plain.stderr);
    expect(second.stderr).toBe(plain.stderr);
    expect(readdirSync(path.join(dir, 'tmp', 'kw')).filter((f) => f.startsWith('.cache_'))).toHaveLength(1);
    expect(first.stdout).toBe(plain.stdout);
    expect(second.stdout).toBe(plain.stdout);
    expect(second.status).toBe(plain.status);
  }, 120_000);
});
