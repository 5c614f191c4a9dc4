import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { tryParseManifestFile, type FileParse, type ManifestDocument } from '../loader/parse.js';
import { decodeParsedFile, encodeParsedFile } from '../loader/parsed-file.js';
import type { SourceFile } from '../loader/source.js';
import { VERSION } from '../version.js';

// node:crypto is loaded when a run asks for the cache, not at every start-up (as in reporters/sarif.ts).
const require = createRequire(import.meta.url);
const createHash = (algorithm: string) => (require('node:crypto') as typeof import('node:crypto')).createHash(algorithm);

/**
 * `--cache`: each file's parse result (values, problems, where each document is), from one run to the next,
 * keyed by the file's path and a hash of its text. Only parsing is cached: the graph and every rule run again
 * on all files, so a finding that depends on another file is always current, and the output is the same as
 * without the cache. Nothing but the text changes a parse result (not the namespace, the rules or the
 * Kubernetes version), so the cache is valid for any options, and for one kubewire version (and build) and format.
 *
 * The file is ours alone: a first line that names the format and the version, then one line per file
 * (`path`, tab, hash, tab, the parse as JSON). A cache of another version or format, a corrupt one, or a line
 * that does not read back is ignored (the files are parsed again); the cache is written to a temporary file
 * and renamed over the old one, so a run that is interrupted never leaves half a cache.
 */
const FORMAT = 'kubewire-parse-cache 1';
/** The first line of a cache file: worked out on first use (the digest reads the loader's files), not at start-up. */
let ourHeader: string | undefined;
const cacheHeader = (): string => (ourHeader ??= `${JSON.stringify({ format: FORMAT, version: VERSION, loader: loaderDigest() })}\n`);

/**
 * A digest of the loader's code beside this module, so that a build of kubewire that parses differently under
 * the same version (a checkout between releases) does not read another build's cache. Empty in a bundle.
 */
function loaderDigest(): string {
  try {
    const dir = fileURLToPath(new URL('../loader/', import.meta.url));
    const hash = createHash('sha1');
    for (const name of readdirSync(dir).sort()) if (/\.[jt]s$/.test(name)) hash.update(name).update(readFileSync(path.join(dir, name)));
    return hash.digest('hex').slice(0, 16);
  } catch {
    return '';
  }
}

/** ESLint's default name, for the same place: the working directory. */
export const DEFAULT_CACHE_LOCATION = '.kubewirecache';

/**
 * The cache file for `--cache-location` (default `.kubewirecache` in the working directory). As ESLint's: a
 * directory (an existing one, or a path ending with a separator) gets a file named after the working directory
 * in it, so several projects can share one cache folder.
 */
export function cacheFileFor(location: string | undefined, cwd: string): string {
  const given = location ?? DEFAULT_CACHE_LOCATION;
  const resolved = path.resolve(cwd, given);
  const isDirectory = /[\\/]$/.test(given) || (existsSync(resolved) && statSync(resolved).isDirectory());
  return isDirectory ? path.join(resolved, `.cache_${createHash('sha1').update(cwd).digest('hex').slice(0, 12)}`) : resolved;
}

interface Entry {
  hash: string;
  /** The parse as parsed-file.ts encodes it, decoded only when the file is linted again. */
  json: string;
}

export class ParseCache {
  readonly #file: string;
  readonly #cwd: string;
  readonly #previous: Map<string, Entry>;
  readonly #current = new Map<string, Entry>();
  /** False when the location holds something that is not a kubewire cache: it is neither read nor replaced. */
  readonly #ours: boolean;

  private constructor(file: string, cwd: string, previous: Map<string, Entry>, ours: boolean) {
    this.#file = file;
    this.#cwd = cwd;
    this.#previous = previous;
    this.#ours = ours;
  }

