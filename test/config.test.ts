/**
 * The config file (src/config/): discovery, validation messages with positions, presets, overrides,
 * --print-config, the severity of unsure findings, externalPods; and the command line's own errors, colours and
 * clean-run line. The CLI is run as users run it (bin/kubewire.js over dist/), and the GitHub Action as the
 * runner runs it (action/dist/index.js), with the same config: same findings.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { Kubewire } from '../src/api/kubewire.js';
import { configSchema, findConfigFile, loadConfigFile, resolveOptions, CONFIG_SCHEMA_PATH } from '../src/config/index.js';
import { nearestName as closestMatch } from '../src/model/evidence/nearest-name.js';
import { wiringOf } from '../src/model/wiring.js';
import { allRules } from '../src/rules/index.js';
import { ensureBuilt, runKubewire, STACK_FRAME } from './cli-process.js';
import { repoRoot } from './helpers.js';

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A folder with the files given; `.git` makes it a repository root, so discovery stops there. */
function tree(files: Record<string, string>, options: { repository?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubewire-config-'));
  temporary.push(dir);
  if (options.repository !== false) mkdirSync(path.join(dir, '.git'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{name: http, containerPort: 8080}]
`;

/** service-selector-match is sure: `wbe` is a typo of the workload beside it (an error). */
const typoService = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: wbe}, ports: [{port: 80, targetPort: http}]}
`;

/** service-selector-match is unsure: no workloads at all in namespace lonely (a warning). */
const lonelyService = `apiVersion: v1
kind: Service
metadata: {name: lonely, namespace: lonely}
spec: {selector: {app: lonely}, ports: [{port: 80}]}
`;

const nodePortService = (name: string, nodePort: number) => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop}
spec: {type: NodePort, selector: {app: web}, ports: [{port: 80, targetPort: http, nodePort: ${nodePort}}]}
`;

function findings(run: { results: { filePath: string; messages: { ruleId: string; severity: number; line: number }[] }[] }) {
  return run.results
    .flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId} ${m.severity === 2 ? 'error' : 'warn'}`))
    .sort();
}

async function lintWithConfig(dir: string, config?: string, flags: ConstructorParameters<typeof Kubewire>[0] = {}, from = dir) {
  if (config !== undefined) writeFileSync(path.join(dir, 'kubewire.config.yaml'), config);
  const { options } = resolveOptions({ cwd: from, flags });
  return new Kubewire(options).lintFiles([]);
}

beforeAll(() => {
  ensureBuilt();
}, 120_000);

