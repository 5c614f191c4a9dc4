/**
 * `--format sarif`, held to the real consumers' validators on the SARIF of every fixture and of examples/:
 * the SARIF 2.1.0 JSON schema (draft-04, with ajv) and Microsoft's SARIF Multitool (`validate --rule-kind
 * "Gh;Sarif"`, the rules GitHub's ingestion follows), run as its binary, in few invocations (startup is slow).
 * Then what the format promises: rules from the docs pages, regions with snippets, embedded links to related
 * places, logical locations, fingerprints without line numbers, suppressions, notifications, the category.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Kubewire, type LintRun } from '../src/index.js';
import { repoRoot } from './helpers.js';
import { webDeployment } from './support/shop-manifests.js';

const require = createRequire(import.meta.url);
const AjvDraft04 = require('ajv-draft-04') as typeof import('ajv-draft-04').default;
const SCHEMA_FILE = path.join(repoRoot, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
const MULTITOOL = path.join(repoRoot, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'Sarif.Multitool');
/** The Multitool's defaults, minus SARIF2006 (UrisShouldBeReachable), which would fetch every URI over the network. */
const MULTITOOL_CONFIG = path.join(repoRoot, 'test', 'support', 'sarif-multitool.xml');
const work = path.join(repoRoot, '.tmp', 'sarif-validate');

type Sarif = {
  runs: {
    tool: { driver: { rules: Record<string, unknown>[] } & Record<string, unknown> };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads SARIF as loose JSON and asserts its shape
    results: Record<string, any>[];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
    invocations: Record<string, any>[];
    automationDetails?: { id: string };
    originalUriBaseIds?: Record<string, { uri: string }>;
  }[];
};

async function sarifOf(run: LintRun, sarifCategory?: string): Promise<Sarif> {
  return JSON.parse(new Kubewire().loadFormatter('sarif').format(run, sarifCategory !== undefined ? { sarifCategory } : {})) as Sarif;
}

/** Every case of test/fixtures (a file or a folder per case), and examples/, relative to the repository. */
function corpus(): string[] {
  const fixtures = path.join(repoRoot, 'test', 'fixtures');
  const cases: string[] = [];
  for (const group of readdirSync(fixtures, { withFileTypes: true }).filter((e) => e.isDirectory())) {
    const groupDir = path.join(fixtures, group.name);
    const kinds = ['valid', 'invalid'].filter((k) => existsSync(path.join(groupDir, k)));
    const dirs = kinds.length > 0 ? kinds.map((k) => path.join(groupDir, k)) : [groupDir];
    for (const dir of dirs) {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.name.endsWith('.expected.json') || !(entry.isDirectory() || /\.(ya?ml|json)$/.test(entry.name))) continue;
        cases.push(path.relative(repoRoot, path.join(dir, entry.name)).split(path.sep).join('/'));
      }
    }
  }
  // Real `helm template` output, whose findings move to the chart's templates (test/helm/README.md).
  return [...cases.sort(), 'examples', 'test/helm/shop.rendered.yaml'];
}

