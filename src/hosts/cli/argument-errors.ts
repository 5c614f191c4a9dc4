import { statSync } from 'node:fs';
import path from 'node:path';
import { nearestName } from '../../model/evidence/nearest-name.js';
import { UsageError } from '../../loader/read-inputs.js';

/** ESLint options kubewire has no use for, with what to do instead. */
const FOREIGN_OPTIONS: Readonly<Record<string, string>> = {
  '--fix': 'kubewire does not change manifests; each finding says what to change',
  '--fix-dry-run': 'kubewire does not change manifests; each finding says what to change',
  '--fix-type': 'kubewire does not change manifests; each finding says what to change',
  '--ext': 'directories are searched for *.yaml, *.yml and *.json; name other files or globs directly',
  '--cache': 'kubewire keeps no cache',
  '--stdin': 'read standard input with - (helm template . | kubewire -)',
};

/**
 * Node's parseArgs errors in kubewire's words: the option, what is wrong, and what exists instead. `options`
 * are the long names kubewire takes.
 */
export function argumentError(error: unknown, options: readonly string[]): UsageError {
  const code = (error as NodeJS.ErrnoException).code;
  const text = (error as Error).message ?? String(error);
  const option = /'(?:-\w, )?(--?[^' ]+)/.exec(text)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    const foreign = FOREIGN_OPTIONS[option];
    if (foreign) return new UsageError(`unknown option ${option}: ${foreign}`);
    const near = option.startsWith('--') ? nearestName(option.slice(2), options) : undefined;
    return new UsageError(`unknown option ${option}${near ? ` (did you mean --${near}?)` : ''}`);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    if (/does not take an argument/.test(text)) return new UsageError(`${option} takes no value`);
    if (/ambiguous/.test(text)) return new UsageError(`${option} needs a value; to give one that starts with "-", write ${option}=<value>`);
    return new UsageError(`${option} needs a value`);
  }
  return new UsageError(text.split('\n')[0]!.replace(/\.$/, ''));
}

/**
 * Why a report could not be written to `file` (-o), in words: a missing folder is created, so what is left is a
 * folder that cannot be (a file in the way), a read-only place, permissions, a directory named as the file.
 * `absolute` is the file resolved against the working directory.
 */
export function writeError(error: unknown, file: string, absolute: string): Error {
  // Renaming onto a directory fails with EISDIR, EBUSY or EEXIST depending on the directory: say what it is.
  const code = isDirectory(absolute) ? 'EISDIR' : (error as NodeJS.ErrnoException).code;
  const folder = path.dirname(file) || '.';
  const why: Record<string, string> = {
    EACCES: `permission denied: this user may not write to ${folder}`,
    EPERM: `permission denied: this user may not write to ${folder}`,
    EROFS: `${folder} is on a read-only file system`,
    EISDIR: `${file} is a directory; name a file in it, e.g. ${path.join(file, 'kubewire-report.txt')}`,
    ENOTDIR: `a part of ${folder} is a file, not a folder`,
    // mkdir -p meets a file where a folder should be.
    EEXIST: `a part of ${folder} is a file, not a folder`,
    ENOENT: `${folder} does not exist and cannot be created there`,
    ENOSPC: 'no space left on the device',
    EDQUOT: 'the disk quota is exhausted',
    ENAMETOOLONG: 'the file name is too long',
  };
  return new Error(`cannot write the report to ${file}: ${(code && why[code]) ?? code ?? (error as Error).message}`);
}

/**
 * `--max-warnings -1` as ESLint reads it (-1, its default, is no limit): Node's parseArgs would take `-1` for an
 * option of its own, so a negative number after --max-warnings is joined to it first.
 */
export function joinNegativeValues(argv: readonly string[], option: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1];
    if (argv[i] === option && next !== undefined && /^-\d+$/.test(next)) {
      out.push(`${option}=${next}`);
      i++;
    } else {
      out.push(argv[i]!);
    }
  }
  return out;
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}
