import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { decodeManifestBytes } from './decode.js';
import { SourceFile } from './source.js';

/** A file that could not be read or decoded: reported against the file, the run goes on. */
export interface InputProblem {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/** A problem with the command line itself (a path that does not exist): the run stops with exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ReadInputsOptions {
  cwd: string;
  ignorePatterns: readonly string[];
  readStdin: () => Promise<Buffer>;
}

export interface Inputs {
  files: SourceFile[];
  problems: InputProblem[];
}

export const STDIN_PATH = '<stdin>';
const MANIFEST_GLOB = '**/*.{yaml,yml,json}';
const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**'];

/** Shown path: relative to the working directory when below it, with forward slashes on every platform. */
export function displayPath(absolute: string, cwd: string): string {
  const relative = path.relative(cwd, absolute);
  const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absolute;
  return shown.split(path.sep).join('/');
}

/**
 * Resolves the command-line operands to files and reads them. Operands are files (read whatever their
 * extension), directories (searched for *.yaml, *.yml, *.json), globs, or `-` for standard input.
 */
export async function readInputs(operands: readonly string[], options: ReadInputsOptions): Promise<Inputs> {
  const { cwd } = options;
  const ignore = [...ALWAYS_IGNORED, ...options.ignorePatterns];
  const absolutePaths: string[] = [];
  const files: SourceFile[] = [];
  const problems: InputProblem[] = [];
  let wantsStdin = false;

  for (const operand of operands) {
    if (operand === '-') {
      wantsStdin = true;
      continue;
    }
    const absolute = path.resolve(cwd, operand);
    const info = await stat(absolute).catch(() => undefined);
    if (info?.isDirectory()) {
      const found = await fg(MANIFEST_GLOB, {
        cwd: absolute,
        absolute: true,
        onlyFiles: true,
        dot: false,
        followSymbolicLinks: false,
        suppressErrors: true,
        ignore,
      });
      absolutePaths.push(...found);
    } else if (info) {
      absolutePaths.push(absolute);
    } else if (fg.isDynamicPattern(operand)) {
      const found = await fg(operand, { cwd, absolute: true, onlyFiles: true, followSymbolicLinks: false, suppressErrors: true, ignore });
      if (found.length === 0) throw new UsageError(`no files match the pattern "${operand}"`);
      absolutePaths.push(...found);
    } else {
      throw new UsageError(`no such file or directory: ${operand}`);
    }
  }

  // One file named twice (`kubewire a.yaml .`) is read once; order is stable whatever the operand order.
  const unique = [...new Set(absolutePaths.map((p) => path.normalize(p)))].sort();
  for (const absolute of unique) {
    const shown = displayPath(absolute, cwd);
    try {
      const bytes = await readFile(absolute);
      const decoded = decodeManifestBytes(bytes);
      if ('error' in decoded) problems.push({ path: shown, ...decoded.error });
      else files.push(new SourceFile(shown, decoded.text));
    } catch (error) {
      problems.push({ path: shown, message: describeReadError(error) });
    }
  }

  if (wantsStdin) {
    const bytes = await options.readStdin();
    if (bytes.length === 0) throw new UsageError('standard input is empty (did the command before the pipe fail?)');
    const decoded = decodeManifestBytes(bytes);
    if ('error' in decoded) problems.push({ path: STDIN_PATH, ...decoded.error });
    else files.push(new SourceFile(STDIN_PATH, decoded.text));
  }
  return { files, problems };
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'cannot read the file: permission denied';
    case 'ENOENT':
      return 'the file disappeared while kubewire was reading the inputs';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'ELOOP':
      return 'cannot read the file: too many levels of symbolic links';
    default:
      return `cannot read the file: ${code ?? (error as Error).message}`;
  }
}