describe('discovery', () => {
  it('finds the config file in the working directory or a folder above, up to the repository root', () => {
    const dir = tree({ '.kubewire.yaml': 'namespace: shop\n', 'apps/web/x.yaml': '' });
    expect(findConfigFile(path.join(dir, 'apps', 'web'))).toBe(path.join(dir, '.kubewire.yaml'));
    const json = tree({ 'kubewire.config.json': '{"namespace": "shop"}' });
    expect(findConfigFile(json)).toBe(path.join(json, 'kubewire.config.json'));
  });

  it('stops at the repository root: a config file above the checkout does not apply', () => {
    const outer = tree({ 'kubewire.config.yaml': 'namespace: outer\n' }, { repository: false });
    const checkout = path.join(outer, 'checkout');
    mkdirSync(path.join(checkout, '.git'), { recursive: true });
    mkdirSync(path.join(checkout, 'k8s'));
    expect(findConfigFile(path.join(checkout, 'k8s'))).toBeUndefined();
    // A worktree's or submodule's .git is a file: the root all the same.
    rmSync(path.join(checkout, '.git'), { recursive: true });
    writeFileSync(path.join(checkout, '.git'), 'gitdir: ../elsewhere\n');
    expect(findConfigFile(path.join(checkout, 'k8s'))).toBeUndefined();
    // Outside any repository the search goes on upward (as ESLint's).
    rmSync(path.join(checkout, '.git'));
    expect(findConfigFile(path.join(checkout, 'k8s'))).toBe(path.join(outer, 'kubewire.config.yaml'));
  });

  it('refuses two config files in one folder', () => {
    const dir = tree({ 'kubewire.config.yaml': '', '.kubewire.yaml': '' });
    expect(() => findConfigFile(dir)).toThrow(/\.kubewire\.yaml is in the same folder: keep one config file/);
  });

  it('--config names a file, --no-config reads none (the command line)', () => {
    const dir = tree({
      'k8s/svc.yaml': lonelyService,
      'kubewire.config.yaml': 'rules: {service-selector-match: off}\n',
      'strict.yaml': 'rules: {service-selector-match: [error, {unsure: error}]}\n',
    });
    const cwd = path.join(dir, 'k8s');
    expect(runKubewire(['.'], { cwd }).status).toBe(0);
    expect(runKubewire(['.'], { cwd }).stdout).toBe('');
    const named = runKubewire(['--config', '../strict.yaml', '.'], { cwd });
    expect(named.status).toBe(1);
    expect(named.stdout).toContain('svc.yaml:4:8  error  service-selector-match');
    const none = runKubewire(['--no-config', '.'], { cwd });
    expect(none.status).toBe(0);
    expect(none.stdout).toContain('svc.yaml:4:8  warning  service-selector-match');
    const missing = runKubewire(['-c', 'nope.yaml', '.'], { cwd });
    expect(missing).toMatchObject({ status: 2, stdout: '' });
    expect(missing.stderr).toBe('kubewire: nope.yaml: no such file\n');
  });

  it('reads data only: a config that would run code is refused', () => {
    const dir = tree({ 'kubewire.config.js': 'export default {}\n', 'svc.yaml': lonelyService });
    const run = runKubewire(['--config', 'kubewire.config.js', '.'], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('kubewire.config.js: kubewire reads config files in YAML or JSON only');
  });
});

describe('validation: every mistake, with file, line, column, key, what is allowed and a close match', () => {
  const mistakes = `extends: kubewire:recomended
namespace: Shop
kubernetesVersion: 1.30
rules:
  servce-node-port: error
  service-selector-match: erorr
  service-node-port: [error, {rnage: "1-2"}]
  probe-port: [warn, {unsure: loud}]
  nosuchrule: off
ignorr: [x]
externalPods:
  - labels: {enabled: true}
overrides:
  - files: legacy/**
    rules: {}
  - rules: {probe-port: warn}
reportUnusedDisableDirectives: sometimes
`;

  it('lists them all, in file order, and exits 2', () => {
    const dir = tree({ 'kubewire.config.yaml': mistakes, 'svc.yaml': lonelyService });
    const run = runKubewire(['.'], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      'kubewire: kubewire.config.yaml:1:10: extends: unknown preset "kubewire:recomended" (did you mean "kubewire:recommended"?); the presets are kubewire:recommended, kubewire:strict, kubewire:all',
      'kubewire: kubewire.config.yaml:2:12: namespace: must be a namespace name: at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit',
      'kubewire: kubewire.config.yaml:3:20: kubernetesVersion: must be a string: YAML reads 1.30 as the number 1.3; quote it: kubernetesVersion: "1.30"',
      'kubewire: kubewire.config.yaml:5:21: rules.servce-node-port: unknown rule "servce-node-port" (did you mean "service-node-port"?)',
      'kubewire: kubewire.config.yaml:6:27: rules.service-selector-match: severity must be off, warn or error, not "erorr" (did you mean "error"?)',
      'kubewire: kubewire.config.yaml:7:30: rules.service-node-port: unknown option "rnage" (options: range)',
      'kubewire: kubewire.config.yaml:8:31: rules.probe-port: "unsure" must be off, warn or error, not "loud"',
      'kubewire: kubewire.config.yaml:9:15: rules.nosuchrule: unknown rule "nosuchrule"; `kubewire rules` lists them',
      'kubewire: kubewire.config.yaml:10:1: ignorr: unknown setting "ignorr" (did you mean "ignore"?); allowed here: extends, rules, namespace, kubernetesVersion, ignore, context, reportUnusedDisableDirectives, externalPods, overrides',
      'kubewire: kubewire.config.yaml:12:23: externalPods[0].labels.enabled: must be a string; quote it: "true" (YAML reads true unquoted as a boolean)',
      'kubewire: kubewire.config.yaml:14:12: overrides[0].files: must be a list of globs, e.g. [legacy/**]',
      'kubewire: kubewire.config.yaml:16:5: overrides[1]: needs "files" (Globs of the files, relative to this file (legacy/**))',
      'kubewire: kubewire.config.yaml:17:32: reportUnusedDisableDirectives: must be off, warn, error, not "sometimes"',
    ]);
  });

  it('reads JSON with positions too, and YAML syntax errors with theirs', () => {
    const json = tree({ 'kubewire.config.json': '{\n  "rules": {\n    "probe-port": "of"\n  }\n}\n' });
    expect(() => loadConfigFile(path.join(json, 'kubewire.config.json'), json, allRules)).toThrow(
      'kubewire.config.json:3:19: rules.probe-port: severity must be off, warn or error, not "of" (did you mean "off"?)',
    );
    const broken = tree({ 'kubewire.config.yaml': 'rules:\n  probe-port: [warn\n' });
    expect(() => loadConfigFile(path.join(broken, 'kubewire.config.yaml'), broken, allRules)).toThrow(/^kubewire\.config\.yaml:\d+:\d+: /);
    const twice = tree({ 'kubewire.config.yaml': 'rules:\n  probe-port: warn\n  probe-port: off\n' });
    expect(() => loadConfigFile(path.join(twice, 'kubewire.config.yaml'), twice, allRules)).toThrow(
      /kubewire\.config\.yaml:3:3: .*probe-port/,
    );
  });

  it('suggests only close matches', () => {
    expect(closestMatch('erorr', ['off', 'warn', 'error'])).toBe('error');
    expect(
      closestMatch(
        'service-selector-matches',
        allRules.map((r) => r.name),
      ),
    ).toBe('service-selector-match');
    expect(
      closestMatch(
        'nosuchrule',
        allRules.map((r) => r.name),
      ),
    ).toBeUndefined();
    expect(closestMatch('x', ['off', 'warn', 'error'])).toBeUndefined();
  });

  it('reads `off` as the word, though YAML 1.1 makes it a boolean', () => {
    const dir = tree({
      'kubewire.config.yaml': 'rules:\n  probe-port: off\n  schema: [off]\n  service-selector-match: [error, {unsure: off}]\n',
    });
    const { data } = loadConfigFile(path.join(dir, 'kubewire.config.yaml'), dir, allRules);
    expect(data.rules).toEqual({ 'probe-port': 'off', schema: ['off'], 'service-selector-match': ['error', { unsure: 'off' }] });
  });

  it('an empty config file is the defaults', () => {
    const dir = tree({ 'kubewire.config.yaml': '# nothing yet\n' });
    expect(loadConfigFile(path.join(dir, 'kubewire.config.yaml'), dir, allRules).data).toEqual({});
  });
});

