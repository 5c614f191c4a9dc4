/**
 * Inline suppressions (`# kubewire-disable…` comments, src/engine/directives.ts), at each place a finding can
 * have: a key of a block map, a value in a flow map, a list item, the end of a line, a region across the
 * documents of a file, the whole file; and where there is no comment at all (JSON, text in quoted strings).
 * Silenced findings stay in suppressedMessages with the reason and the comment's place, as ESLint keeps them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { directivesOf } from '../src/engine/directives.js';
import type { LintResult } from '../src/engine/results.js';
import { SourceFile } from '../src/loader/source.js';
import { Kubewire } from '../src/index.js';
import { lintFiles, repoRoot } from './helpers.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
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
          image: nginx
          ports:
            - containerPort: 8080
              name: http
`;

/** Findings and silenced findings as `line:column rule` (plus the justification of silenced ones). */
function summary(results: readonly LintResult[]): { reported: string[]; silenced: string[] } {
  return {
    reported: results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)),
    silenced: results.flatMap((r) =>
      r.suppressedMessages.map(
        (m) => `${m.line}:${m.column} ${m.ruleId} (${m.suppressions.map((s) => `${s.kind}: ${s.justification}`).join('; ')})`,
      ),
    ),
  };
}

/** The Service of a file whose first document is the Deployment; `body` is its text after `kind: Service`. */
function withService(body: string): Record<string, string> {
  return { 'app.yaml': `${deployment}---\napiVersion: v1\nkind: Service\n${body}` };
}

