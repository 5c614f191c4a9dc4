/**
 * The GitHub Action as the runner runs it: `node action/dist/index.js` (the committed bundle action.yml names)
 * with the inputs in INPUT_* variables (upper-cased, dashes kept, as the runner passes them) and the runner's
 * files (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) and folders (GITHUB_WORKSPACE, RUNNER_TEMP) set to temporary ones.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { marked } from 'marked';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { jobSummary, SUMMARY_LIMIT_BYTES } from '../src/hosts/github-action/job-summary.js';
import { repoRoot } from './helpers.js';

const BUNDLE = path.join(repoRoot, 'action', 'dist', 'index.js');
const temporary: string[] = [];

afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

interface ActionRun {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** The workflow commands the runner would act on: those outside ::stop-commands:: sections. */
  commands: string[];
}

/** Reads GITHUB_OUTPUT as the runner does: `name<<delimiter` heredocs (what @actions/core writes). */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      outputs[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i]!.includes('=')) {
      const eq = lines[i]!.indexOf('=');
      outputs[lines[i]!.slice(0, eq)] = lines[i]!.slice(eq + 1);
    }
  }
  return outputs;
}

/** The lines the runner reads as workflow commands, honouring ::stop-commands::<token> ... ::<token>::. */
function workflowCommands(stdout: string): string[] {
  const commands: string[] = [];
  let stoppedUntil: string | undefined;
  for (const line of stdout.split('\n')) {
    if (stoppedUntil) {
      if (line === `::${stoppedUntil}::`) stoppedUntil = undefined;
      continue;
    }
    const stop = /^::stop-commands::(.+)$/.exec(line);
    if (stop) stoppedUntil = stop[1];
    else if (line.startsWith('::')) commands.push(line);
  }
  return commands;
}

function runAction(inputs: Record<string, string>, options: { workspace?: string; env?: Record<string, string> } = {}): ActionRun {
  const runner = mkdtempSync(path.join(tmpdir(), 'kubewire-runner-'));
  temporary.push(runner);
  const outputFile = path.join(runner, 'output');
  const summaryFile = path.join(runner, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: options.workspace ?? repoRoot,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: runner,
    ...options.env,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const run = spawnSync(process.execPath, [BUNDLE], { cwd: runner, env, encoding: 'utf8', timeout: 60_000 });
  return {
    status: run.status,
    stdout: run.stdout,
    stderr: run.stderr,
    outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    commands: workflowCommands(run.stdout),
  };
}

function workspaceWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubewire-workspace-'));
  temporary.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const service = (name: string, selector: string) => `apiVersion: v1
kind: Service
metadata: {name: ${JSON.stringify(name)}, namespace: shop}
spec: {selector: {app: ${selector}}, ports: [{port: 80}]}
`;

/**
 * One error: a Service whose selector has a typo (`wbe-…`) of the label of the workload beside it
 * (service-selector-match).
 */
const brokenApp = (name: string) => {
  const app = name.replace(/[^a-z0-9-]/g, '');
  return `${service(name, `wbe-${app}`)}---
${deployment.replace(/\bweb\b/g, `web-${app}`)}`;
};

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]}
`;

/** One warning only: a StatefulSet whose serviceName names a Service that is not headless. */
const warningOnly = `${deployment}---
${service('web', 'web')}---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  serviceName: web
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres}]}
`;

describe('action.yml', () => {
  const action = parseYaml(readFileSync(path.join(repoRoot, 'action.yml'), 'utf8')) as {
    runs: { using: string; main: string };
    inputs: Record<string, { default?: string }>;
    outputs: Record<string, unknown>;
  };

  it('runs the committed bundle on node24, with the documented inputs and outputs', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'action/dist/index.js' });
    expect(existsSync(path.join(repoRoot, action.runs.main))).toBe(true);
    expect(Object.keys(action.inputs).sort()).toEqual(
      ['config', 'fail-on', 'files', 'format', 'max-warnings', 'namespace', 'sarif-category', 'sarif-file', 'working-directory'].sort(),
    );
    expect(Object.keys(action.outputs).sort()).toEqual(['error-count', 'sarif-file', 'warning-count']);
  });

  it('the committed bundle is what a fresh build of the sources writes', () => {
    const check = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build-action.mjs'), '--check'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    // The runner gets the bundle from the repository, so git must not ignore it (dist/ is ignored for tsc's output).
    if (existsSync(path.join(repoRoot, '.git'))) {
      const ignored = spawnSync('git', ['check-ignore', '--quiet', 'action/dist/index.js'], { cwd: repoRoot });
      expect(ignored.status).toBe(1);
    }
    // And the check can fail: a bundle one byte off is stale.
    const dir = mkdtempSync(path.join(tmpdir(), 'kubewire-bundle-'));
    temporary.push(dir);
    const stale = path.join(dir, 'index.js');
    writeFileSync(stale, `${readFileSync(BUNDLE, 'utf8')} `);
    const failed = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build-action.mjs'), '--check', stale], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('npm run build:action');
  });
});

describe('the Action on examples/', () => {
  const run = runAction(
    { files: 'examples', 'fail-on': 'error' },
    { env: { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'kubewire/kubewire', GITHUB_SHA: '0123abcd' } },
  );

  it('fails the step on errors and sets the outputs', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(run.outputs).toEqual({ 'error-count': '5', 'warning-count': '1', 'sarif-file': '' });
    expect(run.commands).toContain('::error::kubewire found 5 errors (fail-on: error)');
  });

  it('annotates each finding at its file, line and columns', () => {
    const annotations = run.commands.filter((c) => /^::(error|warning) /.test(c));
    expect(annotations).toHaveLength(6);
    expect(annotations).toContainEqual(
      expect.stringMatching(
        /^::error title=kubewire ingress-backend,file=examples\/ingress\.yaml,line=30,endLine=30,col=27,endColumn=31::Service "api" has no port 8080/,
      ),
    );
    expect(annotations).toContainEqual(
      expect.stringMatching(/^::warning title=kubewire statefulset-service-name,file=examples\/postgres\.yaml,line=44,/),
    );
    // No notice: the annotations are all there.
    expect(run.commands.filter((c) => c.startsWith('::notice'))).toEqual([]);
  });

  it('prints the stylish report in the log, where no line of it is a workflow command', () => {
    expect(run.stdout).toContain('examples/ingress.yaml:30:27');
    expect(run.stdout).toMatch(/^::stop-commands::[0-9a-f-]{36}$/m);
  });

  it('writes a job summary: counts, findings per rule with docs links, findings with links to the commit, the wiring', () => {
    expect(run.summary).toMatch(/^## kubewire: 5 errors, 1 warning\n/);
    expect(run.summary).toContain(
      '| [ingress-backend](https://github.com/kubewire/kubewire/blob/main/rules-docs/ingress-backend.md) | 1 | 0 |',
    );
    expect(run.summary).toContain(
      '[examples/ingress.yaml\\:30\\:27](https://github.com/kubewire/kubewire/blob/0123abcd/examples/ingress.yaml#L30)',
    );
    expect(run.summary).toContain('```mermaid\nflowchart LR\n');
    expect(run.summary).toContain('n0 ==>|"/api → 8080 ✗"| n1');
  });
});

