/** Temporary git repositories for the hook tests: a consumer repository, and a committed copy of this checkout. */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers.js';

const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: 'kubewire tests',
  GIT_AUTHOR_EMAIL: 'tests@kubewire.invalid',
  GIT_COMMITTER_NAME: 'kubewire tests',
  GIT_COMMITTER_EMAIL: 'tests@kubewire.invalid',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_IDENTITY } });
}

/** A new repository at `dir` with these files committed. */
export function commitFiles(dir: string, files: Readonly<Record<string, string>>, message = 'manifests'): void {
  if (!existsSync(path.join(dir, '.git'))) {
    mkdirSync(dir, { recursive: true });
    git(dir, 'init', '--quiet');
  }
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  git(dir, 'add', '--all');
  git(dir, 'commit', '--quiet', '--allow-empty', '-m', message);
}

/**
 * This checkout as its working tree is (tracked and new files, not the ignored ones), committed in a clone at
 * `dir`: pre-commit installs a hook repository from a commit, and the test must install what is being tested.
 */
export function committedCopyOfCheckout(dir: string): string {
  git(path.dirname(dir), 'clone', '--quiet', '--no-hardlinks', repoRoot, dir);
  const listed = git(repoRoot, 'ls-files', '-z', '--cached', '--others', '--exclude-standard').split('\0').filter(Boolean);
  for (const file of listed) {
    const from = path.join(repoRoot, file);
    const to = path.join(dir, file);
    if (!existsSync(from)) {
      git(dir, 'rm', '--quiet', '--ignore-unmatch', '--', file);
      continue;
    }
    mkdirSync(path.dirname(to), { recursive: true });
    copyFileSync(from, to);
  }
  git(dir, 'add', '--all');
  git(dir, 'commit', '--quiet', '--allow-empty', '-m', 'the working tree under test');
  return git(dir, 'rev-parse', 'HEAD').trim();
}
