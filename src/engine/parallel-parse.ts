import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseManifestFile, type ManifestDocument } from '../loader/parse.js';
import { decodeParsedFile } from '../loader/parsed-file.js';
import type { SourceFile } from '../loader/source.js';
import type { ParseRequest, ParseResponse } from './parse-worker.js';

/** A file's documents, or why the parser gave up on it. */
export type FileParse = { documents: ManifestDocument[] } | { error: string };

/**
 * Below this much YAML one thread is as fast: the worker (a second V8 loading the `yaml` package) takes tens of
 * milliseconds to start on an idle machine, while this thread parses about 2 MiB a second; the main thread
 * never waits for a worker that has not started (see below), so the threshold only spares the thread's cost.
 */
export const PARALLEL_MIN_CHARACTERS = 1024 * 1024;

// worker_threads is loaded for a big input only: a one-file run (a pre-commit hook's) never starts a worker.
const require = createRequire(import.meta.url);

/** Files are handed out in batches of about this much text, so either thread can take the next one. */
const BATCH_CHARACTERS = 256 * 1024;

export interface ParallelOptions {
  /** Parse on one thread below this many characters (default PARALLEL_MIN_CHARACTERS). */
  minCharacters?: number;
  /** Filled in as the worker sends files back. */
  stats?: { workerFiles: number };
}

export function parseFile(file: SourceFile): FileParse {
  try {
    return { documents: parseManifestFile(file) };
  } catch (error) {
    // The parser itself gave up (e.g. nesting too deep for the stack): the file is reported, the rest goes on.
    return { error: (error as Error).message };
  }
}

/**
 * Parses the files on this thread and, when the input is big enough and there is a second core, on one worker
 * thread at the same time: both take the next batch of files from a shared counter, so neither waits for the
 * other, and the worker sends each file back as JSON (parsed-file.ts). The result is the same as parsing every
 * file here, in the same order; if the worker cannot start or fails, this thread parses what is left.
 */
export async function parseFiles(files: readonly SourceFile[], options: ParallelOptions = {}): Promise<FileParse[]> {
  const size = files.reduce((sum, file) => sum + file.text.length, 0);
  const workerFile = fileURLToPath(new URL('./parse-worker.js', import.meta.url));
  // From the TypeScript sources (tests) or a bundle without the worker file there is no worker to start.
  if (size < (options.minCharacters ?? PARALLEL_MIN_CHARACTERS) || availableParallelism() < 2 || !existsSync(workerFile))
    return files.map(parseFile);

  const batches: number[] = [0];
  let inBatch = 0;
  files.forEach((file, i) => {
    inBatch += file.text.length;
    if (inBatch >= BATCH_CHARACTERS && i + 1 < files.length) {
      batches.push(i + 1);
      inBatch = 0;
    }
  });
  batches.push(files.length);
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const results = new Array<FileParse | undefined>(files.length);

  const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
  const worker = new Worker(workerFile);
  const finished = new Promise<void>((resolve) => {
    worker.on('message', (message: ParseResponse) => {
      if (message.done) {
        resolve();
        return;
      }
      if (options.stats) options.stats.workerFiles += message.files.length;
      message.files.forEach((encoded, k) => {
        const i = batches[message.batch]! + k;
        const file = files[i]!;
        results[i] = typeof encoded === 'string' ? { documents: decodeParsedFile(file, encoded) } : encoded ? encoded : parseFile(file);
      });
    });
    worker.on('error', () => resolve());
    worker.on('exit', () => resolve());
  });
  worker.postMessage({
    counter: counter.buffer,
    batches,
    files: files.map((f) => ({ path: f.path, text: f.text })),
  } satisfies ParseRequest);

  let claims = 0;
  for (let batch = Atomics.add(counter, 0, 1); batch < batches.length - 1; batch = Atomics.add(counter, 0, 1)) {
    claims++;
    for (let i = batches[batch]!; i < batches[batch + 1]!; i++) results[i] = parseFile(files[i]!);
  }
  // Close the counter: if the worker has not taken a batch yet (it was still starting), it never will, and
  // there is nothing to wait for.
  const taken = Atomics.exchange(counter, 0, batches.length) - claims - 1;
  if (taken > 0) await finished;
  await worker.terminate();
  // Anything the worker took and did not send back (it failed): parse it here.
  return results.map((result, i) => result ?? parseFile(files[i]!));
}
