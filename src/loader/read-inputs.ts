import { lstat, stat } from 'node:fs/promises';
import path from 'node:path';
import type FastGlob from 'fast-glob';
import { decodeManifestBytes } from './decode.js';
import { partitionHelmChartSources } from './helm-chart.js';
import {
  describeUnreadableDirectory,
  MAX_FILE_BYTES,
  readdirRecordingFailures,
  readManifestBytes,
  tooLargeMessage,
  type UnreadableDirectory,
} from './read-file.js';
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
  /** Reads standard input; may stop after `maxBytes` bytes (the caller refuses more than that anyway). */
  readStdin: (maxBytes?: number) => Promise<Buffer>;
  /** `empty`: a glob that matches nothing adds nothing (cross-file context); default: a usage error. */
  unmatchedGlobs?: 'error' | 'empty';
  /** Called after each file is read (for a progress line). */
  onFileRead?: () => void;
}

export interface Inputs {
  files: SourceFile[];
  problems: InputProblem[];
  /** Helm chart templates and Chart.yaml files left out of directory scans (see helm-chart.ts). */
  helmChartSources?: number;
}

export const STDIN_PATH = '<stdin>';
const MANIFEST_GLOB = '**/*.{yaml,yml,json}';
const MANIFEST_EXTENSION = /\.(ya?ml|json)$/i;
const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**'];

/**
 * fast-glob and its matchers are a good part of start-up, and a run over named files (a pre-commit hook's) needs
 * none of them: loaded for the first directory or glob.
 */
export async function fastGlob(): Promise<typeof FastGlob> {
  return (await import('fast-glob')).default;
}

/**
 * The manifests below a directory. --ignore-pattern globs are relative to the working directory (as ESLint's),
 * so `kubewire k8s --ignore-pattern 'k8s/vendor/**'` skips k8s/vendor; node_modules and .git are skipped
 * below the named directory (naming one explicitly still reads it). A directory outside the working directory
 * takes the patterns relative to itself, the only reading they can have there.
 */
async function walkDirectory(
  directory: string,
  cwd: string,
  ignorePatterns: readonly string[],
  unreadable: UnreadableDirectory[] = [],
): Promise<string[]> {
  const fg = await fastGlob();
  const relative = path.relative(cwd, directory).split(path.sep).join('/');
  const outside = relative.startsWith('..') || path.isAbsolute(relative);
  const base = outside || relative === '' ? '' : `${fg.escapePath(relative)}/`;
  return fg(`${base}${MANIFEST_GLOB}`, {
    cwd: outside ? directory : cwd,
    absolute: true,
    onlyFiles: true,
    dot: false,
    // Symlinks found in a directory are neither followed nor read (no loops, and no `leak.yaml -> ~/.kube/config`
    // from a hostile pull request printed in code frames); a symlink named on the command line is read.
    followSymbolicLinks: false,
    suppressErrors: true,
    fs: { readdir: readdirRecordingFailures(unreadable) },
    ignore: [...ALWAYS_IGNORED.map((p) => `${base}${p}`), ...ignorePatterns],
  });
}

/** `k8s/*.tpl`: the last segment of a glob ends with a literal extension. */
function hasLiteralExtension(fg: typeof FastGlob, pattern: string): boolean {
  return /\.[A-Za-z0-9_-]+$/.test(pattern) && !fg.isDynamicPattern(pattern.slice(pattern.lastIndexOf('.')));
}

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
  /** Paths named on the command line (read whatever they are), as opposed to found in a directory. */
  const named = new Set<string>();
  let wantsStdin = false;
  let helmChartSources = 0;

  for (const operand of operands) {
    if (operand === '-') {
      wantsStdin = true;
      continue;
    }
    const absolute = path.resolve(cwd, operand);
    const info = await stat(absolute).catch(() => undefined);
    if (info?.isDirectory()) {
      const unreadable: UnreadableDirectory[] = [];
      const { manifests, chartSources } = partitionHelmChartSources(await walkDirectory(absolute, cwd, options.ignorePatterns, unreadable));
      absolutePaths.push(...manifests);
      helmChartSources += chartSources.length;
      for (const dir of unreadable) {
        // fast-glob looks into hidden directories too, but lists no file from them (dot: false): nothing lost there.
        if (
          path
            .relative(absolute, dir.path)
            .split(path.sep)
            .some((segment) => segment.startsWith('.'))
        )
          continue;
        problems.push({ path: displayPath(dir.path, cwd), message: describeUnreadableDirectory(dir.code) });
      }
    } else if (info || (await lstat(absolute).catch(() => undefined))) {
      // A symlink loop or a broken symlink exists but cannot be followed: reading it reports why.
      absolutePaths.push(absolute);
      named.add(path.normalize(absolute));
    } else if ((await fastGlob()).isDynamicPattern(operand)) {
      const fg = await fastGlob();
      const found = await fg(operand, { cwd, absolute: true, onlyFiles: true, followSymbolicLinks: false, suppressErrors: true, ignore });
      // `k8s/*` means the manifests in k8s/, not its README; `k8s/*.tpl` names its extension and gets it.
      const wanted = hasLiteralExtension(fg, operand) ? found : found.filter((p) => MANIFEST_EXTENSION.test(p));
      if (wanted.length === 0 && options.unmatchedGlobs !== 'empty') throw new UsageError(`no files match the pattern "${operand}"`);
      absolutePaths.push(...wanted);
    } else {
      throw new UsageError(`no such file or directory: ${operand}`);
    }
  }

  // One file named twice (`kubewire a.yaml .`) is read once; order is stable whatever the operand order.
  const unique = [...new Set(absolutePaths.map((p) => path.normalize(p)))].sort();
  for (const absolute of unique) {
    const shown = displayPath(absolute, cwd);
    try {
      const read = await readManifestBytes(absolute, !named.has(absolute));
      if ('skip' in read) continue;
      if ('problem' in read) {
        problems.push({ path: shown, message: read.problem });
        continue;
      }
      const decoded = decodeManifestBytes(read.bytes);
      if ('error' in decoded) problems.push({ path: shown, ...decoded.error });
      else files.push(new SourceFile(shown, decoded.text));
      options.onFileRead?.();
    } catch (error) {
      problems.push({ path: shown, message: describeReadError(error) });
    }
  }

  if (wantsStdin) {
    const bytes = await options.readStdin(MAX_FILE_BYTES + 1);
    if (bytes.length === 0) throw new UsageError('standard input is empty (did the command before the pipe fail?)');
    const decoded = bytes.length > MAX_FILE_BYTES ? { error: { message: tooLargeMessage(undefined) } } : decodeManifestBytes(bytes);
    if ('error' in decoded) problems.push({ path: STDIN_PATH, ...decoded.error });
    else files.push(new SourceFile(STDIN_PATH, decoded.text));
  }
  return { files, problems, helmChartSources };
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