describe('the severity of unsure findings', () => {
  it("is a warning whatever the rule's severity, unless the shared option `unsure` says otherwise", async () => {
    const dir = tree({ 'lonely.yaml': lonelyService, 'deploy.yaml': deployment, 'typo.yaml': typoService });
    const run = (rules: Record<string, unknown>) => new Kubewire({ cwd: dir, rules: rules as never }).lintFiles(['.']).then(findings);
    expect(await run({})).toEqual(['lonely.yaml:4 service-selector-match warn', 'typo.yaml:4 service-selector-match error']);
    expect(await run({ 'service-selector-match': 'error' })).toEqual([
      'lonely.yaml:4 service-selector-match warn',
      'typo.yaml:4 service-selector-match error',
    ]);
    expect(await run({ 'service-selector-match': ['error', { unsure: 'error' }] })).toEqual([
      'lonely.yaml:4 service-selector-match error',
      'typo.yaml:4 service-selector-match error',
    ]);
    expect(await run({ 'service-selector-match': ['error', { unsure: 'off' }] })).toEqual(['typo.yaml:4 service-selector-match error']);
    expect(await run({ 'service-selector-match': 'warn' })).toEqual([
      'lonely.yaml:4 service-selector-match warn',
      'typo.yaml:4 service-selector-match warn',
    ]);
  });

  it("is taken out before the rule's own options are checked", () => {
    expect(() => new Kubewire({ rules: { 'service-node-port': ['error', { unsure: 'error', range: '20000-22767' }] } })).not.toThrow();
    expect(() => new Kubewire({ rules: { 'probe-port': ['error', { unsure: 'error', other: 1 }] } })).toThrow('this rule takes no options');
    expect(() => new Kubewire({ rules: { 'service-node-port': ['error', { unsure: 'error', rnage: '1-2' }] } })).toThrow(
      'unknown option "rnage" (options: range)',
    );
  });

  it('no rule has an option of its own named unsure', () => {
    for (const rule of allRules) {
      for (const schema of rule.meta.schema)
        expect(Object.keys((schema.properties as object | undefined) ?? {}), rule.name).not.toContain('unsure');
    }
  });

  it('--rule sets both, and `kubewire rules` shows both (text and JSON)', () => {
    const dir = tree({ 'lonely.yaml': lonelyService });
    const raised = runKubewire(['--rule', 'service-selector-match=["error",{"unsure":"error"}]', '.'], { cwd: dir });
    expect(raised.status).toBe(1);
    expect(raised.stdout).toContain('lonely.yaml:4:8  error  service-selector-match');
    const text = runKubewire(['rules'], { cwd: dir }).stdout;
    expect(text).toMatch(/^service-selector-match +error +unsure: warn +Require/m);
    expect(text).toMatch(/^pdb-selector-match +warn +unsure: warn +Require/m);
    const json = JSON.parse(runKubewire(['rules', '--format', 'json'], { cwd: dir }).stdout) as {
      id: string;
      defaultSeverity: string;
      unsureSeverity: string;
    }[];
    expect(json.find((r) => r.id === 'service-selector-match')).toMatchObject({ defaultSeverity: 'error', unsureSeverity: 'warn' });
  });
});

