#!/usr/bin/env node
// `npm run fuzz`: the properties of test/fuzz.test.ts, run much longer with a fresh seed (printed, to replay a
// failure with FUZZ_SEED=<seed>). FUZZ_RUNS sets the number of cases per property (default 5000).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const seed = process.env.FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
const runs = process.env.FUZZ_RUNS ?? '5000';
console.log(`fuzz: FUZZ_SEED=${seed} FUZZ_RUNS=${runs}`);
const run = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/fuzz.test.ts', ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FUZZ_SEED: seed, FUZZ_RUNS: runs },
  },
);
if (run.status !== 0) console.log(`fuzz failed: replay with FUZZ_SEED=${seed} FUZZ_RUNS=${runs} FUZZ_DEBUG=1 npm run fuzz`);
process.exit(run.status ?? 1);