describe('fail-on and max-warnings decide the exit code', () => {
  const workspace = workspaceWith({ 'deploy/app.yaml': warningOnly });
  const cases: [Record<string, string>, number][] = [
    [{ 'fail-on': 'error' }, 0],
    [{ 'fail-on': 'warning' }, 1],
    [{ 'fail-on': 'none' }, 0],
    [{ 'fail-on': 'error', 'max-warnings': '0' }, 1],
    [{ 'fail-on': 'error', 'max-warnings': '1' }, 0],
    [{}, 0],
  ];
  for (const [inputs, status] of cases) {
    it(`${JSON.stringify(inputs)} with one warning: exit ${status}`, () => {
      const run = runAction({ files: 'deploy', ...inputs }, { workspace });
      expect(run.status).toBe(status);
      expect(run.outputs['warning-count']).toBe('1');
      expect(run.outputs['error-count']).toBe('0');
    });
  }

  it('fail-on none passes a run with errors, and still reports them', () => {
    const run = runAction({ files: 'examples', 'fail-on': 'none' });
    expect(run.status).toBe(0);
    expect(run.outputs['error-count']).toBe('5');
    expect(run.commands.filter((c) => c.startsWith('::error '))).toHaveLength(5);
  });
});

describe('inputs', () => {
  it('working-directory: files are found under it, and every report names them from the repository root', () => {
    const workspace = workspaceWith({ 'clusters/prod/apps/svc.yaml': brokenApp('lonely'), 'clusters/dev/svc.yaml': brokenApp('other') });
    const run = runAction({ files: 'apps', 'working-directory': 'clusters/prod', 'sarif-file': 'kubewire.sarif' }, { workspace });
    const sarif = JSON.parse(readFileSync(path.join(workspace, 'kubewire.sarif'), 'utf8')) as {
      runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    expect(sarif.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri)).toEqual([
      'clusters/prod/apps/svc.yaml',
    ]);
    expect(run.outputs['error-count']).toBe('1');
    expect(run.commands.find((c) => c.startsWith('::error '))).toMatch(/file=clusters\/prod\/apps\/svc\.yaml,/);
    expect(run.summary).toContain('`clusters/prod/apps`');
    // Without GITHUB_SHA there is no commit to link to: the place is text.
    expect(run.summary).toContain('| :x: error | clusters/prod/apps/svc.yaml\\:4\\:24 |');
  });

  it('files: one path or glob per line', () => {
    const workspace = workspaceWith({ 'a/svc.yaml': brokenApp('a'), 'b/svc.yml': brokenApp('b'), 'c/svc.yaml': brokenApp('c') });
    const run = runAction({ files: 'a\nb/*.yml\n' }, { workspace });
    expect(run.outputs['error-count']).toBe('2');
  });

  it('namespace: the namespace of objects that name none', () => {
    const workspace = workspaceWith({
      'svc.yaml': `apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n`,
      'deploy.yaml': deployment,
    });
    // In namespace default the Service selects nothing (its pods are in shop); in shop it has its endpoints.
    const inDefault = runAction({}, { workspace });
    expect(Number(inDefault.outputs['error-count']) + Number(inDefault.outputs['warning-count'])).toBe(1);
    expect(inDefault.commands.find((c) => c.startsWith('::'))).toContain('namespace "default"');
    const inShop = runAction({ namespace: 'shop' }, { workspace });
    expect(inShop.outputs).toEqual({ 'error-count': '0', 'warning-count': '0', 'sarif-file': '' });
  });

  it('format: the report in the log', () => {
    const run = runAction({ files: 'examples', format: 'json' });
    const start = run.stdout.indexOf('\n') + 1;
    const report = run.stdout.slice(start, run.stdout.indexOf('\n::', start) + 1);
    expect(JSON.parse(report)).toBeInstanceOf(Array);
  });

  const failures: [string, Record<string, string>, string][] = [
    ['a config file that does not exist', { config: 'no-such.kubewire.yaml' }, 'no-such.kubewire.yaml: no such file'],
    ['fail-on takes error, warning or none', { 'fail-on': 'always' }, 'fail-on must be error, warning or none, not "always"'],
    [
      'max-warnings takes a number',
      { 'max-warnings': 'ten' },
      'max-warnings takes a whole number of warnings (0 or more), or -1 for no limit; not "ten"',
    ],
    ['an unknown format', { format: 'xml' }, 'unknown format "xml"'],
    ['files that do not exist', { files: 'no/such/dir' }, 'no/such/dir'],
  ];
  for (const [title, inputs, message] of failures) {
    it(`fails the step in one line: ${title}`, () => {
      const run = runAction({ files: 'examples', ...inputs });
      expect(run.status).toBe(1);
      const errors = run.commands.filter((c) => c.startsWith('::error::'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(message);
      expect(run.stdout + run.stderr).not.toMatch(/^\s+at /m);
      expect(run.outputs).toEqual({});
    });
  }
});

describe('sarif-file', () => {
  it('writes SARIF 2.1.0 with repository-relative locations and sets the output', () => {
    const run = runAction({
      files: 'examples',
      'sarif-file': 'reports/kubewire.sarif',
      'sarif-category': 'kubewire/examples/',
      'fail-on': 'none',
    });
    expect(run.status).toBe(0);
    const file = path.join(repoRoot, 'reports', 'kubewire.sarif');
    temporary.push(path.join(repoRoot, 'reports'));
    expect(run.outputs['sarif-file']).toBe(file);
    const sarif = JSON.parse(readFileSync(file, 'utf8')) as {
      version: string;
      runs: {
        automationDetails?: { id: string };
        results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
      }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.automationDetails?.id).toBe('kubewire/examples/');
    expect(sarif.runs[0]!.results).toHaveLength(6);
    expect(sarif.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri)).toContain('examples/ingress.yaml');

    // What code scanning ingests: the SARIF Multitool with GitHub's rules finds no error and no warning.
    const multitool = path.join(repoRoot, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'Sarif.Multitool');
    const report = path.join(repoRoot, 'reports', 'multitool.sarif');
    const check = spawnSync(
      multitool,
      [
        'validate',
        '--rule-kind',
        'Gh;Sarif',
        '--level',
        'Error;Warning',
        '--config',
        path.join(repoRoot, 'test', 'support', 'sarif-multitool.xml'),
        '--output',
        report,
        file,
      ],
      { encoding: 'utf8', timeout: 120_000, env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } },
    );
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const findings = (
      JSON.parse(readFileSync(report, 'utf8')) as { runs: { results?: { ruleId: string; level?: string }[] }[] }
    ).runs.flatMap((r) => r.results ?? []);
    expect(findings.filter((r) => (r.level ?? 'warning') === 'error' || (r.level ?? 'warning') === 'warning')).toEqual([]);
  }, 120_000);
});

