/**
 * Bulk suppressions (src/api/bulk-suppressions.ts), ESLint 9.24's model: `--suppress-all` writes
 * kubewire-suppressions.json, later runs leave its counts out, a count that grows reports the rule's errors again,
 * entries that no longer occur fail the run until `--prune-suppressions`. Through the API (which the Action and the
 * hook run on) and through the real command line; the SARIF with both kinds of suppression goes through the real
 * validators (the SARIF 2.1.0 schema and the SARIF Multitool).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatSuppressions } from '../src/api/bulk-suppressions.js';
import { Kubewire, type KubewireOptions } from '../src/index.js';
import { ensureBuilt, runKubewire } from './cli-process.js';
import { repoRoot } from './helpers.js';

/** A Service with `ports` unnamed ports: with two or more, one service-port-names error per port (each must be named). */
const service = (name: string, ports: number, extra = '') =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  ports:\n${Array.from({ length: ports }, (_, i) => `    - port: ${80 + i}\n`).join('')}${extra}`;

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'kubewire-bulk-'));
  mkdirSync(path.join(work, 'deploy'));
  writeFileSync(path.join(work, 'deploy', 'web.yaml'), service('web', 2));
  writeFileSync(path.join(work, 'deploy', 'api.yaml'), service('api', 3));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const lint = (options: Omit<KubewireOptions, 'cwd'> = {}, patterns = ['deploy']) =>
  new Kubewire({ cwd: work, ...options }).lintFiles(patterns);
const suppressionsFile = () => readFileSync(path.join(work, 'kubewire-suppressions.json'), 'utf8');

describe('the API', () => {
  it('--suppress-all writes the counts per file and rule, sorted, and the next run leaves them out', async () => {
    const first = await lint({ suppressAll: true });
    expect(first.errorCount).toBe(0);
    expect(first.bulkSuppressions).toMatchObject({ filePath: 'kubewire-suppressions.json', written: true, suppressedCount: 5, stale: [] });
    expect(suppressionsFile()).toBe(
      '{\n  "deploy/api.yaml": {\n    "service-port-names": {\n      "count": 3\n    }\n  },\n  "deploy/web.yaml": {\n    "service-port-names": {\n      "count": 2\n    }\n  }\n}\n',
    );
    const again = await lint();
    expect(again).toMatchObject({ errorCount: 0, suppressedCount: 5, exitStatus: 0 });
    expect(again.bulkSuppressions).toMatchObject({ written: false, suppressedCount: 5 });
    expect(again.notices).toContain('5 errors left out: kubewire-suppressions.json counts them (they are in the report as suppressed).');
    const suppressed = again.results.find((r) => r.filePath === 'deploy/web.yaml')!.suppressedMessages;
    expect(suppressed.map((m) => [m.ruleId, m.line, m.suppressions])).toEqual([
      [
        'service-port-names',
        7,
        [{ kind: 'file', justification: 'one of 2 service-port-names errors of this file recorded in kubewire-suppressions.json' }],
      ],
      [
        'service-port-names',
        8,
        [{ kind: 'file', justification: 'one of 2 service-port-names errors of this file recorded in kubewire-suppressions.json' }],
      ],
    ]);
  });

  it("one error more than counted reports all of that rule's errors in that file, as ESLint does; other files stay suppressed", async () => {
    await lint({ suppressAll: true });
    writeFileSync(path.join(work, 'deploy', 'web.yaml'), service('web', 3));
    const run = await lint();
    expect(run.exitStatus).toBe(1);
    expect(run.results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId}`))).toEqual([
      'deploy/web.yaml:7 service-port-names',
      'deploy/web.yaml:8 service-port-names',
      'deploy/web.yaml:9 service-port-names',
    ]);
    expect(run.suppressedCount).toBe(3);
    // A new file is not in the file at all.
    writeFileSync(path.join(work, 'deploy', 'new.yaml'), service('new', 2));
    expect((await lint()).results.find((r) => r.filePath === 'deploy/new.yaml')!.errorCount).toBe(2);
  });

  it('counts errors only: warnings and fatal errors are never recorded (ESLint counts severity 2)', async () => {
    writeFileSync(path.join(work, 'deploy', 'broken.yaml'), 'apiVersion: v1\nkind: [\n');
    await lint({ suppressAll: true, rules: { 'service-port-names': 'warn' } });
    expect(suppressionsFile()).toBe('{}\n');
    const run = await lint({ rules: { 'service-port-names': 'warn' } });
    expect(run).toMatchObject({ warningCount: 5, fatalErrorCount: 1, suppressedCount: 0 });
  });

  it('entries that no longer occur are stale: the run fails (exit 2) and says which, unless passOnUnprunedSuppressions', async () => {
    await lint({ suppressAll: true });
    writeFileSync(path.join(work, 'deploy', 'api.yaml'), service('api', 1));
    const run = await lint();
    expect(run.exitStatus).toBe(2);
    expect(run.errorCount).toBe(0);
    expect(run.bulkSuppressions!.stale).toEqual([{ filePath: 'deploy/api.yaml', ruleId: 'service-port-names', count: 3 }]);
    expect(run.notices).toContain(
      'kubewire-suppressions.json has 1 entry for errors that no longer occur (deploy/api.yaml service-port-names ×3): run kubewire --prune-suppressions to remove them (until then the run fails; --pass-on-unpruned-suppressions lets it pass).',
    );
    expect((await lint({ passOnUnprunedSuppressions: true })).exitStatus).toBe(0);
    // Linting only some files (a pre-commit hook) finds nothing stale in the others.
    expect((await lint({}, ['deploy/web.yaml'])).bulkSuppressions!.stale).toEqual([]);
  });

  it('--prune-suppressions lowers and removes what no longer occurs, and the run passes again', async () => {
    await lint({ suppressAll: true });
    writeFileSync(path.join(work, 'deploy', 'api.yaml'), service('api', 2));
    writeFileSync(path.join(work, 'deploy', 'web.yaml'), service('web', 1));
    const pruned = await lint({ pruneSuppressions: true });
    expect(pruned).toMatchObject({ exitStatus: 0, suppressedCount: 2 });
    expect(JSON.parse(suppressionsFile())).toEqual({ 'deploy/api.yaml': { 'service-port-names': { count: 2 } } });
    expect((await lint()).exitStatus).toBe(0);
  });

  it('--suppress-rule records one rule and keeps the other entries; the file is the same bytes when nothing changed', async () => {
    writeFileSync(
      path.join(work, 'deploy', 'settings.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n  mode: slow\n',
    );
    const before = await lint();
    const ids = [...new Set(before.results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => m.ruleId)))].sort();
    expect(ids).toEqual(['service-port-names', 'yaml-duplicate-key']);
    await lint({ suppressRule: ['service-port-names'] });
    expect(Object.values(JSON.parse(suppressionsFile()) as Record<string, Record<string, unknown>>).flatMap((r) => Object.keys(r))).toEqual(
      ['service-port-names', 'service-port-names'],
    );
    await lint({ suppressRule: ['yaml-duplicate-key'] });
    const written = suppressionsFile();
    expect(Object.keys(JSON.parse(written) as object)).toEqual(['deploy/api.yaml', 'deploy/settings.yaml', 'deploy/web.yaml']);
    await lint({ suppressAll: true });
    expect(suppressionsFile()).toBe(written);
    expect((await lint()).errorCount).toBe(0);
  });

  it('writes files and rules sorted whatever order they come in', () => {
    expect(formatSuppressions({ 'b.yaml': { z: { count: 1 }, a: { count: 2 } }, 'a.yaml': { m: { count: 3 } }, 'c.yaml': {} })).toBe(
      '{\n  "a.yaml": {\n    "m": {\n      "count": 3\n    }\n  },\n  "b.yaml": {\n    "a": {\n      "count": 2\n    },\n    "z": {\n      "count": 1\n    }\n  }\n}\n',
    );
  });

  it('refuses options that contradict each other, an unknown rule, a missing or malformed file, naming the file', async () => {
    expect(() => new Kubewire({ suppressAll: true, pruneSuppressions: true })).toThrow(
      '--suppress-all and --prune-suppressions cannot be used together',
    );
    expect(() => new Kubewire({ suppressRule: ['service-port-name'] })).toThrow(
      '--suppress-rule: unknown rule "service-port-name" (did you mean "service-port-names"?)',
    );
    expect(() => new Kubewire({ suppressRule: ['nosuchrule'] })).toThrow(/unknown rule "nosuchrule"; `kubewire rules` lists them$/);
    await expect(lint({ suppressionsLocation: 'ci/suppressions.json' })).rejects.toThrow(
      'the suppressions file ci/suppressions.json does not exist',
    );
    writeFileSync(path.join(work, 'kubewire-suppressions.json'), '{"deploy/web.yaml": {"service-port-names": {"count": 0}}}');
    await expect(lint()).rejects.toThrow(
      'the suppressions file kubewire-suppressions.json: "deploy/web.yaml" → "service-port-names" must be { "count": <a whole number above 0> }',
    );
    writeFileSync(path.join(work, 'kubewire-suppressions.json'), '{"deploy/web.yaml": ');
    await expect(lint()).rejects.toThrow(/^the suppressions file kubewire-suppressions\.json is not valid JSON/);
  });

  it('--suppressions-location puts the file elsewhere; paths in it stay relative to the working directory', async () => {
    await lint({ suppressAll: true, suppressionsLocation: 'ci/kubewire.json' });
    expect(Object.keys(JSON.parse(readFileSync(path.join(work, 'ci', 'kubewire.json'), 'utf8')) as object)).toEqual([
      'deploy/api.yaml',
      'deploy/web.yaml',
    ]);
    expect((await lint({ suppressionsLocation: 'ci/kubewire.json' })).errorCount).toBe(0);
  });
});

