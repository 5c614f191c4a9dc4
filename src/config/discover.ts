import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { displayPath } from '../loader/read-inputs.js';
import { ConfigError } from './load.js';

/** The names kubewire looks for, in each folder from the working directory up. */
export const CONFIG_FILE_NAMES = ['kubewire.config.yaml', '.kubewire.yaml', 'kubewire.config.json'] as const;

/**
 * The config file that applies to a run started in `from`: the first folder, from `from` upward, that holds one
 * of CONFIG_FILE_NAMES. The search stops at the repository root (the folder with `.git`, a directory or, in a
 * worktree or submodule, a file), so a checkout never picks up a file of the machine it runs on; outside any
 * repository it goes up to the filesystem root, as ESLint looks for its config file. Two config files in one
 * folder are a mistake, not a choice: kubewire refuses to guess which one is meant.
 */
export function findConfigFile(from: string, cwd: string = from): string | undefined {
  let folder = path.resolve(from);
  for (;;) {
    const found = CONFIG_FILE_NAMES.filter((name) => isFile(path.join(folder, name)));
    if (found.length > 1) {
      const shown = found.map((name) => displayPath(path.join(folder, name), cwd));
      throw new ConfigError([
        {
          file: shown[0]!,
          message: `${shown.slice(1).join(' and ')} ${found.length === 2 ? 'is' : 'are'} in the same folder: keep one config file`,
        },
      ]);
    }
    if (found[0]) return path.join(folder, found[0]);
    if (existsSync(path.join(folder, '.git'))) return undefined;
    const parent = path.dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
