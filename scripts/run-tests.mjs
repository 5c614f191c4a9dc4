#!/usr/bin/env node
// Runs the vitest suite and ends with one plain line, `tests: N passed, N failed`, that CI systems read.
//
// Snapshots are checked, never written: vitest runs in its CI snapshot mode (`CI=true`, snapshot update
// "none"), so a missing snapshot fails like a changed one, and this script also fails the run on obsolete
// snapshots (vitest 3 only warns about those) and on `__snapshots__/*.snap` files whose test file is gone.
// To write new or changed snapshots and delete obsolete ones, run with `-u` (`npm test -- -u`, or
// `node scripts/run-tests.mjs -u test/corpus.test.ts`) and read the diff before committing it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const report = join(root, '.tmp', 'vitest-report.json');
mkdirSync(dirname(report), { recursive: true });
rmSync(report, { force: true });
const args = process.argv.slice(2);
const updating = args.some((a) => a === '-u' || a === '--update' || a.startsWith('--update='));
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const run = spawnSync(
  process.execPath,
  [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args],
  // vitest 3 decides its snapshot mode from `CI` (std-env's isCI) and has no flag for "check only".
  { cwd: root, stdio: 'inherit', env: updating ? process.env : { ...process.env, CI: 'true' } },
);

/** Why the run fails beyond failed tests, one line each. */
const problems = [];
let passed = 0;
let failed = 0;
try {
  const data = JSON.parse(readFileSync(report, 'utf8'));
  passed = data.numPassedTests ?? 0;
  failed = (data.numFailedTests ?? 0) + (data.numRuntimeErrorTestSuites ?? 0);
  const snapshot = data.snapshot ?? {};
  if (!updating) {
    for (const { filePath, keys } of snapshot.uncheckedKeysByFile ?? []) {
      problems.push(`obsolete snapshot(s) of ${relative(root, filePath)}: ${keys.join(', ')}`);
    }
    if ((snapshot.unmatched ?? 0) > 0 || (snapshot.filesUnmatched ?? 0) > 0) {
      problems.push(`${Math.max(snapshot.unmatched ?? 0, 1)} snapshot(s) missing or different (snapshots are checked, not written)`);
    }
  }
} catch {
  failed = Math.max(failed, 1);
}

// A .snap file belongs to the test file beside its __snapshots__ folder; vitest never notices one left behind.
function orphanSnapshots(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (!entry.isDirectory() || entry.name === 'node_modules') continue;
    if (entry.name !== '__snapshots__') {
      out.push(...orphanSnapshots(full));
      continue;
    }
    for (const snap of readdirSync(full)) {
      if (snap.endsWith('.snap') && !existsSync(join(dir, snap.slice(0, -'.snap'.length)))) out.push(relative(root, join(full, snap)));
    }
  }
  return out;
}
for (const orphan of orphanSnapshots(join(root, 'test'))) {
  if (updating) {
    rmSync(join(root, orphan));
    console.log(`snapshots: removed ${orphan} (its test file is gone)`);
  } else {
    problems.push(`obsolete snapshot file ${orphan}: its test file is gone`);
  }
}

for (const problem of problems) console.log(`snapshots: ${problem}`);
if (problems.length > 0)
  console.log('snapshots: to write or delete snapshots, run `npm test -- -u` and read the diff before committing it');
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && failed === 0 && passed > 0 && problems.length === 0 ? 0 : 1);