describe('the command line', () => {
  beforeAll(() => ensureBuilt());

  it('writes, reuses, fails on stale entries and prunes, saying so on standard error', () => {
    const written = runKubewire(['--suppress-all', 'deploy'], { cwd: work });
    expect([written.status, written.stdout, written.stderr]).toEqual([
      0,
      '',
      'kubewire: wrote kubewire-suppressions.json.\nkubewire: 5 errors left out: kubewire-suppressions.json counts them (they are in the report as suppressed).\n',
    ]);
    const json = runKubewire(['-f', 'json', 'deploy'], { cwd: work });
    expect(json.status).toBe(0);
    const results = JSON.parse(json.stdout) as { errorCount: number; suppressedMessages: { suppressions: { kind: string }[] }[] }[];
    expect(results.map((r) => [r.errorCount, r.suppressedMessages.map((m) => m.suppressions[0]!.kind)])).toEqual([
      [0, ['file', 'file', 'file']],
      [0, ['file', 'file']],
    ]);
    writeFileSync(path.join(work, 'deploy', 'web.yaml'), service('web', 1));
    const stale = runKubewire(['deploy'], { cwd: work });
    expect(stale.status).toBe(2);
    expect(stale.stderr).toContain(
      'kubewire: kubewire-suppressions.json has 1 entry for errors that no longer occur (deploy/web.yaml service-port-names ×2): run kubewire --prune-suppressions',
    );
    expect(runKubewire(['--pass-on-unpruned-suppressions', 'deploy'], { cwd: work }).status).toBe(0);
    expect(runKubewire(['--prune-suppressions', 'deploy'], { cwd: work }).status).toBe(0);
    expect(runKubewire(['deploy'], { cwd: work }).status).toBe(0);
  });

  it('usage errors exit 2 with one line', () => {
    const both = runKubewire(['--suppress-all', '--suppress-rule', 'schema', 'deploy'], { cwd: work });
    expect([both.status, both.stderr.split('\n')[0]]).toEqual([
      2,
      'kubewire: --suppress-all and --suppress-rule cannot be used together: record with one run, prune with another',
    ]);
    const unused = runKubewire(['--report-unused-disable-directives', '--report-unused-disable-directives-severity', 'warn', 'deploy'], {
      cwd: work,
    });
    expect(unused.status).toBe(2);
    expect(unused.stderr).toMatch(
      /^kubewire: --report-unused-disable-directives and --report-unused-disable-directives-severity cannot be used together/,
    );
    const bad = runKubewire(['--report-unused-disable-directives-severity', 'loud', 'deploy'], { cwd: work });
    expect([bad.status, bad.stderr.split('\n')[0]]).toEqual([
      2,
      'kubewire: --report-unused-disable-directives-severity takes off, warn or error (or 0, 1, 2), not "loud"',
    ]);
  });
});