describe('past GitHub’s 10 annotations per level', () => {
  it('annotates the first 10 errors and 10 warnings, then one notice with the counts', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 14; i++) files[`svc-${i}.yaml`] = brokenApp(`svc-${i}`);
    for (let i = 0; i < 12; i++) files[`sts-${i}.yaml`] = warningOnly.replace(/\b(web|db)\b/g, `$1-${i}`);
    const run = runAction({}, { workspace: workspaceWith(files) });
    expect(run.outputs['error-count']).toBe('14');
    expect(run.outputs['warning-count']).toBe('12');
    expect(run.commands.filter((c) => c.startsWith('::error '))).toHaveLength(10);
    expect(run.commands.filter((c) => c.startsWith('::warning '))).toHaveLength(10);
    const notices = run.commands.filter((c) => c.startsWith('::notice'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('kubewire found 14 errors and 12 warnings; GitHub shows 10 of each as annotations');
    expect(notices[0]).toContain('upload-sarif');
  });
});

describe('untrusted repositories', () => {
  it('no file name or manifest text becomes a workflow command, a Markdown link or HTML in the summary', () => {
    const hostile = 'x\n::error file=forged.yaml::forged\n![img](https://example.invalid/p.png) <b>bold</b> | cell';
    const workspace = workspaceWith({ '::warning::forged.yaml': brokenApp(hostile) });
    const run = runAction({}, { workspace, env: { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: 'abc' } });
    // Two errors: the selector typo, and (schema) a Service name that is no DNS-1035 label.
    expect(run.outputs['error-count']).toBe('2');
    // The runner acts on the Action's own commands only: the real annotation, its file name encoded.
    expect(run.commands).toEqual([
      expect.stringMatching(/^::error title=kubewire schema,file=%3A%3Awarning%3A%3Aforged\.yaml,line=3,/),
      expect.stringMatching(
        /^::error title=kubewire service-selector-match,file=%3A%3Awarning%3A%3Aforged\.yaml,line=4,endLine=4,col=24,endColumn=\d+::Service "x\\n::error file=forged\.yaml::forged\\n/,
      ),
      '::error::kubewire found 2 errors (fail-on: error)',
    ]);
    // Rendered as GitHub Flavored Markdown (marked, a GFM implementation): the page has only the Action's own
    // links, one finding row, and the hostile text as text.
    const page = new JSDOM(marked.parse(run.summary, { gfm: true, async: false })).window.document;
    expect([...page.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual([
      'https://github.com/kubewire/kubewire/blob/main/rules-docs/schema.md',
      'https://github.com/kubewire/kubewire/blob/main/rules-docs/service-selector-match.md',
      'https://github.com/o/r/blob/abc/%3A%3Awarning%3A%3Aforged.yaml#L3',
      'https://github.com/o/r/blob/abc/%3A%3Awarning%3A%3Aforged.yaml#L4',
    ]);
    expect(page.querySelectorAll('img, b, script')).toHaveLength(0);
    const findingRows = [...page.querySelectorAll('table')[1]!.querySelectorAll('tbody tr')].filter((row) =>
      row.textContent?.includes('service-selector-match'),
    );
    expect(findingRows).toHaveLength(1);
    expect(findingRows[0]!.querySelectorAll('td')).toHaveLength(4);
    expect(findingRows[0]!.querySelectorAll('td')[2]!.textContent).toContain(
      'x\\n::error file=forged.yaml::forged\\n![img](https://example.invalid/p.png) <b>bold</b> | cell',
    );
    expect(run.summary).not.toContain('![img]');
    expect(run.summary).not.toContain('<b>');
    expect(run.summary).toContain('\\!\\[img\\]');
    // The link to the file is percent-encoded, the text escaped.
    expect(run.summary).toContain('[\\:\\:warning\\:\\:forged.yaml\\:4\\:24]');
    expect(run.summary).toContain('(https://github.com/o/r/blob/abc/%3A%3Awarning%3A%3Aforged.yaml#L4)');
  });
});

describe('the job summary stays under GitHub’s 1 MiB', () => {
  it('a diagram that would pass the limit is left out, with what to run instead', () => {
    // 150 Services with 8 KiB names: the capped diagram alone is over 1 MiB.
    const name = 'n'.repeat(8 * 1024);
    const nodes = Array.from({ length: 150 }, (_, i) => ({
      id: `s${i}`,
      kind: 'Service',
      namespace: 'shop',
      name: `${name}${i}`,
      role: 'resource' as const,
    }));
    const summary = jobSummary({
      results: [],
      errorCount: 0,
      warningCount: 0,
      suppressedCount: 0,
      wiring: { nodes, edges: [] },
      ruleDocs: {},
      links: { blobBase: undefined },
      inputs: ['.'],
    });
    expect(Buffer.byteLength(summary)).toBeLessThan(SUMMARY_LIMIT_BYTES);
    expect(summary).not.toContain('```mermaid');
    expect(summary).toContain('The wiring diagram is left out');
  });
});
