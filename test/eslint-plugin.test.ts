/**
 * The ESLint plugin (`kubewire/eslint-plugin`) run by the real ESLint, 10 and 9 (`eslint-v9`, an npm alias), through
 * its Node API and its command line, on the fixture folders of test/fixtures-eslint/ (each with its own
 * eslint.config.js; the plugin is loaded from dist/ by the package's own name, as a user's config loads it).
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint as ESLint10 } from 'eslint';
import { ESLint as ESLint9 } from 'eslint-v9';
import { beforeAll, describe, expect, it } from 'vitest';
import { Kubewire, type LintMessage } from '../src/index.js';
import { eslintMessageText } from '../src/hosts/eslint-plugin/rules.js';
import { ensureBuilt } from './cli-process.js';
import { repoRoot } from './helpers.js';

const fixtures = path.join(repoRoot, 'test', 'fixtures-eslint');

interface EslintClass {
  new (options: { cwd: string; overrideConfigFile: string; overrideConfig?: object }): {
    lintFiles(patterns: string[]): Promise<ESLint10.LintResult[]>;
    lintText(text: string, options: { filePath: string }): Promise<ESLint10.LintResult[]>;
    getRulesMetaForResults(results: ESLint10.LintResult[]): Record<string, { docs?: { url?: string } }>;
  };
}

const majors: [string, EslintClass, string][] = [
  [`ESLint ${ESLint10.version}`, ESLint10, 'eslint'],
  [`ESLint ${ESLint9.version}`, ESLint9, 'eslint-v9'],
];

function eslintIn(ESLint: EslintClass, folder: string) {
  const cwd = path.join(fixtures, folder);
  return { cwd, eslint: new ESLint({ cwd, overrideConfigFile: path.join(cwd, 'eslint.config.js') }) };
}

function resultOf(results: ESLint10.LintResult[], cwd: string, file: string): ESLint10.LintResult {
  const result = results.find((r) => r.filePath === path.join(cwd, file));
  if (!result) throw new Error(`no result for ${file} among ${results.map((r) => r.filePath).join(', ')}`);
  return result;
}

/** A kubewire message in ESLint's terms: the same text (related places appended), positions and severity. */
function asEslintMessage(m: LintMessage) {
  return {
    ruleId: `kubewire/${m.ruleId}`,
    severity: m.severity,
    message: eslintMessageText(m),
    line: m.line,
    column: m.column,
    endLine: m.endLine,
    endColumn: m.endColumn,
  };
}

/** What the command line reports for the file, linted alone. */
async function kubewireMessages(cwd: string, file: string) {
  const run = await new Kubewire({ cwd }).lintFiles([file]);
  return run.results
    .filter((r) => r.filePath === file)
    .flatMap((r) => r.messages)
    .map(asEslintMessage);
}