describe('the SARIF of every fixture and of examples/ passes the real validators', () => {
  const logs = new Map<string, string>();

  beforeAll(async () => {
    const kubewire = new Kubewire({ cwd: repoRoot });
    const formatter = kubewire.loadFormatter('sarif');
    for (const operand of corpus()) {
      let run: LintRun;
      try {
        run = await kubewire.lintFiles([operand]);
      } catch {
        continue; // a fixture with nothing to lint (only files the loader leaves out)
      }
      logs.set(operand, formatter.format(run, { sarifCategory: `fixtures/${operand}/` }));
    }
  }, 120_000);

  it('covers the fixtures and examples/', () => {
    expect(logs.size).toBeGreaterThan(100);
    expect(logs.has('examples')).toBe(true);
  });

  it('each is valid against the SARIF 2.1.0 JSON schema (ajv, draft-04)', () => {
    const ajv = new AjvDraft04({ strict: false, unicodeRegExp: false, allErrors: true });
    // The schema's formats, checked as URL and Date read them (ajv knows none of them by itself).
    ajv.addFormat('uri', (value: string) => URL.canParse(value));
    ajv.addFormat('uri-reference', (value: string) => URL.canParse(value, 'file:///base/') && !/[\s<>"{}|\\^`]/.test(value));
    ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object);
    const failures: string[] = [];
    for (const [operand, text] of logs) {
      if (!validate(JSON.parse(text))) failures.push(`${operand}: ${ajv.errorsText(validate.errors)}`);
    }
    expect(failures).toEqual([]);
  });

  it('the SARIF Multitool (validate --rule-kind "Gh;Sarif") reports no error and no warning', () => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    // The Multitool spends most of its time per file: the runs of the logs go into files of at most 20 runs
    // (GitHub's limit per upload, GH1013), all validated by one process. Each run is the run of one log.
    const operands = [...logs.keys()];
    const batches: { file: string; operands: string[] }[] = [];
    for (let i = 0; i < operands.length; i += 20) {
      const slice = operands.slice(i, i + 20);
      const parsed = slice.map((o) => JSON.parse(logs.get(o)!) as Sarif & Record<string, unknown>);
      const file = path.join(work, `batch-${String(batches.length).padStart(2, '0')}.sarif`);
      writeFileSync(file, JSON.stringify({ ...parsed[0], runs: parsed.flatMap((p) => p.runs) }));
      batches.push({ file, operands: slice });
    }
    const output = path.join(work, 'multitool.out.sarif');
    const run = spawnSync(
      MULTITOOL,
      [
        'validate',
        '--rule-kind',
        'Gh;Sarif',
        '--level',
        'Error;Warning',
        '--config',
        MULTITOOL_CONFIG,
        '--output',
        output,
        ...batches.map((b) => b.file),
      ],
      { cwd: work, encoding: 'utf8', timeout: 300_000, env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } },
    );
    expect(run.error).toBeUndefined();
    expect(run.status, run.stderr + run.stdout).toBe(0);
    // It says what it left out on standard output; nothing may be left out.
    expect(run.stdout).not.toMatch(/skipped|ERR\d+/);
    expect(run.stdout).toContain(`Done. ${batches.length} files scanned.`);
    const report = JSON.parse(readFileSync(output, 'utf8')) as Sarif;
    const problems: string[] = [];
    for (const reportRun of report.runs) {
      const templates = new Map<string, string>();
      for (const rule of reportRun.tool.driver.rules ?? []) {
        for (const [id, m] of Object.entries((rule.messageStrings ?? {}) as Record<string, { text: string }>))
          templates.set(`${String(rule.id)}/${id}`, m.text);
      }
      for (const result of reportRun.results ?? []) {
        const level = result.level ?? 'warning';
        if (level !== 'error' && level !== 'warning') continue;
        const args = (result.message.arguments ?? []) as string[];
        const template = templates.get(`${result.ruleId}/${result.message.id}`) ?? result.message.text ?? '';
        const text = template.replace(/\{(\d+)\}/g, (_: string, n: string) => String(args[Number(n)] ?? ''));
        // Name the fixture: the batch file and `runs[i]` of the message.
        const uri = String(result.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '');
        const batch = batches.find((b) => uri.endsWith(path.basename(b.file)));
        const runIndex = Number(/runs\[(\d+)\]/.exec(args[0] ?? '')?.[1]);
        const operand = batch && !Number.isNaN(runIndex) ? batch.operands[runIndex] : uri;
        problems.push(`${level} ${result.ruleId} ${operand}: ${text}`);
      }
    }
    expect(problems).toEqual([]);
  }, 300_000);
});

const deployment = webDeployment;
const service = (selector: string, extra = '') => `apiVersion: v1
kind: Service
metadata:
  name: front
  namespace: shop
${extra}spec:
  selector:
    app: ${selector}
  ports:
  - port: 80
`;

