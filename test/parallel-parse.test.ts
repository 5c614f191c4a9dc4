/**
 * The parallel parse (src/engine/parallel-parse.ts, a worker thread beside the main one) gives, file by file,
 * what parsing on one thread gives: the same values, problems and positions, in the same order; values JSON
 * cannot carry (`-0`, `1.0e999`) and files the parser gives up on come out the same too. It runs the built
 * worker (dist/), as the command line does.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as Parallel from '../src/engine/parallel-parse.js';
import type * as Source from '../src/loader/source.js';
import { ensureBuilt } from './cli-process.js';
import { repoRoot } from './helpers.js';

let parallel: typeof Parallel;
let source: typeof Source;

beforeAll(async () => {
  ensureBuilt();
  parallel = (await import(pathToFileURL(path.join(repoRoot, 'dist', 'engine', 'parallel-parse.js')).href)) as typeof Parallel;
  source = (await import(pathToFileURL(path.join(repoRoot, 'dist', 'loader', 'source.js')).href)) as typeof Source;
}, 180_000);

function manifests(count: number): Source.SourceFile[] {
  const files: Source.SourceFile[] = [];
  for (let i = 0; i < count; i++) {
    const odd = [
      'spec:\n  weight: -0.0\n',
      'spec:\n  huge: 1.0e999\n',
      'a: 1\na: 2\n',
      'a: [b,\n',
      'x: &a [1]\ny: *a\n',
      `spec:\n  ports:\n    - port: ${i}\n      targetPort: http\n`,
    ][i % 6]!;
    files.push(
      new source.SourceFile(
        `f${i}.yaml`,
        `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\n${odd}---\nkind: ConfigMap\ndata: {k: "v${i}"}\n`,
      ),
    );
  }
  return files;
}

describe('parallel parse', () => {
  it('gives what one thread gives, file by file, and the worker takes part', async () => {
    const files = manifests(3000);
    const stats = { workerFiles: 0 };
    const both = await parallel.parseFiles(files, { minCharacters: 0, stats });
    const one = files.map(parallel.parseFile);
    expect(both).toHaveLength(one.length);
    both.forEach((result, i) => {
      const expected = one[i]!;
      if (!('documents' in expected) || !('documents' in result)) {
        expect(result).toEqual(expected);
        return;
      }
      expect(result.documents.map((d) => [d.file, d.index, d.value, d.problems, d.origin, d.locate(['spec'])])).toEqual(
        expected.documents.map((d) => [d.file, d.index, d.value, d.problems, d.origin, d.locate(['spec'])]),
      );
      // toEqual does not tell -0 from 0.
      const weight = (d: Parallel.FileParse) =>
        'documents' in d ? (d.documents[0]?.value as { spec?: { weight?: number } } | undefined)?.spec?.weight : undefined;
      expect(Object.is(weight(result), weight(expected))).toBe(true);
    });
    expect(stats.workerFiles).toBeGreaterThan(0);
  }, 120_000);

  it('stays on one thread for small inputs', async () => {
    const stats = { workerFiles: 0 };
    await parallel.parseFiles(manifests(10), { stats });
    expect(stats.workerFiles).toBe(0);
  });
});