describe('a directive at each place a finding can have', () => {
  it('a value of a block map: the comment on the line before it', () => {
    const results = lintFiles(
      withService(`metadata:
  name: web
  namespace: shop
spec:
  selector:
    # kubewire-disable-next-line service-selector-match -- the canary pods are labelled by the rollout controller
    app: wbe
  ports:
    - port: 80
      targetPort: http
`),
    );
    expect(summary(results)).toEqual({
      reported: [],
      silenced: ['30:10 service-selector-match (directive: the canary pods are labelled by the rollout controller)'],
    });
    const [silenced] = results[0]!.suppressedMessages;
    expect(silenced!.suppressions[0]!.location).toEqual({ filePath: 'app.yaml', line: 29, column: 5, endLine: 29, endColumn: 114 });
  });

  it('a multi-line field reported at its key (a selector: block): the comment on the line before the key', () => {
    const results = lintFiles({
      'svc.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  # kubewire-disable-next-line service-selector-match -- the operator creates these pods
  selector:
    app: web
    tier: front
  ports:
    - port: 80
`,
    });
    expect(summary(results).reported).toEqual([]);
    expect(summary(results).silenced).toEqual(['7:3 service-selector-match (directive: the operator creates these pods)']);
  });

  it('a flow map: the end of its line, or the line before it', () => {
    const flow = (before: string, after: string) =>
      lintFiles(
        withService(
          `metadata: {name: flow, namespace: shop}\n${before}spec: {selector: {app: wbe}, ports: [{port: 80, targetPort: http}]}${after}\n`,
        ),
      );
    expect(summary(flow('', '')).reported).toEqual(['25:24 service-selector-match']);
    expect(summary(flow('', ' # kubewire-disable-line service-selector-match'))).toEqual({
      reported: [],
      silenced: ['25:24 service-selector-match (directive: )'],
    });
    expect(summary(flow('# kubewire-disable-next-line\n', ''))).toEqual({
      reported: [],
      silenced: ['26:24 service-selector-match (directive: )'],
    });
  });

  it('a list item: only the item after the comment', () => {
    const results = lintFiles(
      withService(`metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    # kubewire-disable-next-line service-port-names -- named by the mesh injector
    - port: 80
      targetPort: http
    - port: 81
      targetPort: http
`),
    );
    expect(summary(results)).toEqual({
      reported: ['34:7 service-port-names'],
      silenced: ['32:7 service-port-names (directive: named by the mesh injector)'],
    });
  });

  it('the end of a line: kubewire-disable-line names the rules of that line only', () => {
    const results = lintFiles(
      withService(`metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: http
      port: 82 # kubewire-disable-line yaml-duplicate-key, service-port-names -- the last one wins, on purpose
`),
    );
    // service-port-names is named but reported nothing on that line (one port needs no name): the comment is unused for it.
    expect(summary(results)).toEqual({
      reported: ['33:16 disable-directive'],
      silenced: ['33:7 yaml-duplicate-key (directive: the last one wins, on purpose)'],
    });
    expect(
      lintFiles(
        withService(
          'metadata:\n  name: x\n  namespace: shop\nspec:\n  ports:\n    - port: 80 # kubewire-disable-line service-port-names, probe-port\n',
        ),
        {},
      ).flatMap((r) => r.messages.map((m) => m.message)),
    ).toEqual([
      'Unused kubewire-disable-line directive (no problems were reported from "service-port-names" or "probe-port"): remove it, or it will silence a real problem that appears here later.',
    ]);
  });

  it('a region runs across the documents of its file until kubewire-enable (ESLint: file scope)', () => {
    const service = (name: string) =>
      `---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  selector:\n    app: wbe\n  ports:\n    - port: 80\n`;
    const results = lintFiles({
      'app.yaml': `${deployment}# kubewire-disable service-selector-match -- services of the old app, moving next sprint\n${service('one')}${service('two')}# kubewire-enable service-selector-match\n${service('three')}`,
    });
    const { reported, silenced } = summary(results);
    expect(reported).toEqual(['53:10 service-selector-match']);
    expect(silenced).toEqual([
      '30:10 service-selector-match (directive: services of the old app, moving next sprint)',
      '41:10 service-selector-match (directive: services of the old app, moving next sprint)',
    ]);
  });

  it('a region of every rule with one rule enabled again (ESLint: enable <rule> inside disable)', () => {
    const results = lintFiles(
      withService(`# kubewire-disable
# kubewire-enable service-port-names
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: wbe
  ports:
    - port: 80
    - port: 81
`),
    );
    expect(summary(results).reported).toEqual(['33:7 service-port-names', '34:7 service-port-names']);
    expect(summary(results).silenced).toEqual(['31:10 service-selector-match (directive: )']);
  });

  it('file level: # kubewire-disable above the first document silences every rule in the file, but not a syntax error', () => {
    const results = lintFiles({
      'app.yaml': `# kubewire-disable -- generated by the legacy pipeline, linted there\n${deployment}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    app: wbe\n  ports:\n  - port: 80\n  - port: 81\n`,
    });
    expect(summary(results).reported).toEqual([]);
    expect(summary(results).silenced).toHaveLength(3);
    const broken = lintFiles({ 'bad.yaml': '# kubewire-disable\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: [\n' });
    expect(broken[0]!.messages.map((m) => [m.ruleId, m.fatal])).toEqual([
      ['disable-directive', undefined],
      ['yaml-syntax', true],
    ]);
  });

  it('a JSON file has no comments: text that looks like a directive silences nothing', () => {
    const json = JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: 'shop', labels: { note: '# kubewire-disable' } },
        spec: { selector: { app: 'wbe' }, ports: [{ port: 80 }] },
      },
      null,
      2,
    );
    const results = lintFiles({ 'deploy.json': deployment.replace(/^/, ''), 'svc.json': json });
    expect(summary(results).reported).toEqual(['13:14 service-selector-match']);
    expect(directivesOf(new SourceFile('svc.json', json)).directives).toEqual([]);
  });

  it('text inside quoted strings and block scalars is not a comment', () => {
    const text =
      'data:\n  a: "# kubewire-disable"\n  b: |\n    # kubewire-disable\n  c: \'x # kubewire-disable-line\'\n# kubewire-disable-line probe-port -- a real one\n';
    expect(directivesOf(new SourceFile('x.yaml', text)).directives).toEqual([
      expect.objectContaining({
        kind: 'disable-line',
        rules: [expect.objectContaining({ id: 'probe-port' })],
        justification: 'a real one',
        range: { line: 6, column: 1, endLine: 6, endColumn: 49 },
      }),
    ]);
    // Line ends as go-yaml reads them: CRLF, and a lone CR (old Mac files).
    for (const eol of ['\r\n', '\r']) {
      const lines = ['a: 1', '# kubewire-disable-next-line probe-port', 'b: 2', '# kubewire-enable'].join(eol);
      expect(
        directivesOf(new SourceFile('x.yaml', lines)).directives.map(
          (d) => `${d.range.line}:${d.range.endColumn} ${d.kind} ${d.rules.map((r) => r.id).join()}`,
        ),
      ).toEqual(['2:40 disable-next-line probe-port', '4:18 enable ']);
    }
    // A file that never says kubewire- is not lexed at all.
    expect(directivesOf(new SourceFile('y.yaml', 'a: 1 # note\n'))).toEqual({ directives: [], scopeStarts: [1] });
  });

  it('reads the grammar as ESLint does: comma lists, quotes, the -- reason, and a directive only at the start of a comment', () => {
    const parsed = directivesOf(
      new SourceFile(
        'x.yaml',
        [
          "#kubewire-disable-next-line a,b , 'c' -- reason -- with dashes",
          '# kubewire-disable-next-line a--not-a-reason',
          '# see kubewire-disable for why',
          '# kubewire-disabled',
          '# kubewire-enable',
        ].join('\n'),
      ),
    ).directives;
    expect(parsed.map((d) => [d.kind, d.rules.map((r) => r.id), d.justification])).toEqual([
      ['disable-next-line', ['a', 'b', 'c'], 'reason -- with dashes'],
      ['disable-next-line', ['a--not-a-reason'], ''],
      ['enable', [], ''],
    ]);
  });
});

