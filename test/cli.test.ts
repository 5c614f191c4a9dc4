/**
 * The built command line (`node bin/kubewire.js`, from dist/): exit codes, output formats, options, the
 * `endpoints` and `rules` commands, and that no failure ever prints a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRules } from '../src/rules/index.js';
import { BIN, ensureBuilt } from './cli-process.js';
import { repoRoot } from './helpers.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let work: string;

function kubewire(args: string[], options: { input?: string; cwd?: string } = {}): Run {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? work,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', KUBEWIRE_DEBUG: '' },
    timeout: 30_000,
  });
  const run = { code: result.status, stdout: result.stdout, stderr: result.stderr };
  // Whatever happened, no stack trace reaches the user.
  expect(run.stderr).not.toContain('    at ');
  expect(run.stdout).not.toContain('    at ');
  return run;
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - name: http
          containerPort: 8080
`;

const goodService = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
`;

/** Selects `app: wbe`: service-selector-match reports an error at line 8, column 10 (the value). */
const typoService = goodService.replace('app: web', 'app: wbe').replace('name: web\n', 'name: typo\n');

/** A Service alone in its namespace: service-selector-match warns (no workloads to check against). */
const lonelyService = goodService.replace('namespace: shop', 'namespace: lonely').replace('app: web', 'app: lonely');

