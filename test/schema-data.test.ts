/** schemas/kubernetes.json is generated from ../shared/kubernetes-schemas by scripts/gen-schemas.mjs. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'vitest';
import { repoRoot } from './helpers.js';

describe('Kubernetes schema data', () => {
  it('schemas/kubernetes.json is generated and up to date (npm run gen:schemas)', () => {
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'gen-schemas.mjs'), '--check'], { stdio: 'pipe' });
  });
});
