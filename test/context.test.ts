/**
 * Cross-file context (src/engine/context.ts): context files feed the graph, only linted files are reported, a
 * finding caused by a linted file moves onto it; the command line's default context is the repository of the
 * files it is given.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Kubewire, UsageError } from '../src/index.js';
import { ensureBuilt, runKubewire } from './cli-process.js';
import { deployment, service } from './support/wiring-pair.js';

const made: string[] = [];
/** A temporary repository (a `.git` directory is all the walk looks for) with these files. */
function repository(files: Readonly<Record<string, string>>, git = true): string {
  const root = mkdtempSync(path.join(tmpdir(), 'kubewire-context-'));
  made.push(root);
  if (git) mkdirSync(path.join(root, '.git'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the API with context', () => {
  it('a Deployment whose labels no longer match an unchanged Service: reported on the Deployment, the Service related', async () => {
    const cwd = repository({ 'k8s/svc.yaml': service, 'k8s/deploy.yaml': deployment('webb') });
    const run = await new Kubewire({ cwd, context: ['k8s/**'] }).lintFiles(['k8s/deploy.yaml']);
    expect(run.results.map((r) => r.filePath)).toEqual(['k8s/deploy.yaml']);
    expect(run.errorCount).toBe(1);
    const [finding] = run.results[0]!.messages;
    expect(finding).toMatchObject({
      ruleId: 'service-selector-match',
      line: 12,
      column: 14,
      resource: { kind: 'Service', name: 'web' },
      path: 'spec.selector.app',
    });
    expect(finding!.related?.[0]).toMatchObject({ filePath: 'k8s/svc.yaml', line: 7, column: 10 });
    expect(finding!.related?.[0]?.message).toContain('Service "web" (spec.selector.app)');
    // The same two files without context: the Deployment alone is fine.
    expect((await new Kubewire({ cwd }).lintFiles(['k8s/deploy.yaml'])).errorCount).toBe(0);
  });

  it("a near miss in another app's folder is not moved onto the linted file: nothing it changed broke it", async () => {
    const cwd = repository({ 'apps/a/svc.yaml': service, 'apps/b/deploy.yaml': deployment('webb') });
    const whole = await new Kubewire({ cwd }).lintFiles(['.']);
    expect(whole.results.find((r) => r.filePath === 'apps/a/svc.yaml')!.messages[0]!.related?.[0]?.filePath).toBe('apps/b/deploy.yaml');
    const run = await new Kubewire({ cwd, context: ['.'] }).lintFiles(['apps/b/deploy.yaml']);
    expect(run.results).toMatchObject([{ filePath: 'apps/b/deploy.yaml', messages: [] }]);
  });

  it('a Service correct only because of an unchanged Deployment: clean, and the context file is not reported', async () => {
    const cwd = repository({ 'k8s/svc.yaml': service, 'k8s/deploy.yaml': deployment('web') });
    const run = await new Kubewire({ cwd, context: ['k8s'] }).lintFiles(['k8s/svc.yaml']);
    expect(run.results.map((r) => r.filePath)).toEqual(['k8s/svc.yaml']);
    expect(run).toMatchObject({ errorCount: 0, warningCount: 0 });
    // Without it, kubewire can only say it cannot check the Service.
    expect((await new Kubewire({ cwd }).lintFiles(['k8s/svc.yaml'])).results[0]!.messages.map((m) => m.messageId)).toEqual([
      'noWorkloadsInNamespace',
    ]);
  });

  it("a context file's own findings are not reported, and a file both linted and in the context is reported once", async () => {
    const cwd = repository({ 'a/svc.yaml': service, 'a/deploy.yaml': deployment('web'), 'b/broken.yaml': 'kind: [\n' });
    const run = await new Kubewire({ cwd, context: ['**/*.yaml'] }).lintFiles(['a/svc.yaml', 'a/deploy.yaml']);
    expect(run.results.map((r) => r.filePath)).toEqual(['a/deploy.yaml', 'a/svc.yaml']);
    expect(run).toMatchObject({ errorCount: 0, warningCount: 0, fatalErrorCount: 0 });
  });

  it("lintText: the buffer's text wins over the same file on disk", async () => {
    const cwd = repository({ 'svc.yaml': service, 'deploy.yaml': deployment('web') });
    const kubewire = new Kubewire({ cwd, context: ['.'] });
    // On disk the pair is correct; the unsaved buffer renames the label.
    const edited = await kubewire.lintText(deployment('webb'), { filePath: 'deploy.yaml' });
    expect(edited.results.map((r) => [r.filePath, r.errorCount])).toEqual([['deploy.yaml', 1]]);
    expect(edited.results[0]!.messages[0]).toMatchObject({ ruleId: 'service-selector-match', line: 12 });
    // An absolute path names the same file.
    expect((await kubewire.lintText(deployment('web'), { filePath: path.join(cwd, 'deploy.yaml') })).errorCount).toBe(0);
  });

  it('one Kubewire reads its context once: later lints reuse it (a new Kubewire sees changed files)', async () => {
    const cwd = repository({ 'svc.yaml': service, 'deploy.yaml': deployment('web') });
    const kubewire = new Kubewire({ cwd, context: ['*.yaml'] });
    expect((await kubewire.lintText(service, { filePath: 'svc.yaml' })).errorCount).toBe(0);
    writeFileSync(path.join(cwd, 'deploy.yaml'), deployment('webb'));
    expect((await kubewire.lintFiles(['svc.yaml'])).errorCount).toBe(0);
    expect((await new Kubewire({ cwd, context: ['*.yaml'] }).lintFiles(['svc.yaml'])).errorCount).toBe(1);
  });

  it('ignore patterns and node_modules apply to the context', async () => {
    const cwd = repository({
      'svc.yaml': service,
      'node_modules/pkg/deploy.yaml': deployment('web'),
      'vendor/deploy.yaml': deployment('web'),
    });
    const warnings = async (options: { ignorePatterns?: string[] }) =>
      (await new Kubewire({ cwd, context: ['.'], ...options }).lintFiles(['svc.yaml'])).warningCount;
    expect(await warnings({})).toBe(0);
    expect(await warnings({ ignorePatterns: ['vendor/**'] })).toBe(1);
  });

  it('a context glob that matches nothing adds nothing; a path that does not exist is a usage error naming it', async () => {
    const cwd = repository({ 'svc.yaml': service });
    expect((await new Kubewire({ cwd, context: ['k8s/**/*.yaml'] }).lintFiles(['svc.yaml'])).warningCount).toBe(1);
    await expect(new Kubewire({ cwd, context: ['k8s'] }).lintFiles(['svc.yaml'])).rejects.toThrow(
      new UsageError('context: no such file or directory: k8s'),
    );
    await expect(new Kubewire({ cwd, context: ['-'] }).lintFiles(['svc.yaml'])).rejects.toThrow(UsageError);
  });
});

describe('the command line: --context, --no-context and the default', () => {
  beforeAll(() => ensureBuilt());

  it('files alone get the repository they are in as context, directories none', () => {
    const root = repository({
      'svc.yaml': service,
      'apps/web/deploy.yaml': deployment('webb'),
      'node_modules/x/deploy.yaml': deployment('web'),
    });
    const cwd = path.join(root, 'apps');
    const file = runKubewire(['web/deploy.yaml'], { cwd });
    expect(file.status).toBe(1);
    expect(file.stdout).toContain('web/deploy.yaml:12:14  error  service-selector-match');
    expect(file.stdout).toContain(`${path.join(root, 'svc.yaml')}:7:10`);
    expect(runKubewire(['web/deploy.yaml', '--no-context'], { cwd })).toMatchObject({ status: 0, stdout: '' });
    expect(runKubewire(['web'], { cwd })).toMatchObject({ status: 0, stdout: '' });
    expect(runKubewire(['-'], { cwd, input: deployment('webb') })).toMatchObject({ status: 0, stdout: '' });
  });

  it('--context names the context; outside a repository, files alone get none', () => {
    const cwd = repository({ 'svc.yaml': service, 'deploy.yaml': deployment('web') }, false);
    expect(runKubewire(['svc.yaml'], { cwd }).stdout).toContain('cannot check that anything will back it');
    expect(runKubewire(['svc.yaml', '--context', 'deploy.yaml'], { cwd })).toMatchObject({ status: 0, stdout: '' });
    const both = runKubewire(['svc.yaml', '--context', '.', '--no-context'], { cwd });
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('--context and --no-context');
  });
});
