/**
 * The API every host runs on (src/api): results with their summary, suppressed findings kept, rule
 * configuration validated against each rule's schema, reporters by name; and the boundaries of the house
 * (rules import only the authoring surface, the engine names no rule, the published types need no devDependency).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kubewire, loadFormatter, RuleConfigError, UsageError } from '../src/index.js';
import { ensureBuilt } from './cli-process.js';
import { repoRoot } from './helpers.js';
import { webDeployment } from './support/shop-manifests.js';

const service = (annotations = '') => `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
${annotations}spec:
  selector:
    app: wbe
  ports:
  - port: 80
    targetPort: 8080
---
${webDeployment}`;

describe('Kubewire', () => {
  it('lints text and sums up the run', async () => {
    const run = await new Kubewire().lintText(service(), { filePath: 'k8s/web.yaml' });
    expect(run.results.map((r) => r.filePath)).toEqual(['k8s/web.yaml']);
    expect(run).toMatchObject({
      errorCount: 1,
      warningCount: 0,
      fatalErrorCount: 0,
      suppressedCount: 0,
      exitStatus: 1,
      tooManyWarnings: false,
    });
    expect(run.results[0]!.messages[0]).toMatchObject({ ruleId: 'service-selector-match', line: 8, column: 10 });
    expect(run.sourceOf('k8s/web.yaml')?.lineText(8)).toBe('    app: wbe');
  });

  it('keeps findings silenced by kubewire.io/ignore as suppressed messages, with where and why', async () => {
    const annotated = service('  annotations:\n    kubewire.io/ignore: "probe-port, service-selector-match"\n');
    const run = await new Kubewire().lintText(annotated, { filePath: 'web.yaml' });
    expect(run).toMatchObject({ errorCount: 0, warningCount: 0, suppressedCount: 1, exitStatus: 0 });
    const [suppressed] = run.results[0]!.suppressedMessages;
    expect(suppressed).toMatchObject({
      ruleId: 'service-selector-match',
      severity: 2,
      line: 10,
      suppressions: [
        {
          kind: 'directive',
          justification: 'silenced on Service shop/web by its kubewire.io/ignore annotation',
          location: { filePath: 'web.yaml', line: 7, column: 25 },
        },
      ],
    });
  });

  it('applies quiet and maxWarnings to the counts and the exit status', async () => {
    const lonely =
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: lonely\nspec:\n  selector:\n    app: lonely\n  ports:\n  - port: 80\n';
    const loose = await new Kubewire().lintText(lonely);
    expect(loose).toMatchObject({ errorCount: 0, warningCount: 1, exitStatus: 0 });
    expect(await new Kubewire({ maxWarnings: 0 }).lintText(lonely)).toMatchObject({ tooManyWarnings: true, exitStatus: 1, maxWarnings: 0 });
    const quiet = await new Kubewire({ quiet: true, maxWarnings: 0 }).lintText(lonely);
    expect(quiet).toMatchObject({ warningCount: 0, exitStatus: 0 });
    expect(quiet.results[0]!.messages).toEqual([]);
  });

  it('marks the findings of rules that declare meta.fatal as fatal', async () => {
    const run = await new Kubewire().lintText('apiVersion: v1\nkind: ConfigMap\ndata: {a: 1\n', { filePath: 'broken.yaml' });
    expect(run.fatalErrorCount).toBe(1);
    expect(run.results[0]!.messages[0]).toMatchObject({ ruleId: 'yaml-syntax', fatal: true });
    const fatalRules = Kubewire.rules()
      .filter((r) => r.meta.fatal)
      .map((r) => r.name);
    expect(fatalRules).toEqual(['input-unreadable', 'yaml-syntax']);
  });

  it('refuses nothing to lint with a UsageError', async () => {
    const dir = path.join(repoRoot, 'rules-docs');
    await expect(new Kubewire({ cwd: dir }).lintFiles([])).rejects.toThrow(UsageError);
  });
});

describe('rule configuration, validated by ajv against meta.schema', () => {
  it.each([
    [{ 'service-node-port': ['error', { rnage: '1-2' }] }, 'unknown option "rnage" (options: range)'],
    [{ 'service-node-port': ['error', { range: 5 }] }, 'option "range" must be a string'],
    [{ 'service-node-port': ['error', 'x'] }, 'options must be an object'],
    [{ 'service-node-port': ['error', {}, {}] }, 'this rule takes 1 option'],
    [{ 'probe-port': ['warn', { x: 1 }] }, 'this rule takes no options'],
    [{ 'probe-port': 'loud' }, 'severity must be off, warn or error, not "loud"'],
    [{ 'probe-port': 3 }, 'severity must be off, warn or error, not 3'],
    [{ 'probe-prot': 'off' }, 'unknown rule "probe-prot" (did you mean "probe-port"?)'],
  ] as const)('refuses %j', (rules, problem) => {
    let error: unknown;
    try {
      new Kubewire({ rules: rules as never });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RuleConfigError);
    expect((error as RuleConfigError).problem).toBe(problem);
  });

  it('takes ESLint severities as words and numbers, and options laid over the defaults', async () => {
    const nodePort =
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: edge\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 20080\n';
    const base = { 'service-selector-match': 0 } as const;
    expect((await new Kubewire({ rules: base }).lintText(nodePort)).errorCount).toBe(1);
    const custom = await new Kubewire({ rules: { ...base, 'service-node-port': ['error', { range: '20000-22767' }] } }).lintText(nodePort);
    expect(custom.errorCount).toBe(0);
    expect((await new Kubewire({ rules: { ...base, 'service-node-port': 'warn' } }).lintText(nodePort)).warningCount).toBe(1);
  });
});

describe('loadFormatter', () => {
  it('gives every format by name and refuses an unknown one', async () => {
    const run = await new Kubewire().lintText(service(), { filePath: 'web.yaml' });
    expect(JSON.parse(loadFormatter('json').format(run))).toEqual(run.results);
    expect(new Kubewire().loadFormatter('stylish').format(run)).toContain('web.yaml:8:10  error  service-selector-match');
    expect(() => loadFormatter('xml')).toThrow('unknown format "xml"');
  });
});

describe('the house', () => {
  const sourcesIn = (dir: string): string[] =>
    readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? sourcesIn(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
    );

  it('rules import kubewire only through the authoring surface (src/api/authoring.ts) and the model', () => {
    const offenders = sourcesIn('src/rules').flatMap((file) =>
      [...readFileSync(path.join(repoRoot, file), 'utf8').matchAll(/from '(\.\.\/[^']+)'/g)]
        .map((m) => m[1]!)
        .filter((target) => target !== '../api/authoring.js' && !target.startsWith('../model/'))
        .map((target) => `${file}: ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the engine names no rule: rules declare what the engine needs to know in their meta', () => {
    const ids = Kubewire.rules().map((r) => r.name);
    const offenders = sourcesIn('src/engine').flatMap((file) => {
      const text = readFileSync(path.join(repoRoot, file), 'utf8');
      return ids.filter((id) => text.includes(`'${id}'`)).map((id) => `${file}: ${id}`);
    });
    expect(offenders).toEqual([]);
  });

  it('the published type declarations import no devDependency', () => {
    ensureBuilt();
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const dev = Object.keys(pkg.devDependencies);
    const declarations = (dir: string): string[] =>
      readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? declarations(path.join(dir, e.name)) : e.name.endsWith('.d.ts') ? [path.join(dir, e.name)] : [],
      );
    const offenders = declarations('dist').flatMap((file) =>
      [...readFileSync(path.join(repoRoot, file), 'utf8').matchAll(/(?:from|import\()\s*['"]([^'"]+)['"]/g)]
        .map((m) => m[1]!)
        .filter((target) => dev.some((d) => target === d || target.startsWith(`${d}/`)))
        .map((target) => `${file}: ${target}`),
    );
    expect(offenders).toEqual([]);
  });
});

describe('the package entry', () => {
  it('dist/index.js exports the API that lints', async () => {
    ensureBuilt();
    const entry = (await import(path.join(repoRoot, 'dist', 'index.js'))) as typeof import('../src/index.js');
    const run = await new entry.Kubewire().lintText(service(), { filePath: 'web.yaml' });
    expect(run.errorCount).toBe(1);
    expect(Object.keys(entry).sort()).toEqual(
      [
        'FORMATTER_NAMES',
        'Kubewire',
        'RULE_DOCS_BASE_URL',
        'RuleConfigError',
        'UsageError',
        'createRule',
        'formatPath',
        'loadFormatter',
      ].sort(),
    );
  });
});