describe('presets', () => {
  const files = {
    'lonely.yaml': lonelyService,
    'deploy.yaml': deployment,
    'typo.yaml': typoService,
    'pdb.yaml': `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec: {maxUnavailable: 1}
`,
  };

  it('recommended is the defaults; strict makes every rule an error; all makes unsure findings errors too', async () => {
    const dir = tree(files);
    const defaults = findings(await lintWithConfig(dir));
    expect(defaults).toEqual([
      'lonely.yaml:4 service-selector-match warn',
      'pdb.yaml:4 pdb-selector-match warn',
      'typo.yaml:4 service-selector-match error',
    ]);
    expect(findings(await lintWithConfig(dir, 'extends: kubewire:recommended\n'))).toEqual(defaults);
    // pdb-selector-match warns by default (a budget without a selector): strict makes it an error; the unsure
    // Service stays a warning.
    expect(findings(await lintWithConfig(dir, 'extends: kubewire:strict\n'))).toEqual([
      'lonely.yaml:4 service-selector-match warn',
      'pdb.yaml:4 pdb-selector-match error',
      'typo.yaml:4 service-selector-match error',
    ]);
    expect(findings(await lintWithConfig(dir, 'extends: [kubewire:all]\nrules: {pdb-selector-match: warn}\n'))).toEqual([
      'lonely.yaml:4 service-selector-match error',
      'pdb.yaml:4 pdb-selector-match warn',
      'typo.yaml:4 service-selector-match error',
    ]);
  });

  it('are made from the rules: each preset names every rule', async () => {
    const { PRESETS } = await import('../src/config/presets.js');
    for (const make of Object.values(PRESETS)) expect(Object.keys(make(allRules)).sort()).toEqual(allRules.map((r) => r.name).sort());
    expect(PRESETS['kubewire:strict'](allRules)['pdb-selector-match']).toBe('error');
  });
});

describe('overrides', () => {
  it('give the files they match their own severities and options; flags come last', async () => {
    const dir = tree({
      'app/deploy.yaml': deployment,
      'app/typo.yaml': typoService,
      'legacy/typo.yaml': typoService.replace('name: web', 'name: old'),
      'app/np.yaml': nodePortService('np-app', 25000),
      'legacy/np.yaml': nodePortService('np-legacy', 25001),
    });
    const config = `rules:
  service-node-port: [error, {range: 30000-32767}]
overrides:
  - files: [legacy/**]
    rules:
      service-selector-match: warn
      service-node-port: [error, {range: 20000-29999}]
`;
    // app/np.yaml is outside 30000-32767; legacy/np.yaml is inside its folder's range: one rule, two option sets.
    expect(findings(await lintWithConfig(dir, config))).toEqual([
      'app/np.yaml:4 service-node-port error',
      'app/typo.yaml:4 service-selector-match error',
      'legacy/typo.yaml:4 service-selector-match warn',
    ]);
    // Globs are relative to the config file, wherever kubewire runs.
    const fromLegacy = await lintWithConfig(dir, undefined, {}, path.join(dir, 'legacy'));
    // (legacy/np.yaml's node port is inside the range its override sets: no service-node-port error.)
    expect(findings(fromLegacy)).toEqual(['np.yaml:4 service-selector-match warn', 'typo.yaml:4 service-selector-match warn']);
    // --rule wins over the file, overrides included.
    expect(findings(await lintWithConfig(dir, undefined, { rules: { 'service-selector-match': 'off' } }))).toEqual([
      'app/np.yaml:4 service-node-port error',
    ]);
  });

  it('--print-config shows what applies to one file, defaults filled in', () => {
    const dir = tree({
      'kubewire.config.yaml':
        'namespace: shop\nrules: {service-node-port: [warn, {range: 20000-22767}]}\noverrides:\n  - files: [legacy/**]\n    rules: {service-node-port: error, probe-port: off}\n',
      'legacy/a.yaml': lonelyService,
    });
    const legacy = runKubewire(['--print-config', 'legacy/a.yaml'], { cwd: dir });
    expect(legacy.status).toBe(0);
    const printed = JSON.parse(legacy.stdout) as { configFile: string; namespace: string; rules: Record<string, unknown[]> };
    expect(printed).toMatchObject({ configFile: 'kubewire.config.yaml', filePath: 'legacy/a.yaml', namespace: 'shop' });
    expect(printed.rules['service-node-port']).toEqual(['error', { unsure: 'warn', range: '20000-22767' }]);
    expect(printed.rules['probe-port']).toEqual(['off', { unsure: 'warn' }]);
    const other = JSON.parse(runKubewire(['--print-config', 'other.yaml', '--namespace', 'prod'], { cwd: dir }).stdout) as typeof printed;
    expect(other.namespace).toBe('prod');
    expect(other.rules['service-node-port']).toEqual(['warn', { unsure: 'warn', range: '20000-22767' }]);
    expect(other.rules['probe-port']).toEqual(['error', { unsure: 'warn' }]);
  });
});