  /** The cache at `file`; empty when there is none or it cannot be used. Never throws. */
  static load(file: string, cwd: string): ParseCache {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return new ParseCache(file, cwd, new Map(), !existsSync(file) || isEmptyFile(file));
    }
    if (text === '') return new ParseCache(file, cwd, new Map(), true);
    const firstLine = text.slice(0, text.indexOf('\n') + 1);
    let header: { format?: unknown } | undefined;
    try {
      header = JSON.parse(firstLine) as { format?: unknown };
    } catch {
      header = undefined;
    }
    if (typeof header?.format !== 'string' || !header.format.startsWith('kubewire-parse-cache'))
      return new ParseCache(file, cwd, new Map(), false);
    // Another version or format: ours to replace, not to read.
    if (firstLine !== cacheHeader()) return new ParseCache(file, cwd, new Map(), true);
    const entries = new Map<string, Entry>();
    for (let start = firstLine.length; start < text.length;) {
      const end = text.indexOf('\n', start);
      const line = text.slice(start, end < 0 ? text.length : end);
      start = end < 0 ? text.length : end + 1;
      const tab1 = line.indexOf('\t');
      const tab2 = line.indexOf('\t', tab1 + 1);
      if (tab1 < 0 || tab2 < 0) continue;
      try {
        entries.set(JSON.parse(line.slice(0, tab1)) as string, { hash: line.slice(tab1 + 1, tab2), json: line.slice(tab2 + 1) });
      } catch {
        // A damaged line: that file is parsed again.
      }
    }
    return new ParseCache(file, cwd, entries, true);
  }

  /** The documents of a file parsed by an earlier run with the same text, or undefined. */
  lookup(file: SourceFile): ManifestDocument[] | undefined {
    const entry = this.#previous.get(file.path);
    if (!entry || entry.hash !== hashOf(file.text)) return undefined;
    try {
      const documents = decodeParsedFile(file, entry.json);
      if (!documents.every((d) => fitsText(d, file.text.length))) return undefined;
      this.#current.set(file.path, entry);
      return documents;
    } catch {
      return undefined;
    }
  }

  store(file: SourceFile, documents: readonly ManifestDocument[]): void {
    const json = encodeParsedFile(documents);
    if (json !== undefined) this.#current.set(file.path, { hash: hashOf(file.text), json });
  }

  /**
   * Writes the files of this run, and those of earlier runs that still exist (a run over part of the tree
   * keeps the rest), atomically. A cache that cannot be written only costs the next run its speed-up.
   */
  save(): void {
    if (!this.#ours) return;
    const lines = [cacheHeader()];
    const add = (name: string, entry: Entry) => lines.push(`${JSON.stringify(name)}\t${entry.hash}\t${entry.json}\n`);
    for (const [name, entry] of this.#current) add(name, entry);
    for (const [name, entry] of this.#previous) {
      if (!this.#current.has(name) && name !== '<stdin>' && existsSync(path.resolve(this.#cwd, name))) add(name, entry);
    }
    const temporary = `${this.#file}.${process.pid}.tmp`;
    try {
      mkdirSync(path.dirname(this.#file), { recursive: true });
      writeFileSync(temporary, lines.join(''));
      renameSync(temporary, this.#file);
    } catch {
      rmSync(temporary, { force: true });
    }
  }
}

function hashOf(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

function isEmptyFile(file: string): boolean {
  try {
    return statSync(file).size === 0;
  } catch {
    return false;
  }
}

/** A decoded document whose shape and positions fit the file: anything else means the entry is damaged. */
function fitsText(document: ManifestDocument, length: number): boolean {
  const { piece, inPiece } = document.origin ?? {};
  return (
    Array.isArray(document.problems) &&
    document.problems.every((p) => typeof p?.message === 'string' && typeof p.range?.line === 'number' && Array.isArray(p.related)) &&
    Number.isInteger(inPiece) &&
    Number.isInteger(piece?.start) &&
    Number.isInteger(piece?.end) &&
    piece.start >= 0 &&
    piece.start <= piece.end &&
    piece.end <= length
  );
}

/**
 * The parse of a run's files, in order: each file on its own, or, with `cache` (`--cache`), the files whose text
 * has not changed since the last run taken from the cache file and the others parsed and stored in it.
 */
export function parseFiles(files: readonly SourceFile[], cache?: { file: string; cwd: string }): FileParse[] {
  if (!cache) return files.map(tryParseManifestFile);
  return parseFilesWithCache(files, cache.file, cache.cwd);
}

function parseFilesWithCache(files: readonly SourceFile[], cacheFile: string, cwd: string): FileParse[] {
  const cache = ParseCache.load(cacheFile, cwd);
  const results: (FileParse | undefined)[] = files.map((file) => {
    const documents = cache.lookup(file);
    return documents ? { documents } : undefined;
  });
  const missing = files.filter((_, i) => !results[i]);
  const parsed = missing.map(tryParseManifestFile);
  let next = 0;
  const all = results.map((result, i) => {
    if (result) return result;
    const fresh = parsed[next++]!;
    if ('documents' in fresh) cache.store(files[i]!, fresh.documents);
    return fresh;
  });
  cache.save();
  return all;
}
