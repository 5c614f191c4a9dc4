import { createHash } from 'node:crypto';
import fg from 'fast-glob';
import { findRepositoryRoot } from '../../engine/context.js';

/**
 * What ESLint's `--cache` must see change when any manifest of the repository changes: the path, modification
 * time and size of each `*.yaml`, `*.yml` and `*.json` file of the repository `cwd` is in, hashed. ESLint reuses
 * a cached result only while the file's text and its configuration (settings included, lib/cli-engine/
 * lint-result-cache.js hashes the whole config) are unchanged; with this in the settings, a Deployment that
 * changes its labels relints the Service of another file too, instead of leaving its cached verdict. Undefined
 * outside a repository.
 */
export function manifestsFingerprint(cwd: string): string | undefined {
  const root = findRepositoryRoot(cwd);
  if (!root) return undefined;
  const entries = fg.sync('**/*.{yaml,yml,json}', {
    cwd: root,
    // As the loader scans (src/loader/read-inputs.ts): hidden folders are not part of the context.
    dot: false,
    ignore: ['**/node_modules/**', '**/.git/**'],
    stats: true,
    followSymbolicLinks: false,
    suppressErrors: true,
  });
  const hash = createHash('sha256');
  for (const entry of entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    hash.update(`${entry.path}\u0000${entry.stats?.mtimeMs ?? 0}\u0000${entry.stats?.size ?? 0}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}