beforeAll(() => {
  ensureBuilt();
  expect(existsSync(path.join(repoRoot, 'dist', 'main.js'))).toBe(true);
  work = mkdtempSync(path.join(tmpdir(), 'kubewire-cli-'));
  mkdirSync(path.join(work, 'clean'));
  writeFileSync(path.join(work, 'clean', 'deployment.yaml'), deployment);
  writeFileSync(path.join(work, 'clean', 'service.yaml'), goodService);
  mkdirSync(path.join(work, 'broken'));
  writeFileSync(path.join(work, 'broken', 'deployment.yaml'), deployment);
  writeFileSync(path.join(work, 'broken', 'typo.yaml'), typoService);
  mkdirSync(path.join(work, 'warn'));
  writeFileSync(path.join(work, 'warn', 'service.yaml'), lonelyService);
  mkdirSync(path.join(work, 'mixed'));
  writeFileSync(path.join(work, 'mixed', 'deployment.yaml'), deployment);
  writeFileSync(path.join(work, 'mixed', 'typo.yaml'), typoService);
  writeFileSync(path.join(work, 'mixed', 'lonely.yaml'), lonelyService);
  writeFileSync(path.join(work, 'unscoped.yaml'), `${deployment}---\n${goodService.replace('  namespace: shop\n', '')}`);
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('exit codes', () => {
  it('0 on clean input, printing nothing', () => {
    expect(kubewire(['clean'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('1 on errors', () => {
    const run = kubewire(['broken']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('broken/typo.yaml:8:10  error  service-selector-match');
  });

  it('0 on warnings, 1 with --max-warnings 0', () => {
    const warned = kubewire(['warn']);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toContain('warn/service.yaml:7:3  warning  service-selector-match');
    expect(warned.stdout).toContain('1 problem (0 errors, 1 warning)');
    const strict = kubewire(['warn', '--max-warnings', '0']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe('kubewire found too many warnings (maximum: 0).\n');
    expect(kubewire(['warn', '--max-warnings', '1']).code).toBe(0);
  });

  it.each([
    [['--bogus', 'clean'], 'unknown option --bogus'],
    [['--rule', 'no-such-rule=error', 'clean'], 'unknown rule "no-such-rule"'],
    [['--rule', 'service-selector-match=loud', 'clean'], 'severity must be off, warn or error, not "loud"'],
    [['does-not-exist'], 'no such file or directory: does-not-exist'],
    [['-'], 'standard input is empty'],
    [['--format', 'xml', 'clean'], 'unknown format "xml"'],
    [['--max-warnings', 'many', 'clean'], '--max-warnings takes a whole number'],
  ])('2 on a usage error: %j', (args, message) => {
    const run = kubewire(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`kubewire: `);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Run `kubewire --help` for usage.');
  });

  it('suggests the closest rule id', () => {
    expect(kubewire(['--rule', 'service-selector-matches=off', 'clean']).stderr).toContain('did you mean "service-selector-match"?');
  });
});

describe('--format json', () => {
  it("prints ESLint's result format plus the resource and field of each message", () => {
    const run = kubewire(['--format', 'json', 'mixed']);
    expect(run.code).toBe(1);
    const results = JSON.parse(run.stdout) as {
      filePath: string;
      messages: Record<string, unknown>[];
      errorCount: number;
      warningCount: number;
    }[];
    expect(results.map((r) => [r.filePath, r.errorCount, r.warningCount])).toEqual([
      ['mixed/deployment.yaml', 0, 0],
      ['mixed/lonely.yaml', 0, 1],
      ['mixed/typo.yaml', 1, 0],
    ]);
    const typo = results[2]!.messages;
    expect(typo).toHaveLength(1);
    expect(typo[0]).toMatchObject({
      ruleId: 'service-selector-match',
      messageId: 'noMatch',
      severity: 2,
      line: 8,
      column: 10,
      endLine: 8,
      endColumn: 13,
      resource: { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'typo' },
      path: 'spec.selector.app',
    });
    expect(Object.keys(typo[0]!).sort()).toEqual(
      ['column', 'endColumn', 'endLine', 'line', 'message', 'messageId', 'path', 'related', 'resource', 'ruleId', 'severity'].sort(),
    );
    expect(typo[0]!.related).toEqual([
      { filePath: 'mixed/deployment.yaml', line: 14, column: 14, endLine: 14, endColumn: 17, message: 'closest pod template' },
    ]);
    // Line 8 of the file is the selector value the message is about.
    expect(typoService.split('\n')[7]).toBe('    app: wbe');
    expect(results[1]!.messages[0]).toMatchObject({ severity: 1, line: 7, column: 3, path: 'spec.selector' });
    // The rest of ESLint's result, so tools written for ESLint's JSON read ours unchanged.
    expect(results[2]).toMatchObject({
      fatalErrorCount: 0,
      fixableErrorCount: 0,
      fixableWarningCount: 0,
      suppressedMessages: [],
      usedDeprecatedRules: [],
    });
  });

  it('marks parse errors as fatal, as ESLint does', () => {
    const dir = path.join(work, 'fatal');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'broken.yaml'), 'apiVersion: v1\nkind: ConfigMap\ndata: {a: 1\n');
    const results = JSON.parse(kubewire(['--format', 'json', 'fatal']).stdout) as {
      fatalErrorCount: number;
      messages: { fatal?: boolean; ruleId: string }[];
    }[];
    expect(results[0]).toMatchObject({ fatalErrorCount: 1, messages: [{ ruleId: 'yaml-syntax', fatal: true }] });
  });
});

describe('--format sarif and --format github', () => {
  it('writes SARIF with the category to a file, with the exit code of the findings', () => {
    const run = kubewire(['mixed', '--format', 'sarif', '--sarif-category', 'kubewire/mixed/', '-o', 'sarif-reports/mixed.sarif']);
    expect(run).toEqual({ code: 1, stdout: '', stderr: '' });
    const log = JSON.parse(readFileSync(path.join(work, 'sarif-reports', 'mixed.sarif'), 'utf8')) as {
      version: string;
      runs: {
        automationDetails: { id: string };
        results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
      }[];
    };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]!.automationDetails).toEqual({ id: 'kubewire/mixed/' });
    expect(log.runs[0]!.results.map((r) => [r.ruleId, r.level, r.locations[0]!.physicalLocation.artifactLocation.uri])).toEqual([
      ['service-selector-match', 'warning', 'mixed/lonely.yaml'],
      ['service-selector-match', 'error', 'mixed/typo.yaml'],
    ]);
  });

  it('prints GitHub annotations', () => {
    const run = kubewire(['mixed', '--format', 'github']);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^::error file=mixed\/typo\.yaml,line=8,endLine=8,col=10,endColumn=13,title=kubewire service-selector-match::Service "typo" selects no pods/,
    );
    expect(lines[1]).toContain('%0Aclosest pod template: mixed/deployment.yaml:14:14');
  });
});

describe("rule options (ESLint's array form)", () => {
  const nodePortService =
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: edge\nspec:\n  type: NodePort\n  ports:\n    - port: 80\n      nodePort: 20080\n';

  it('passes options to the rule: a custom node-port range', () => {
    mkdirSync(path.join(work, 'node-ports'), { recursive: true });
    writeFileSync(path.join(work, 'node-ports', 'service.yaml'), nodePortService);
    const only = ['--rule', 'service-selector-match=off'];
    expect(kubewire(['node-ports', ...only, '-f', 'json']).stdout).toContain('"messageId":"outOfRange"');
    const custom = kubewire(['node-ports', ...only, '--rule', 'service-node-port=["error", {"range": "20000-22767"}]']);
    expect(custom).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it.each([
    ['service-node-port=["error", {"rnage": "1-2"}]', 'unknown option "rnage" (options: range)'],
    ['service-node-port=["error", {"range": 5}]', 'option "range" must be a string'],
    ['probe-port=["warn", {"x": 1}]', 'this rule takes no options'],
    ['service-node-port=["error", {"range": "x"}]', 'rule service-node-port failed to start: option "range" must look like'],
    ['service-node-port=[error]', 'options must be JSON'],
  ])('refuses %s with exit code 2', (spec, message) => {
    const run = kubewire(['clean', '--rule', spec]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain('    at ');
  });
});

describe('options', () => {
  it('-o writes the report to a file atomically and prints nothing', () => {
    const target = path.join(work, 'reports', 'out.json');
    const run = kubewire(['mixed', '--format', 'json', '-o', 'reports/out.json']);
    expect(run).toEqual({ code: 1, stdout: '', stderr: '' });
    const written = JSON.parse(readFileSync(target, 'utf8')) as { filePath: string }[];
    expect(written.map((r) => r.filePath)).toEqual(['mixed/deployment.yaml', 'mixed/lonely.yaml', 'mixed/typo.yaml']);
    // No temporary file left beside it.
    expect(readdirSync(path.dirname(target))).toEqual(['out.json']);
  });

  it('-o onto a symbolic link (or a device such as /dev/null) writes through it instead of replacing it', () => {
    mkdirSync(path.join(work, 'linked'), { recursive: true });
    const real = path.join(work, 'linked', 'real.json');
    const link = path.join(work, 'linked', 'report.json');
    writeFileSync(real, '');
    symlinkSync(real, link);
    const run = kubewire(['mixed', '--format', 'json', '-o', 'linked/report.json']);
    expect(run.code).toBe(1);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect((JSON.parse(readFileSync(real, 'utf8')) as unknown[]).length).toBe(3);
    expect(readdirSync(path.dirname(link)).sort()).toEqual(['real.json', 'report.json']);
  });

  it('--quiet reports errors only', () => {
    const run = kubewire(['mixed', '--quiet']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('service-selector-match');
    expect(run.stdout).not.toContain('  warning  ');
    expect(run.stdout).not.toContain('lonely.yaml');
    expect(run.stdout).toContain('1 problem (1 error, 0 warnings)');
    const quietJson = JSON.parse(kubewire(['mixed', '--quiet', '-f', 'json']).stdout) as { warningCount: number; messages: unknown[] }[];
    expect(quietJson.map((r) => [r.warningCount, r.messages.length])).toEqual([
      [0, 0],
      [0, 0],
      [0, 1],
    ]);
  });

  it('--rule <id>=off turns a rule off; =warn lowers it', () => {
    expect(kubewire(['broken', '--rule', 'service-selector-match=off'])).toEqual({ code: 0, stdout: '', stderr: '' });
    const lowered = kubewire(['broken', '--rule', 'service-selector-match=warn']);
    expect(lowered.code).toBe(0);
    expect(lowered.stdout).toContain('broken/typo.yaml:8:10  warning  service-selector-match');
  });

  it('--namespace puts objects without a namespace there', () => {
    // The Service has no namespace: in `default` it selects nothing (the pods are in `shop`).
    const inDefault = kubewire(['unscoped.yaml']);
    // A warning (exit 0): `default` has no workload in the input, so the Deployment in `shop` may be a copy.
    expect(inDefault.code).toBe(0);
    // Reported at spec.selector (line 28): the Deployment in `shop` has the labels, in another namespace.
    expect(inDefault.stdout).toContain('unscoped.yaml:28:3  warning  service-selector-match');
    expect(inDefault.stdout).toContain('but a Service only selects pods in its own namespace ("default")');
    expect(inDefault.stdout).toContain('lint with `--namespace shop`');
    expect(kubewire(['unscoped.yaml', '--namespace', 'shop'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(kubewire(['unscoped.yaml', '-n', 'shop']).code).toBe(0);
  });

  it('reads standard input with `-`, named <stdin>', () => {
    const run = kubewire(['-'], { input: `${deployment}---\n${typoService}` });
    expect(run.code).toBe(1);
    // The typo Service starts at line 23 (21 lines of Deployment, then `---`): its selector value is line 30.
    expect(run.stdout).toContain('<stdin>:30:10  error  service-selector-match');
    expect(run.stdout).toContain('> 30 |     app: wbe');
  });
});

describe('kubewire endpoints', () => {
  it("prints a table of each Service's endpoints", () => {
    const run = kubewire(['endpoints', 'mixed']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        'Service lonely/web (ClusterIP)',
        '  http 80/TCP -> http   NO ENDPOINTS (the selector matches no pods)',
        '',
        'Service shop/typo (ClusterIP)',
        '  http 80/TCP -> http   NO ENDPOINTS (the selector matches no pods)',
        '',
      ].join('\n'),
    );
    const served = kubewire(['endpoints', 'clean']);
    expect(served.stdout).toBe(
      ['Service shop/web (ClusterIP)', '  http 80/TCP -> http   2 pods', '      Deployment/web  2 pods  -> 8080 (container web)', ''].join(
        '\n',
      ),
    );
  });

  it('prints JSON with --format json', () => {
    const run = kubewire(['endpoints', '--format', 'json', 'clean']);
    expect(run.code).toBe(0);
    const reports = JSON.parse(run.stdout) as unknown[];
    expect(reports).toEqual([
      {
        service: { namespace: 'shop', name: 'web', type: 'ClusterIP', headless: false, selector: { app: 'web' } },
        mode: 'selector',
        manual: [],
        operator: null,
        ports: [
          {
            name: 'http',
            port: 80,
            protocol: 'TCP',
            targetPort: 'http',
            pods: 2,
            backends: [{ kind: 'Deployment', name: 'web', pods: 2, container: 'web', containerPort: 8080 }],
            unresolved: [],
          },
        ],
      },
    ]);
  });

  it('refuses a format it does not print', () => {
    const run = kubewire(['endpoints', '--format', 'stylish', 'clean']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"kubewire endpoints" prints text or json, not "stylish"');
  });
});

describe('kubewire rules, --version, --help', () => {
  it('lists every rule', () => {
    const run = kubewire(['rules']);
    expect(run.code).toBe(0);
    const ids = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split(/\s+/)[0]);
    expect(ids).toEqual(allRules.map((r) => r.name).sort());
    const json = JSON.parse(kubewire(['rules', '--format', 'json']).stdout) as { id: string; defaultSeverity: string; url: string }[];
    expect(json.map((r) => r.id)).toEqual(allRules.map((r) => r.name).sort());
    for (const rule of json) expect(rule.url).toBe(`https://github.com/kubewire/kubewire/blob/main/rules-docs/${rule.id}.md`);
  });

  it('prints the version of package.json', () => {
    const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(kubewire(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(kubewire(['-v']).stdout).toBe(`${version}\n`);
  });

  it('prints the help', () => {
    const run = kubewire(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith('Usage: kubewire [options] [paths...]\n')).toBe(true);
    expect(run.stdout).toContain('--max-warnings <n>');
    expect(run.stdout).toContain('Exit codes: 0');
  });
});

describe('the bundled example app', () => {
  it('reports the six findings of examples/README.md with positions and code frames', () => {
    const run = kubewire(['examples/'], { cwd: repoRoot });
    expect(run.code).toBe(1);
    const headers = run.stdout.split('\n').filter((line) => /^examples\/\S+:\d+:\d+ {2}(error|warning) {2}/.test(line));
    expect(headers.map((line) => `${line.split(':')[0]} ${line.split(/\s+/)[2]}`).sort()).toEqual(
      [
        'examples/api.yaml service-node-port',
        'examples/checkout-service.yaml service-selector-match',
        'examples/frontend.yaml service-target-port',
        'examples/ingress.yaml ingress-backend',
        'examples/postgres.yaml statefulset-service-name',
        'examples/worker.yaml yaml-implicit-boolean',
      ].sort(),
    );
    expect(run.stdout).toContain('examples/checkout-service.yaml:13:29  error  service-selector-match');
    expect(run.stdout).toContain('  > 13 |     app.kubernetes.io/name: checkout\n       |                             ^^^^^^^^');
    expect(run.stdout).toContain('✖ 6 problems (5 errors, 1 warning)');
  });
});