describe('SARIF with suppressions of both kinds passes the real validators', () => {
  it('comments are inSource with their reason, the suppressions file external', async () => {
    writeFileSync(
      path.join(work, 'deploy', 'web.yaml'),
      service('web', 2).replace(
        '    - port: 81\n',
        '    # kubewire-disable-next-line service-port-names -- named by the mesh injector\n    - port: 81\n',
      ),
    );
    await lint({ suppressRule: ['service-port-names'] });
    const run = await lint();
    const log = JSON.parse(new Kubewire({ cwd: work }).loadFormatter('sarif').format(run, {})) as {
      runs: { results: { ruleId: string; suppressions?: Record<string, unknown>[] }[] }[];
    };
    const suppressions = log.runs[0]!.results.map((r) => r.suppressions?.map((s) => [s.kind, s.justification]));
    expect(suppressions).toContainEqual([['inSource', 'named by the mesh injector']]);
    expect(suppressions).toContainEqual([
      ['external', 'one of 3 service-port-names errors of this file recorded in kubewire-suppressions.json'],
    ]);

    const AjvDraft04 = createRequire(import.meta.url)('ajv-draft-04') as typeof import('ajv-draft-04').default;
    const ajv = new AjvDraft04({ strict: false, unicodeRegExp: false });
    ajv.addFormat('uri', (value: string) => URL.canParse(value));
    ajv.addFormat('uri-reference', (value: string) => URL.canParse(value, 'file:///base/'));
    const schema = JSON.parse(
      readFileSync(path.join(repoRoot, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8'),
    ) as object;
    expect(ajv.validate(schema, log), ajv.errorsText()).toBe(true);

    const input = path.join(work, 'in.sarif');
    const output = path.join(work, 'out.sarif');
    writeFileSync(input, JSON.stringify(log));
    const multitool = spawnSync(
      path.join(repoRoot, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'Sarif.Multitool'),
      [
        'validate',
        '--rule-kind',
        'Gh;Sarif',
        '--level',
        'Error;Warning',
        '--config',
        path.join(repoRoot, 'test', 'support', 'sarif-multitool.xml'),
        '--output',
        output,
        input,
      ],
      { cwd: work, encoding: 'utf8', timeout: 120_000, env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } },
    );
    expect(multitool.status, multitool.stdout + multitool.stderr).toBe(0);
    const report = JSON.parse(readFileSync(output, 'utf8')) as {
      runs: { results?: { level?: string; message: { text?: string; arguments?: string[] }; ruleId: string }[] }[];
    };
    expect(
      (report.runs[0]!.results ?? [])
        .filter((r) => (r.level ?? 'warning') !== 'note')
        .map((r) => `${r.ruleId} ${JSON.stringify(r.message)}`),
    ).toEqual([]);
  }, 180_000);
});