describe('settings of the file', () => {
  it('namespace, kubernetesVersion and ignore apply; flags win', async () => {
    const unscoped = lonelyService
      .replace('namespace: lonely', 'namespace: shop')
      .replace(', namespace: shop', '')
      .replace('app: lonely', 'app: wbe');
    const dir = tree({ 'deploy.yaml': deployment, 'svc.yaml': unscoped, 'vendor/typo.yaml': typoService });
    // In namespace shop (from the file) the Service's typo is near the Deployment: an error; vendor/ is not read.
    const run = await lintWithConfig(dir, 'namespace: shop\nignore: [vendor/**]\nkubernetesVersion: "1.30"\n');
    expect(findings(run)).toEqual(['svc.yaml:4 service-selector-match error']);
    const flagged = await lintWithConfig(dir, undefined, { namespace: 'elsewhere' });
    expect(findings(flagged)).toEqual(['svc.yaml:4 service-selector-match warn']);
  });

  it('ignore globs are relative to the config file, whose folder may hold glob syntax: `app (1)/[env]`', async () => {
    const root = tree({});
    const dir = path.join(root, 'app (1)', '[env]');
    mkdirSync(path.join(dir, 'vendor'), { recursive: true });
    writeFileSync(path.join(dir, 'deploy.yaml'), deployment);
    writeFileSync(path.join(dir, 'vendor', 'typo.yaml'), typoService);
    expect(findings(await lintWithConfig(dir, '{}\n'))).toEqual(['vendor/typo.yaml:4 service-selector-match error']);
    expect(findings(await lintWithConfig(dir, 'ignore: [vendor/**]\n'))).toEqual([]);
  });

  it('reportUnusedDisableDirectives sets the severity of a directive that silences nothing; the flag wins', () => {
    const dir = tree({ 'a.yaml': '# kubewire-disable-next-line probe-port\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' });
    expect(runKubewire(['.'], { cwd: dir }).stdout).toContain('a.yaml:1:1  warning  disable-directive');
    writeFileSync(path.join(dir, 'kubewire.config.yaml'), 'reportUnusedDisableDirectives: error\n');
    expect(runKubewire(['.'], { cwd: dir })).toMatchObject({ status: 1 });
    writeFileSync(path.join(dir, 'kubewire.config.yaml'), 'reportUnusedDisableDirectives: off\n');
    expect(runKubewire(['.'], { cwd: dir })).toMatchObject({ status: 0, stdout: '' });
    expect(runKubewire(['--report-unused-disable-directives', '.'], { cwd: dir }).status).toBe(1);
  });

  it('externalPods: selecting pods other systems create is selecting something, and their ports are not judged', async () => {
    const kafka = `apiVersion: v1
kind: Service
metadata: {name: kafka, namespace: shop}
spec: {selector: {strimzi.io/cluster: events}, ports: [{port: 9092, targetPort: clients}]}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: kafka, namespace: shop}
spec: {maxUnavailable: 1, selector: {matchLabels: {strimzi.io/cluster: events}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: kafka, namespace: shop}
spec:
  podSelector: {matchLabels: {strimzi.io/cluster: events}}
  ingress: [{ports: [{port: clients}]}]
`;
    // A Service whose pods are partly external: the port cannot be checked on those.
    const mixed = `apiVersion: v1
kind: Service
metadata: {name: mixed, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: nosuchport}]}
`;
    const dir = tree({ 'deploy.yaml': deployment, 'kafka.yaml': kafka, 'mixed.yaml': mixed });
    const without = findings(await lintWithConfig(dir, ''));
    expect(without).toContain('kafka.yaml:4 service-selector-match warn');
    expect(without).toContain('mixed.yaml:4 service-target-port error');
    const config =
      'externalPods:\n  - namespace: shop\n    labels: {strimzi.io/cluster: events, strimzi.io/kind: Kafka}\n  - labels: {app: web, managed-by: operator}\n';
    const declared = await lintWithConfig(dir, config);
    expect(findings(declared)).toEqual([]);
    // The wiring diagram draws them as pods from elsewhere, not as a Service without endpoints.
    const wiring = wiringOf(declared.graph);
    const kafkaEdge = wiring.edges.find((e) => e.from === wiring.nodes.find((n) => n.kind === 'Service' && n.name === 'kafka')?.id);
    expect(kafkaEdge).toMatchObject({ via: 'endpoints', label: 'external pods', state: 'ok' });
    // In another namespace than declared, they are not those pods.
    expect(findings(await lintWithConfig(dir, config.replace('namespace: shop', 'namespace: other')))).toContain(
      'kafka.yaml:4 service-selector-match warn',
    );
  });
});

