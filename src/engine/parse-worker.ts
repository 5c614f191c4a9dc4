import { parentPort } from 'node:worker_threads';
import { parseManifestFile } from '../loader/parse.js';
import { encodeParsedFile } from '../loader/parsed-file.js';
import { SourceFile } from '../loader/source.js';

/** The worker thread of parallel-parse.ts: its share of the files, taken batch by batch from a shared counter. */
export interface ParseRequest {
  counter: SharedArrayBuffer;
  /** Index of the first file of each batch, then the number of files. */
  batches: number[];
  files: { path: string; text: string }[];
}

/**
 * One batch back: per file its documents as JSON, the parser's error, or null when the file has a value JSON
 * cannot carry (the main thread parses it again). `done` when no batch is left.
 */
export type ParseResponse = { done: true } | { done?: false; batch: number; files: (string | { error: string } | null)[] };

parentPort?.once('message', ({ counter, batches, files }: ParseRequest) => {
  const next = new Int32Array(counter);
  for (let batch = Atomics.add(next, 0, 1); batch < batches.length - 1; batch = Atomics.add(next, 0, 1)) {
    const out: (string | { error: string } | null)[] = [];
    for (let i = batches[batch]!; i < batches[batch + 1]!; i++) {
      const { path, text } = files[i]!;
      try {
        out.push(encodeParsedFile(parseManifestFile(new SourceFile(path, text))) ?? null);
      } catch (error) {
        out.push({ error: (error as Error).message });
      }
    }
    parentPort!.postMessage({ batch, files: out } satisfies ParseResponse);
  }
  parentPort!.postMessage({ done: true } satisfies ParseResponse);
});