/** A copy of a folder as a repository of its own (git init) below the checkout, where `kubewire/eslint-plugin` resolves to this package. */
function repositoryCopy(name: string, from?: string): string {
  const repo = path.join(repoRoot, '.tmp', name);
  rmSync(repo, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  if (from) cpSync(from, repo, { recursive: true });
  spawnSync('git', ['init', '-q', repo]);
  return repo;
}

function eslintMessages(result: ESLint10.LintResult) {
  return result.messages.map(({ ruleId, severity, message, line, column, endLine, endColumn }) => ({
    ruleId,
    severity,
    message,
    line,
    column,
    endLine,
    endColumn,
  }));
}

beforeAll(() => ensureBuilt(), 120_000);

describe.each(majors)('kubewire/eslint-plugin in %s', (_name, ESLint) => {
  it('reports a broken selector on its line as kubewire/service-selector-match, as the command line does, with the docs link', async () => {
    const { cwd, eslint } = eslintIn(ESLint, 'single-file');
    const results = await eslint.lintFiles(['web.yaml']);
    const result = resultOf(results, cwd, 'web.yaml');
    expect(result.messages).toHaveLength(1);
    expect(result.messages[0]).toMatchObject({
      ruleId: 'kubewire/service-selector-match',
      severity: 2,
      line: 8,
      column: 10,
      endLine: 8,
      endColumn: 13,
    });
    expect(result.messages[0]!.message).toMatch(/^Service "web" selects no pods: .* Related: web\.yaml:25:14 \(closest pod template\)\.$/);
    expect(eslintMessages(result)).toEqual(await kubewireMessages(cwd, 'web.yaml'));
    expect(eslint.getRulesMetaForResults(results)['kubewire/service-selector-match']?.docs?.url).toBe(
      'https://github.com/kubewire/kubewire/blob/main/rules-docs/service-selector-match.md',
    );
  });

  it("reads the repository's kubewire.config.yaml as the command line does (its externalPods), while ESLint sets the rules", async () => {
    const repo = repositoryCopy(`eslint-config-file-${ESLint === ESLint10 ? 10 : 9}`);
    writeFileSync(
      path.join(repo, 'eslint.config.js'),
      "import kubewire from 'kubewire/eslint-plugin';\nexport default [kubewire.configs.recommended];\n",
    );
    writeFileSync(
      path.join(repo, 'kafka.yaml'),
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: events\nspec:\n  selector:\n    strimzi.io/cluster: events\n  ports:\n    - port: 9092\n',
    );
    const lint = async () => {
      const eslint = new ESLint({ cwd: repo, overrideConfigFile: path.join(repo, 'eslint.config.js') });
      return resultOf(await eslint.lintFiles(['kafka.yaml']), repo, 'kafka.yaml').messages.map((m) => m.ruleId);
    };
    expect(await lint()).toContain('kubewire/service-selector-match');
    // The operator's pods, declared in the config file, are pods the Service selects; `rules` there are ESLint's
    // to set, so the rule stays on.
    writeFileSync(
      path.join(repo, 'kubewire.config.yaml'),
      'externalPods:\n  - labels: {strimzi.io/cluster: events}\nrules:\n  service-selector-match: off\n',
    );
    const clean = spawnSync(
      process.execPath,
      [path.join(repoRoot, 'bin', 'kubewire.js'), '--rule', 'service-selector-match=error', 'kafka.yaml'],
      {
        cwd: repo,
        encoding: 'utf8',
      },
    );
    expect(clean.status, clean.stdout + clean.stderr).toBe(0);
    expect(await lint()).toEqual([]);
  });

  it('honours # eslint-disable comments and inline configuration in YAML', async () => {
    const { cwd, eslint } = eslintIn(ESLint, 'directives');
    const results = await eslint.lintFiles(['.']);
    const of = (file: string) => resultOf(results, cwd, file);
    expect(of('next-line.yaml').messages).toEqual([]);
    expect(of('next-line.yaml').suppressedMessages).toMatchObject([
      {
        ruleId: 'kubewire/service-selector-match',
        line: 9,
        suppressions: [{ kind: 'directive', justification: 'the pods come from another release' }],
      },
    ]);
    expect(of('same-line.yaml').messages).toEqual([]);
    expect(of('same-line.yaml').suppressedMessages).toMatchObject([{ ruleId: 'kubewire/service-selector-match', line: 8 }]);
    expect(of('block.yaml').messages).toEqual([]);
    expect(of('block.yaml').suppressedMessages).toHaveLength(1);
    expect(of('inline-config.yaml').messages).toEqual([]);
    // A directive for another rule silences nothing, and ESLint says it is unused.
    expect(of('other-rule.yaml').messages).toMatchObject([
      {
        ruleId: null,
        severity: 1,
        line: 8,
        message: "Unused eslint-disable directive (no problems were reported from 'kubewire/probe-port').",
      },
      { ruleId: 'kubewire/service-selector-match', line: 9 },
    ]);
    // `eslint-disable-line` in the middle of a comment is prose, as in ESLint.
    expect(of('not-a-directive.yaml').messages).toMatchObject([{ ruleId: 'kubewire/service-selector-match', line: 8 }]);
  });

  it('lints multi-document files, Lists and JSON with no parse error, finding what the command line finds', async () => {
    const { cwd, eslint } = eslintIn(ESLint, 'documents');
    const results = await eslint.lintFiles(['.']);
    for (const file of ['multi-document.yaml', 'list.yaml', 'list.json']) {
      const result = resultOf(results, cwd, file);
      expect(result.fatalErrorCount, file).toBe(0);
      expect(result.messages.length, file).toBeGreaterThan(0);
      expect(eslintMessages(result), file).toEqual(await kubewireMessages(cwd, file));
    }
    // A finding kubewire reports as a warning (containerPort only documents a port) stays one.
    expect(resultOf(results, cwd, 'list.json').messages).toMatchObject([
      { ruleId: 'kubewire/service-target-port', severity: 1, line: 21, column: 89 },
    ]);
  });

  it('judges a file with the rest of its context: a correct pair across files is clean, a broken selector is found when the Service is linted alone', async () => {
    const correct = eslintIn(ESLint, 'cross-file/correct');
    for (const patterns of [['.'], ['svc.yaml'], ['hpa.yaml']]) {
      const results = await correct.eslint.lintFiles(patterns);
      expect(
        results.flatMap((r) => r.messages),
        patterns.join(),
      ).toEqual([]);
    }
    const broken = eslintIn(ESLint, 'cross-file/broken');
    const [result] = await broken.eslint.lintFiles(['svc.yaml']);
    expect(result!.messages).toMatchObject([
      {
        ruleId: 'kubewire/service-selector-match',
        severity: 2,
        line: 8,
        column: 10,
        message: expect.stringContaining('Related: deploy.yaml:13:14 (closest pod template).'),
      },
    ]);
  });

  it('reports on examples/ what the command line reports on it', async () => {
    const repo = repositoryCopy('eslint-examples', path.join(repoRoot, 'examples'));
    writeFileSync(path.join(repo, 'eslint.config.js'), readFileSync(path.join(fixtures, 'single-file', 'eslint.config.js')));
    const eslint = new ESLint({ cwd: repo, overrideConfigFile: path.join(repo, 'eslint.config.js') });
    const results = (await eslint.lintFiles(['.'])).filter((r) => /\.ya?ml$/u.test(r.filePath));
    const cli = await new Kubewire({ cwd: repo }).lintFiles(['.']);
    expect(results.map((r) => path.relative(repo, r.filePath)).sort()).toEqual(cli.results.map((r) => r.filePath).sort());
    for (const result of cli.results) {
      const ours = resultOf(results, repo, result.filePath);
      expect(eslintMessages(ours), result.filePath).toEqual(result.messages.map(asEslintMessage));
    }
    expect(results.flatMap((r) => r.messages).length).toBeGreaterThan(3);
  });

  it('says which setting is wrong and what it takes', async () => {
    const cwd = path.join(fixtures, 'single-file');
    const lintWith = (kubewire: unknown) =>
      new ESLint({ cwd, overrideConfigFile: path.join(cwd, 'eslint.config.js'), overrideConfig: { settings: { kubewire } } }).lintFiles([
        'web.yaml',
      ]);
    await expect(lintWith({ context: 'deploy/' })).rejects.toThrow(
      'settings.kubewire.context must be a list of globs, such as ["deploy/**/*.yaml"]; got "deploy/"',
    );
    await expect(lintWith({ kubernetesVersion: '1.2' })).rejects.toThrow(
      'settings.kubewire.kubernetesVersion: Kubernetes 1.2 is not one kubewire knows',
    );
    await expect(lintWith({ namesapce: 'shop' })).rejects.toThrow(
      'settings.kubewire.namesapce is not a kubewire setting; the settings are context, namespace, kubernetesVersion',
    );
  });

  it('lints an unsaved buffer: its text wins over the file on disk, judged with the rest of the repository', async () => {
    const single = eslintIn(ESLint, 'single-file');
    const web = path.join(single.cwd, 'web.yaml');
    expect((await single.eslint.lintFiles(['web.yaml']))[0]!.messages).toMatchObject([{ ruleId: 'kubewire/service-selector-match' }]);
    const fixed = readFileSync(web, 'utf8').replace('app: wbe', 'app: web');
    expect((await single.eslint.lintText(fixed, { filePath: web }))[0]!.messages).toEqual([]);
    const otherMistake = fixed.replace('targetPort: 8080', 'targetPort: 8081');
    expect((await single.eslint.lintText(otherMistake, { filePath: web }))[0]!.messages).toMatchObject([
      { ruleId: 'kubewire/service-target-port', line: 11 },
    ]);

    // The Service typed wrong on disk, fixed in the buffer: the Deployment of the other file backs it.
    const broken = eslintIn(ESLint, 'cross-file/broken');
    const svc = path.join(broken.cwd, 'svc.yaml');
    expect(
      (await broken.eslint.lintText(readFileSync(svc, 'utf8').replace('app: wbe', 'app: web'), { filePath: svc }))[0]!.messages,
    ).toEqual([]);

    // The Deployment's labels changed in the buffer: the Service of the unchanged file no longer selects its pods,
    // and the buffer shows it, at the label that broke it.
    const correct = eslintIn(ESLint, 'cross-file/correct');
    const deploy = path.join(correct.cwd, 'deploy.yaml');
    const relabelled = readFileSync(deploy, 'utf8').replaceAll('app: web', 'app: webb');
    const [result] = await correct.eslint.lintText(relabelled, { filePath: deploy });
    expect(result!.messages).toMatchObject([
      {
        ruleId: 'kubewire/service-selector-match',
        severity: 2,
        line: 13,
        message: expect.stringMatching(/^Service "web" selects no pods: .*Related: svc\.yaml:8:10 /u),
      },
    ]);
  });
});

/** Runs a command line without blocking this thread (vitest's worker must keep answering its runner meanwhile). */
function runNode(args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => resolve({ stdout, stderr }));
  });
}