describe("the README's example config", () => {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Configuring kubewire'),
    readme.indexOf('\n## ', readme.indexOf('## Configuring kubewire') + 5),
  );
  const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';

  it('loads and validates, shows the schema line, and sets every setting there is', () => {
    const dir = tree({ 'kubewire.config.yaml': example });
    const { data } = loadConfigFile(path.join(dir, 'kubewire.config.yaml'), dir, allRules);
    expect(example.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=https://raw.githubusercontent.com/kubewire/kubewire/main/schema/kubewire.config.schema.json',
    );
    const settings = Object.keys(configSchema(allRules).properties as object).filter((k) => k !== '$schema');
    expect(Object.keys(data).sort()).toEqual(settings.sort());
    expect(() => resolveOptions({ cwd: dir })).not.toThrow();
    expect(() => new Kubewire(resolveOptions({ cwd: dir }).options)).not.toThrow();
  });
});

describe('the shipped schema', () => {
  it('is the one kubewire validates with (npm run gen:config-schema writes it)', () => {
    const shipped = JSON.parse(readFileSync(path.join(repoRoot, CONFIG_SCHEMA_PATH), 'utf8')) as unknown;
    expect(shipped, 'schema/kubewire.config.schema.json is stale: run npm run gen:config-schema').toEqual(configSchema(allRules));
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('schema');
  });

  it('is valid JSON Schema draft-07, rule entries included', () => {
    expect(() => new Ajv({ strict: false }).compile(configSchema(allRules))).not.toThrow();
  });

  it('gives editors each rule with its options', () => {
    const schema = configSchema(allRules) as { definitions: { rules: { properties: Record<string, unknown> } } };
    expect(Object.keys(schema.definitions.rules.properties).sort()).toEqual(allRules.map((r) => r.name).sort());
    expect(JSON.stringify(schema.definitions.rules.properties['service-node-port'])).toContain('"range"');
  });
});

