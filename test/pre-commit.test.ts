/**
 * The pre-commit hook (.pre-commit-hooks.yaml) run by the real pre-commit: `pre-commit try-repo` installs this
 * checkout as pre-commit installs any `language: node` hook (npm install, npm pack, npm install -g of the tarball,
 * pre_commit/languages/node.py), then runs it on a consumer repository's changed file, with the unchanged files
 * as context. Each try-repo installs afresh (it keeps its store in a temporary directory): a minute or two each.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitFiles, committedCopyOfCheckout, git } from './support/git-fixtures.js';
import { deployment, service } from './support/wiring-pair.js';

const INSTALL_TIMEOUT_MS = 600_000;
let scratch: string;
let hookRepo: string;

function preCommitVersion(): string {
  try {
    return execFileSync('pre-commit', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'pre-commit is not installed: `apt-get install -y pre-commit` (Debian) or `pipx install pre-commit`; .ci/run installs it',
    );
  }
}

interface HookRun {
  status: number | null;
  output: string;
  seconds: number;
}

/**
 * `pre-commit try-repo <this checkout> kubewire --files ...` in `consumer`. Asynchronous: an install takes
 * minutes, and the test worker must keep answering vitest meanwhile.
 */
function tryRepo(consumer: string, files: readonly string[]): Promise<HookRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('pre-commit', ['try-repo', hookRepo, 'kubewire', '--files', ...files], {
      cwd: consumer,
      env: { ...process.env, NO_COLOR: '1' },
      timeout: INSTALL_TIMEOUT_MS,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output, seconds: (Date.now() - started) / 1000 }));
  });
}

/** The change of each case, staged in its own consumer repository, and pre-commit's run on it. */
const runs: { pass?: HookRun; fail?: HookRun } = {};

beforeAll(async () => {
  preCommitVersion();
  scratch = mkdtempSync(path.join(tmpdir(), 'kubewire-pre-commit-'));
  hookRepo = path.join(scratch, 'kubewire');
  committedCopyOfCheckout(hookRepo);

  const pass = path.join(scratch, 'pass');
  commitFiles(pass, { 'k8s/svc.yaml': service, 'k8s/deploy.yaml': deployment('web') });
  // The Service now targets port 8080 by number: declared by the pods of deploy.yaml, which the commit leaves alone.
  writeFileSync(path.join(pass, 'k8s/svc.yaml'), service.replace('targetPort: http', 'targetPort: 8080'));
  git(pass, 'add', '--all');

  const fail = path.join(scratch, 'fail');
  // The repository's config file (kubewire.config.yaml) reaches the hook's run: unused directives are errors.
  commitFiles(fail, {
    'k8s/svc.yaml': service,
    'k8s/deploy.yaml': deployment('web'),
    'kubewire.config.yaml': 'reportUnusedDisableDirectives: error\n',
  });
  // The Deployment's labels change; the Service in the unchanged svc.yaml no longer selects its pods. The comment
  // at the end silences nothing.
  writeFileSync(path.join(fail, 'k8s/deploy.yaml'), `${deployment('webb')}# kubewire-disable-line probe-port\n`);
  git(fail, 'add', '--all');

  // Each try-repo installs the hook afresh (its store is a temporary directory): both at once halve the wait.
  [runs.pass, runs.fail] = await Promise.all([tryRepo(pass, ['k8s/svc.yaml']), tryRepo(fail, ['k8s/deploy.yaml'])]);
}, INSTALL_TIMEOUT_MS + 60_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('pre-commit try-repo', () => {
  it('passes a change that is correct only because of an unchanged file', () => {
    const run = runs.pass!;
    expect(run.output).toMatch(/^kubewire\.+Passed$/m);
    expect(run.status).toBe(0);
  });

  it('fails a broken selector, with the finding on the changed file', () => {
    const run = runs.fail!;
    expect(run.output).toMatch(/^kubewire\.+Failed$/m);
    expect(run.output).toContain('k8s/deploy.yaml:12:14  error  service-selector-match');
    expect(run.output).toContain('k8s/svc.yaml:7:10  Service "web" (spec.selector.app)');
    // The settings of the repository's config file, as the command line and the Action read them.
    expect(run.output).toMatch(/k8s\/deploy\.yaml:\d+:\d+ {2}error {2}disable-directive/);
    expect(run.status).toBe(1);
  });
});
