import fs from 'node:fs';
import { lstat, open, stat } from 'node:fs/promises';

/**
 * Largest input kubewire reads, per file and for standard input. Parsing a document the fast path does not read
 * (parse.ts) builds its whole syntax tree while it runs, about 40 bytes of memory per byte of YAML, and reads
 * about 2 MB/s: a 16 MiB document is some 650 MB and 8 s, within Node's default heap. Real manifests are far smaller (the API server refuses a
 * request over 3 MiB, and the largest rendered charts with all their CRDs are a few MiB); a bigger file is a
 * data dump, a log or an attack, and is reported instead of exhausting the machine.
 */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

export type ReadOutcome =
  | { bytes: Buffer }
  /** Not a manifest file and not worth a message (a symlink to a directory, a FIFO found while scanning). */
  | { skip: true }
  /** Cannot be linted; the message says why. */
  | { problem: string };

export function tooLargeMessage(size: number | undefined): string {
  const shown = size === undefined ? `more than ${megabytes(MAX_FILE_BYTES)}` : megabytes(size);
  return `the file is too large (${shown}; kubewire reads at most ${megabytes(MAX_FILE_BYTES)} per file), so it is not linted`;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/**
 * Reads one input, never more than MAX_FILE_BYTES + 1 bytes of it. `scanned` is true for files found in a
 * directory: there symlinks to directories and special files (FIFOs, sockets, devices) are skipped, since
 * reading a FIFO would block for ever; a path named on the command line is read whatever it is
 * (`kubewire <(helm template .)` passes a pipe). Errors from the file system (ENOENT, ELOOP, EACCES) are thrown.
 */
export async function readManifestBytes(absolute: string, scanned: boolean): Promise<ReadOutcome> {
  let handle;
  try {
    if (scanned) {
      // Look before opening: opening a FIFO blocks until something writes to it.
      const info = await stat(absolute);
      if (!info.isFile()) return { skip: true };
    }
    handle = await open(absolute, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && (await isSymlink(absolute))) {
      return { problem: 'broken symbolic link: its target does not exist' };
    }
    throw error;
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return scanned ? { skip: true } : { problem: 'is a directory, not a file' };
    if (!info.isFile() && scanned) return { skip: true };
    if (info.isFile() && info.size > MAX_FILE_BYTES) return { problem: tooLargeMessage(info.size) };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, MAX_FILE_BYTES + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      // The file grew after stat, or it is a pipe or device: stop at the limit rather than read for ever.
      if (total > MAX_FILE_BYTES) return { problem: tooLargeMessage(undefined) };
    }
    return { bytes: Buffer.concat(chunks, total) };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function isSymlink(absolute: string): Promise<boolean> {
  return lstat(absolute).then(
    (info) => info.isSymbolicLink(),
    () => false,
  );
}

/**
 * A directory listing fast-glob could not read (permission denied): fast-glob skips it silently, so we watch its
 * readdir calls and report the directory instead of losing its manifests without a word.
 */
export interface UnreadableDirectory {
  path: string;
  code: string;
}

export function readdirRecordingFailures(unreadable: UnreadableDirectory[]): typeof fs.readdir {
  const readdir = (directory: string, ...rest: unknown[]) => {
    const callback = rest.pop() as (error: NodeJS.ErrnoException | null, entries?: unknown) => void;
    (fs.readdir as (...args: unknown[]) => void)(directory, ...rest, (error: NodeJS.ErrnoException | null, entries?: unknown) => {
      // ENOENT: removed while scanning, nothing was in it to lose.
      if (error && error.code !== 'ENOENT') unreadable.push({ path: directory, code: error.code ?? error.message });
      callback(error, entries);
    });
  };
  return readdir as unknown as typeof fs.readdir;
}

export function describeUnreadableDirectory(code: string): string {
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code;
  return `cannot read the directory (${why}), so the manifests in it are not linted`;
}