describe('the command line, as the ecosystem expects', () => {
  const clean = { 'deploy.yaml': deployment, 'svc.yaml': typoService.replace('app: wbe', 'app: web') };

  it.each([
    [['--fix', '.'], 'kubewire: unknown option --fix: kubewire does not change manifests; each finding says what to change'],
    [['--formt', 'json', '.'], 'kubewire: unknown option --formt (did you mean --format?)'],
    [['--nosuchoption', '.'], 'kubewire: unknown option --nosuchoption\n'],
    [['--format'], 'kubewire: --format needs a value'],
    [['--quiet=yes', '.'], 'kubewire: --quiet takes no value'],
    [['--max-warnings', '-2', '.'], 'kubewire: --max-warnings takes a whole number of warnings (0 or more), or -1 for no limit; not "-2"'],
  ])("%j: in kubewire's words, never Node's", (args, message) => {
    const run = runKubewire(args, { cwd: tree(clean) });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain('To specify a positional argument');
    expect(run.stderr).not.toContain('ambiguous');
  });

  it('--max-warnings -1 is no limit, as in ESLint', () => {
    const dir = tree({ 'lonely.yaml': lonelyService });
    expect(runKubewire(['--max-warnings', '-1', '.'], { cwd: dir }).status).toBe(0);
    expect(runKubewire(['--max-warnings=-1', '.'], { cwd: dir }).status).toBe(0);
    expect(runKubewire(['--max-warnings', '0', '.'], { cwd: dir }).status).toBe(1);
  });

  it('-o says why a report cannot be written; a missing folder is created', () => {
    const dir = tree({ ...clean, 'a-file': 'x' });
    expect(runKubewire(['-o', 'new/folder/report.txt', '.'], { cwd: dir }).status).toBe(0);
    expect(readFileSync(path.join(dir, 'new', 'folder', 'report.txt'), 'utf8')).toBe('');
    mkdirSync(path.join(dir, 'out'));
    const directory = runKubewire(['-o', 'out', '.'], { cwd: dir });
    expect(directory.status).toBe(2);
    expect(directory.stderr).toBe(
      `kubewire: cannot write the report to out: out is a directory; name a file in it, e.g. ${path.join('out', 'kubewire-report.txt')}\n`,
    );
    const underFile = runKubewire(['-o', 'a-file/report.txt', '.'], { cwd: dir });
    expect(underFile.stderr).toBe('kubewire: cannot write the report to a-file/report.txt: a part of a-file is a file, not a folder\n');
    // Node 20's recursive mkdir never returns below /proc: kubewire must still answer.
    const underProc = runKubewire(['-o', '/proc/kubewire-none/report.txt', '.'], { cwd: dir });
    expect(underProc.status).toBe(2);
    expect(underProc.stderr).toBe(
      'kubewire: cannot write the report to /proc/kubewire-none/report.txt: /proc/kubewire-none does not exist and cannot be created there\n',
    );
    const locked = path.join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(dir, 0o755);
    chmodSync(locked, 0o555);
    // As an unprivileged user (root may write anywhere).
    const denied = runKubewire(['-o', 'locked/report.txt', '.'], { cwd: dir, uid: 65534, gid: 65534 });
    expect(denied.stderr).toBe(
      'kubewire: cannot write the report to locked/report.txt: permission denied: this user may not write to locked\n',
    );
    expect(denied.status).toBe(2);
  });

  it('FORCE_COLOR is honoured as Node reads it, over NO_COLOR; --no-color over both', () => {
    const dir = tree({ 'lonely.yaml': lonelyService });
    const ansi = new RegExp(String.fromCharCode(27) + '\\[');
    expect(runKubewire(['.'], { cwd: dir }).stdout).not.toMatch(ansi);
    for (const value of ['1', '2', '3', '', 'true'])
      expect(runKubewire(['.'], { cwd: dir, env: { FORCE_COLOR: value } }).stdout, value).toMatch(ansi);
    for (const value of ['0', 'false'])
      expect(runKubewire(['.'], { cwd: dir, env: { FORCE_COLOR: value, NO_COLOR: '' } }).stdout, value).not.toMatch(ansi);
    expect(runKubewire(['--no-color', '.'], { cwd: dir, env: { FORCE_COLOR: '1' } }).stdout).not.toMatch(ansi);
  });

  it("a clean run says so in one line on a terminal's standard error, and nothing when piped", () => {
    const dir = tree(clean);
    expect(runKubewire(['.'], { cwd: dir })).toMatchObject({ status: 0, stdout: '', stderr: '' });
    // script(1) gives the run a terminal, as a person's shell does.
    const inTerminal = spawnSync('script', ['-qec', `${process.execPath} ${path.join(repoRoot, 'bin', 'kubewire.js')} .`, '/dev/null'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(inTerminal.status).toBe(0);
    expect(inTerminal.stdout.replace(/\r/g, '')).toBe('2 files, 2 objects: no problems\n');
    // Machine output on a terminal: the line is on standard error, never in the report.
    const json = spawnSync(
      'script',
      ['-qec', `${process.execPath} ${path.join(repoRoot, 'bin', 'kubewire.js')} --format json . 2>/dev/null`, '/dev/null'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(() => JSON.parse(json.stdout)).not.toThrow();
  });
});

describe('the same settings give the same results from the CLI and the GitHub Action', () => {
  const BUNDLE = path.join(repoRoot, 'action', 'dist', 'index.js');

  function runAction(workspace: string, inputs: Record<string, string>) {
    const runner = mkdtempSync(path.join(tmpdir(), 'kubewire-runner-'));
    temporary.push(runner);
    const output = path.join(runner, 'output');
    writeFileSync(output, '');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: output,
      RUNNER_TEMP: runner,
    };
    for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
    const run = spawnSync(process.execPath, [BUNDLE], { cwd: runner, env, encoding: 'utf8', timeout: 60_000 });
    const annotations = run.stdout.split('\n').filter((l) => /^::(error|warning) /.test(l) && l.includes('title=kubewire '));
    return { status: run.status, stdout: run.stdout, annotations, outputs: readFileSync(output, 'utf8') };
  }

  const workspace = () =>
    tree({
      'kubewire.config.yaml': `namespace: shop
rules:
  service-selector-match: [error, {unsure: error}]
overrides:
  - files: [legacy/**]
    rules: {service-selector-match: [warn, {unsure: warn}]}
`,
      'clusters/prod/deploy.yaml': deployment,
      'clusters/prod/svc.yaml': typoService.replace(', namespace: shop', ''),
      'clusters/prod/lonely.yaml': lonelyService,
      'legacy/svc.yaml': typoService.replace('name: web', 'name: old'),
    });

  it('finds the config from the working directory up, applies its rules and overrides, and agrees finding for finding', () => {
    const dir = workspace();
    const cli = runKubewire(['--format', 'json', 'clusters/prod', 'legacy'], { cwd: dir });
    const cliFindings = (
      JSON.parse(cli.stdout) as { filePath: string; messages: { line: number; column: number; ruleId: string; severity: number }[] }[]
    )
      .flatMap((r) =>
        r.messages.map((m) => `${m.severity === 2 ? 'error' : 'warning'} file=${r.filePath},line=${m.line},col=${m.column} ${m.ruleId}`),
      )
      .sort();
    expect(cliFindings).toEqual([
      'error file=clusters/prod/lonely.yaml,line=4,col=8 service-selector-match',
      'error file=clusters/prod/svc.yaml,line=4,col=24 service-selector-match',
      'warning file=legacy/svc.yaml,line=4,col=24 service-selector-match',
    ]);
    const action = runAction(dir, { files: '.\n../../legacy', 'working-directory': 'clusters/prod' });
    expect(action.stdout).toContain('kubewire: settings from kubewire.config.yaml');
    const actionFindings = action.annotations
      .map((l) => {
        const [, level, rule, file, line, col] =
          /^::(error|warning) title=kubewire ([\w-]+),file=([^,]+),line=(\d+),endLine=\d+,col=(\d+)/.exec(l) ?? [];
        return `${level} file=${file},line=${line},col=${col} ${rule}`;
      })
      .sort();
    expect(actionFindings).toEqual(cliFindings);
    expect(action.status).toBe(1);
  });

  it('the config input names the file; a mistake in it is an annotation at its line', () => {
    const dir = workspace();
    writeFileSync(path.join(dir, 'ci.kubewire.yaml'), 'rules:\n  service-selector-match: erorr\n');
    const action = runAction(dir, { config: 'ci.kubewire.yaml' });
    expect(action.status).toBe(1);
    expect(action.stdout).toContain(
      '::error title=kubewire configuration,file=ci.kubewire.yaml,line=2,col=27::ci.kubewire.yaml:2:27: rules.service-selector-match: severity must be off, warn or error, not "erorr" (did you mean "error"?)',
    );
    const cli = runKubewire(['--config', 'ci.kubewire.yaml'], { cwd: dir });
    expect(cli.status).toBe(2);
    expect(cli.stderr).toContain(
      'ci.kubewire.yaml:2:27: rules.service-selector-match: severity must be off, warn or error, not "erorr" (did you mean "error"?)',
    );
  });
});

// The config file parses with kubewire's loader; the `yaml` package agrees on the example's data.
describe('sanity', () => {
  it('the README example reads the same with the yaml package', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const start = readme.indexOf('# yaml-language-server:');
    const example = readme.slice(start, readme.indexOf('```', start));
    const viaYaml = parseYaml(example) as Record<string, unknown>;
    const dir = tree({ 'kubewire.config.yaml': example });
    const viaKubewire = loadConfigFile(path.join(dir, 'kubewire.config.yaml'), dir, allRules).data;
    expect(viaKubewire).toEqual(viaYaml);
  });
});