describe('what the SARIF says', () => {
  it('describes every rule from its docs page, and each result points at its rule', async () => {
    const log = await sarifOf(await new Kubewire().lintText(`${service('wbe')}---\n${deployment}`, { filePath: 'k8s/app.yaml' }));
    const driver = log.runs[0]!.tool.driver;
    expect(driver).toMatchObject({ name: 'kubewire', informationUri: 'https://github.com/kubewire/kubewire' });
    expect(driver.semanticVersion).toBe(Kubewire.version);
    const ids = driver.rules.map((r) => r.id);
    expect(ids).toEqual(Kubewire.rules().map((r) => r.name));
    const rule = driver.rules.find((r) => r.id === 'service-selector-match')!;
    const page = readFileSync(path.join(repoRoot, 'rules-docs', 'service-selector-match.md'), 'utf8');
    expect(rule).toMatchObject({
      name: 'ServiceSelectorMatch',
      shortDescription: { text: 'Require every Service selector to select the pods of at least one workload.' },
      help: { markdown: page },
      helpUri: 'https://github.com/kubewire/kubewire/blob/main/rules-docs/service-selector-match.md',
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['kubernetes', 'problem'], precision: 'high', 'problem.severity': 'error' },
    });
    expect((rule.fullDescription as { text: string }).text).toMatch(/^For every Service with a `spec.selector`, kubewire simulates/);
    expect((rule.help as { text: string }).text).not.toContain('## ');
    const [result] = log.runs[0]!.results;
    expect(driver.rules[result!.ruleIndex]!.id).toBe(result!.ruleId);
  });

  it('gives the region with its snippet, the resource as a logical location, and related places as embedded links', async () => {
    const log = await sarifOf(
      await new Kubewire({ cwd: '/repo' }).lintText(`${service('wbe')}---\n${deployment}`, { filePath: 'k8s/app.yaml' }),
    );
    const [result] = log.runs[0]!.results;
    expect(result).toMatchObject({
      ruleId: 'service-selector-match',
      level: 'error',
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'k8s/app.yaml', uriBaseId: '%SRCROOT%' },
            region: { startLine: 8, startColumn: 10, endLine: 8, endColumn: 13, snippet: { text: 'wbe' } },
            contextRegion: { startLine: 6, endLine: 10 },
          },
          logicalLocations: [{ name: 'front', fullyQualifiedName: 'Service/shop/front', kind: 'object' }],
        },
      ],
      relatedLocations: [
        { id: 1, message: { text: 'closest pod template' }, physicalLocation: { region: { startLine: 24, snippet: { text: 'web' } } } },
      ],
    });
    expect(result!.message.text).toMatch(/ Related: \[closest pod template\]\(1\)\.$/);
    expect(log.runs[0]!.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///repo/' } });
  });

  it('makes paths relative to the repository root when kubewire runs in a folder of it (SARIF and annotations)', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kubewire-repo-'));
    try {
      mkdirSync(path.join(root, '.git'));
      mkdirSync(path.join(root, 'deploy', 'prod'), { recursive: true });
      const kubewire = new Kubewire({ cwd: path.join(root, 'deploy', 'prod') });
      const run = await kubewire.lintText(`${service('wbe')}---\n${deployment}`, { filePath: 'app.yaml' });
      const log = JSON.parse(kubewire.loadFormatter('sarif').format(run)) as Sarif;
      expect(log.runs[0]!.results[0]!.locations[0].physicalLocation.artifactLocation).toEqual({
        uri: 'deploy/prod/app.yaml',
        uriBaseId: '%SRCROOT%',
      });
      expect(log.runs[0]!.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: `${pathToFileURL(root).href}/` } });
      expect(kubewire.loadFormatter('github').format(run)).toMatch(/^::error file=deploy\/prod\/app\.yaml,line=8,/);
      // A host that knows the checkout (the Action: GITHUB_WORKSPACE) says so.
      const fromFolder = JSON.parse(kubewire.loadFormatter('sarif').format(run, { sourceRoot: path.join(root, 'deploy') })) as Sarif;
      expect(fromFolder.runs[0]!.results[0]!.locations[0].physicalLocation.artifactLocation.uri).toBe('prod/app.yaml');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('escapes brackets from the manifest, so a label cannot forge an embedded link', async () => {
    const log = await sarifOf(await new Kubewire().lintText(service('"[x](1)"'), { filePath: 'a.yaml' }));
    const texts = log.runs[0]!.results.map((r) => r.message.text as string);
    expect(texts.some((t) => t.includes('\\[x\\](1)'))).toBe(true);
    expect(texts.some((t) => /(?<!\\)\[x\]/.test(t))).toBe(false);
  });

  it('fingerprints a finding by rule, resource and field: unrelated edits and moves keep it', async () => {
    const fingerprint = async (text: string, filePath = 'app.yaml') =>
      (await sarifOf(await new Kubewire().lintText(text, { filePath }))).runs[0]!.results.map((r) => [r.ruleId, r.partialFingerprints]);
    const before = await fingerprint(`${service('wbe')}---\n${deployment}`);
    expect(before).toHaveLength(1);
    // Lines added above, the documents swapped: same finding, same fingerprint.
    expect(await fingerprint(`# a comment\n# another\n${deployment}---\n${service('wbe')}`)).toEqual(before);
    // Another resource with the same problem is another finding.
    expect(await fingerprint(`${service('wbe').replace('name: front', 'name: back')}---\n${deployment}`)).not.toEqual(before);
  });

  it('keeps findings silenced by kubewire.io/ignore, as suppressed in source with the justification', async () => {
    const annotated = service('wbe', '  annotations:\n    kubewire.io/ignore: service-selector-match\n');
    const log = await sarifOf(await new Kubewire().lintText(`${annotated}---\n${deployment}`, { filePath: 'app.yaml' }));
    expect(log.runs[0]!.results).toHaveLength(1);
    expect(log.runs[0]!.results[0]).toMatchObject({
      ruleId: 'service-selector-match',
      suppressions: [
        {
          kind: 'inSource',
          justification: 'silenced on Service shop/front by its kubewire.io/ignore annotation',
          location: { physicalLocation: { region: { startLine: 7, snippet: { text: 'service-selector-match' } } } },
        },
      ],
    });
  });

  it('reports files that could not be parsed as tool execution notifications too', async () => {
    const log = await sarifOf(await new Kubewire().lintText('apiVersion: v1\nkind: ConfigMap\ndata: {a: 1\n', { filePath: 'broken.yaml' }));
    const [invocation] = log.runs[0]!.invocations;
    expect(invocation).toMatchObject({ executionSuccessful: true });
    expect(invocation!.toolExecutionNotifications).toEqual([
      expect.objectContaining({ level: 'error', associatedRule: { id: 'yaml-syntax', index: expect.any(Number) } }),
    ]);
    expect(log.runs[0]!.results.map((r) => r.ruleId)).toEqual(['yaml-syntax']);
  });

  it('sets automationDetails.id from the category, and leaves it out without one', async () => {
    const run = await new Kubewire().lintText(deployment);
    expect((await sarifOf(run, 'kubewire/prod/')).runs[0]!.automationDetails).toEqual({ id: 'kubewire/prod/' });
    expect((await sarifOf(run)).runs[0]!.automationDetails).toBeUndefined();
  });
});