describe('rendered Helm charts (`# Source:`)', () => {
  it('a comment in a template silences its finding there, and a region ends with its template', async () => {
    const rendered = readFileSync(path.join(repoRoot, 'test', 'helm', 'directives.rendered.yaml'), 'utf8');
    const run = await new Kubewire({ cwd: repoRoot, helmChartRoot: 'test/helm/directives-chart' }).lintText(rendered, {
      filePath: '<stdin>',
    });
    const byFile = Object.fromEntries(run.results.map((r) => [r.filePath, summary([r])]));
    expect(byFile['test/helm/directives-chart/templates/service.yaml']).toEqual({
      reported: [],
      silenced: ["7:3 service-selector-match (directive: the exporter's pods come from the monitoring stack)"],
    });
    // The region opened in other.yaml does not reach web.yaml, the next template; there it silenced nothing.
    expect(byFile['test/helm/directives-chart/templates/web.yaml']!.reported).toEqual(['6:3 service-selector-match']);
    expect(byFile['test/helm/directives-chart/templates/other.yaml']!.reported).toEqual(['1:1 disable-directive']);
    // The silencing comment is found on its template line.
    const silenced = run.results.flatMap((r) => r.suppressedMessages)[0]!;
    expect(silenced.suppressions[0]!.location).toMatchObject({
      filePath: 'test/helm/directives-chart/templates/service.yaml',
      line: 6,
      column: 3,
    });
  });
});

describe('reportUnusedDisableDirectives', () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n# kubewire-disable-next-line schema\ndata: {}\n';
  const unused = async (options: ConstructorParameters<typeof Kubewire>[0]) =>
    (await new Kubewire(options).lintText(text, { filePath: 'cm.yaml' })).results[0]!.messages.map(
      (m) => `${m.line}:${m.column} ${m.severity} ${m.messageId}`,
    );

  it('is a warning by default (ESLint 9), an error, or off', async () => {
    expect(await unused({})).toEqual(['5:1 1 unused']);
    expect(await unused({ reportUnusedDisableDirectives: 'error' })).toEqual(['5:1 2 unused']);
    expect(await unused({ reportUnusedDisableDirectives: 'off' })).toEqual([]);
    expect(await unused({ rules: { 'disable-directive': 'off' } })).toEqual([]);
  });

  it('sets the exit status like any finding', async () => {
    expect((await new Kubewire({ reportUnusedDisableDirectives: 'error' }).lintText(text)).exitStatus).toBe(1);
    expect((await new Kubewire({}).lintText(text)).exitStatus).toBe(0);
  });
});
