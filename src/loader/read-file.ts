import fs from 'node:fs';
import { lstat, open } from 'node:fs/promises';

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
 *
 * Regular files are read with synchronous calls, as ESLint and tsc read theirs: each asynchronous call is a
 * round trip through libuv's thread pool, and six of them per file (stat, open, fstat, read, read, close) made
 * reading 3,782 small files take 3.4 s where the same reads done synchronously take 60 ms (scripts/bench).
 * Only pipes and devices named on the command line, which may wait for a writer, are read asynchronously.
 */
export async function readManifestBytes(absolute: string, scanned: boolean): Promise<ReadOutcome> {
  if (!scanned && !statOrUndefined(absolute)?.isFile()) return readSpecialFile(absolute);
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO found in a scan returns at once instead of waiting for a writer (it is then
    // skipped by its fstat); on regular files the flag changes nothing. Windows has no such flag, nor FIFOs.
    fd = fs.openSync(absolute, fs.constants.O_RDONLY | (scanned ? (fs.constants.O_NONBLOCK ?? 0) : 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && (await isSymlink(absolute))) {
      return { problem: 'broken symbolic link: its target does not exist' };
    }
    throw error;
  }
  try {
    const info = fs.fstatSync(fd);
    if (info.isDirectory()) return scanned ? { skip: true } : { problem: 'is a directory, not a file' };
    if (!info.isFile()) return { skip: true };
    if (info.size > MAX_FILE_BYTES) return { problem: tooLargeMessage(info.size) };
    // One byte more than the size: a file that grew after fstat fills it, and is read on to the limit.
    let buffer = Buffer.allocUnsafe(info.size + 1);
    let total = 0;
    for (;;) {
      if (total === buffer.length) {
        if (total > MAX_FILE_BYTES) return { problem: tooLargeMessage(undefined) };
        const bigger = Buffer.allocUnsafe(Math.min(buffer.length * 2, MAX_FILE_BYTES + 1));
        buffer.copy(bigger, 0, 0, total);
        buffer = bigger;
      }
      const bytesRead = fs.readSync(fd, buffer, total, buffer.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    return { bytes: buffer.subarray(0, total) };
  } finally {
    fs.closeSync(fd);
  }
}

function statOrUndefined(absolute: string): fs.Stats | undefined {
  try {
    return fs.statSync(absolute);
  } catch {
    return undefined;
  }
}

/** A path named on the command line that is not a regular file: a pipe, a device, a directory, or not there. */
async function readSpecialFile(absolute: string): Promise<ReadOutcome> {
  let handle;
  try {
    handle = await open(absolute, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && (await isSymlink(absolute))) {
      return { problem: 'broken symbolic link: its target does not exist' };
    }
    throw error;
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return { problem: 'is a directory, not a file' };
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