describe.each(majors)('the eslint command line of %s', (_name, _ESLint, packageName) => {
  const bin = path.join(repoRoot, 'node_modules', packageName, 'bin', 'eslint.js');
  const lint = async (...args: string[]) => {
    const run = await runNode([bin, '--format', 'json', ...args, '.'], path.join(fixtures, 'documents'));
    // ESLint warns that a handful of files is too few to gain from threads: it used them all the same.
    expect(run.stderr.replace(/.*ESLintPoorConcurrencyWarning.*\n.*--trace-warnings.*\n/u, '')).toBe('');
    return (JSON.parse(run.stdout) as ESLint10.LintResult[]).map((r) => ({ filePath: r.filePath, messages: r.messages }));
  };

  it('gives the same results with --concurrency 2 (an engine per worker thread) as in one thread', async () => {
    const alone = await lint();
    expect(alone.flatMap((r) => r.messages).length).toBeGreaterThan(0);
    expect(await lint('--concurrency', '2')).toEqual(alone);
  });

  it('gives the same results from --cache: the second run reads them from the cache file', async () => {
    const cacheLocation = path.join(repoRoot, '.tmp', `eslintcache-${packageName}`);
    rmSync(cacheLocation, { force: true });
    const first = await lint('--cache', '--cache-location', cacheLocation);
    expect(readFileSync(cacheLocation, 'utf8')).toContain('list.json');
    expect(await lint('--cache', '--cache-location', cacheLocation)).toEqual(first);
    expect(first).toEqual(await lint());
  });

  it('relints a Service from --cache when the Deployment of another file changes its labels', async () => {
    const repo = repositoryCopy(`eslint-cache-${packageName}`, path.join(fixtures, 'cross-file', 'correct'));
    const cached = async () => {
      const run = await runNode([bin, '--cache', '--format', 'json', '.'], repo);
      return (JSON.parse(run.stdout) as ESLint10.LintResult[]).flatMap((r) =>
        r.messages.map((m) => `${path.relative(repo, r.filePath)}:${m.line} ${m.ruleId}`),
      );
    };
    expect(await cached()).toEqual([]);
    const deployment = path.join(repo, 'deploy.yaml');
    writeFileSync(deployment, readFileSync(deployment, 'utf8').replaceAll('app: web', 'app: webb'));
    // svc.yaml is unchanged, but its verdict is not: it is linted again, not read from the cache.
    expect(await cached()).toEqual(['svc.yaml:8 kubewire/service-selector-match']);
  });
});

describe("the README's eslint.config.js", () => {
  it('lints the YAML of a repository as the README says, in ESLint 10 and 9', async () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const snippet = /```js\n([\s\S]*?)```/u.exec(readme.slice(readme.indexOf('## In the editor')))![1]!;
    expect(snippet).toContain('export default [kubewire.configs.recommended];');
    const repo = repositoryCopy('eslint-readme');
    writeFileSync(path.join(repo, 'eslint.config.js'), snippet);
    copyFileSync(path.join(fixtures, 'single-file', 'web.yaml'), path.join(repo, 'web.yaml'));
    for (const [, ESLint] of majors) {
      const results = await new ESLint({ cwd: repo, overrideConfigFile: path.join(repo, 'eslint.config.js') }).lintFiles(['.']);
      expect(resultOf(results, repo, 'web.yaml').messages).toMatchObject([
        { ruleId: 'kubewire/service-selector-match', line: 8, column: 10 },
      ]);
    }
  });
});

describe('the plugin object', () => {
  it('has every kubewire rule as kubewire/<id>, with its meta, in the recommended config at its default severity', async () => {
    const { default: plugin } = await import('kubewire/eslint-plugin');
    for (const rule of Kubewire.rules()) {
      const wrapped = plugin.rules[rule.name]!;
      expect(wrapped.meta).toMatchObject({
        type: rule.meta.type,
        messages: rule.meta.messages,
        schema: rule.meta.schema,
        docs: { url: rule.meta.docs.url },
      });
      expect(plugin.configs.recommended.rules[`kubewire/${rule.name}`]).toBe(rule.meta.defaultSeverity);
    }
    expect(Object.keys(plugin.rules)).toHaveLength(Kubewire.rules().length);
    expect(plugin.configs.recommended).toMatchObject({ language: 'kubewire/yaml', files: ['**/*.yaml', '**/*.yml'] });
  });
});
