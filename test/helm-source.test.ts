/**
 * `helm template … | kubewire -`: findings in a rendered document go to the template its `# Source:` line
 * names, at the template line with the same key when exactly one has it, else at the top of the file; the
 * message keeps the rendered line. test/helm/shop.rendered.yaml is real Helm output of test/helm/webshop-chart
 * (see test/helm/README.md).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kubewire } from '../src/index.js';
import { ensureBuilt, runKubewire } from './cli-process.js';
import { repoRoot } from './helpers.js';

const rendered = readFileSync(path.join(repoRoot, 'test', 'helm', 'shop.rendered.yaml'), 'utf8');
const chart = path.join(repoRoot, 'test', 'helm', 'webshop-chart');

interface JsonResult {
  filePath: string;
  messages: {
    ruleId: string;
    line: number;
    column: number;
    endColumn: number;
    message: string;
    related?: { filePath: string; line: number }[];
  }[];
}

let work: string;
beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(path.join(tmpdir(), 'kubewire-helm-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('helm template output on standard input', () => {
  it('puts each finding on the template line that holds its key, and keeps the rendered line in the message', () => {
    const run = runKubewire(['-', '--format', 'json'], { cwd: repoRoot, input: rendered });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
    const results = JSON.parse(run.stdout) as JsonResult[];
    const findings = results.flatMap((r) => r.messages.map((m) => ({ file: r.filePath, ...m })));
    expect(findings.map((f) => [f.ruleId, f.file, f.line, f.column, f.endColumn])).toEqual([
      // `app.kubernetes.io/name: {{ .Values.metricsSelector }}`: the value is a template expression, so the region is all of it.
      ['service-selector-match', 'test/helm/webshop-chart/templates/metrics-service.yaml', 7, 29, 58],
      // `targetPort: htpp` is written literally in the template: the region is the same text.
      ['service-target-port', 'test/helm/webshop-chart/templates/service.yaml', 14, 19, 23],
    ]);
    expect(findings[0]!.message).toMatch(/ \(rendered as `app\.kubernetes\.io\/name: shop-metrics` at <stdin>:9\)$/);
    expect(findings[1]!.message).toMatch(/ \(rendered as `targetPort: htpp` at <stdin>:31\)$/);
    // Related places move too: the container's ports are a key of the Deployment template.
    expect(findings[1]!.related).toEqual([
      expect.objectContaining({ filePath: 'test/helm/webshop-chart/templates/deployment.yaml', line: 20 }),
    ]);
    // A key the template only writes through `include` (the pod labels) is not on any one line: the file.
    expect(findings[0]!.related).toEqual([
      expect.objectContaining({ filePath: 'test/helm/webshop-chart/templates/deployment.yaml', line: 1 }),
    ]);
    // The rendered output itself is still listed, now without findings.
    expect(results.find((r) => r.filePath === '<stdin>')!.messages).toEqual([]);
  });

  it('shows the template lines in code frames and SARIF snippets', () => {
    const stylish = runKubewire(['-'], { cwd: repoRoot, input: rendered });
    expect(stylish.stdout).toContain('test/helm/webshop-chart/templates/service.yaml:14:19  error  service-target-port');
    expect(stylish.stdout).toContain('> 14 |       targetPort: htpp');
    const sarif = JSON.parse(runKubewire(['-', '-f', 'sarif'], { cwd: repoRoot, input: rendered }).stdout) as {
      runs: {
        results: { locations: { physicalLocation: { artifactLocation: { uri: string }; region: { snippet?: { text: string } } } }[] }[];
      }[];
    };
    expect(
      sarif.runs[0]!.results.map((r) => [
        r.locations[0]!.physicalLocation.artifactLocation.uri,
        r.locations[0]!.physicalLocation.region.snippet?.text,
      ]),
    ).toEqual([
      ['test/helm/webshop-chart/templates/metrics-service.yaml', '{{ .Values.metricsSelector }}'],
      ['test/helm/webshop-chart/templates/service.yaml', 'htpp'],
    ]);
  });

  it('finds the chart by --helm-chart-root when no Chart.yaml names it, and says so when neither does', () => {
    const copy = path.join(work, 'deploy', 'chart-src');
    cpSync(chart, copy, { recursive: true });
    rmSync(path.join(copy, 'Chart.yaml'));
    const lost = runKubewire(['-', '-f', 'json'], { cwd: work, input: rendered });
    expect(lost.status).toBe(1);
    expect((JSON.parse(lost.stdout) as JsonResult[]).map((r) => [r.filePath, r.messages.length])).toEqual([['<stdin>', 2]]);
    expect(lost.stderr).toBe(
      'kubewire: helm template output names chart "shop" (# Source: shop/templates/deployment.yaml, and 2 more templates), but no single chart "shop" with templates/deployment.yaml was found under the working directory (by Chart.yaml name): findings in the documents it rendered stay on the rendered output; name the chart\'s directory with --helm-chart-root <dir>.\n',
    );
    const found = runKubewire(['-', '-f', 'json', '--helm-chart-root', 'deploy/chart-src'], { cwd: work, input: rendered });
    expect(found.stderr).toBe('');
    const files = (JSON.parse(found.stdout) as JsonResult[]).filter((r) => r.messages.length > 0).map((r) => r.filePath);
    expect(files).toEqual(['deploy/chart-src/templates/metrics-service.yaml', 'deploy/chart-src/templates/service.yaml']);
  });
});

describe('placing a finding in its template', () => {
  const deployment = `---
# Source: amb/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
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
            - name: http
              containerPort: 8080
`;
  const service = (source: string) => `---
# Source: ${source}
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - name: a
      port: 80
      targetPort: http
    - name: b
      port: 81
      targetPort: htpp
`;

  beforeAll(() => {
    const dir = path.join(work, 'amb');
    mkdirSync(path.join(dir, 'templates'), { recursive: true });
    writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: amb\nversion: 0.1.0\n');
    writeFileSync(path.join(dir, 'templates', 'deployment.yaml'), 'kind: Deployment\n');
    // Two targetPort lines, neither with the rendered text: which one rendered `htpp` is not known.
    writeFileSync(
      path.join(dir, 'templates', 'service.yaml'),
      'apiVersion: v1\nkind: Service\nspec:\n  ports:\n    - port: 80\n      targetPort: {{ .Values.a }}\n    - port: 81\n      targetPort: {{ .Values.b }}\n',
    );
    writeFileSync(path.join(dir, 'templates', 'literal.yaml'), 'spec:\n  ports:\n    - targetPort: http\n    - targetPort: htpp\n');
  });

  const lint = async (text: string) => {
    const run = await new Kubewire({ cwd: work }).lintText(text, { filePath: '<stdin>' });
    return run.results.flatMap((r) =>
      r.messages.filter((m) => m.ruleId === 'service-target-port').map((m) => [r.filePath, m.line, m.column, m.endColumn]),
    );
  };

  it('points at the top of the file when several template lines hold the key', async () => {
    expect(await lint(`${deployment}${service('amb/templates/service.yaml')}`)).toEqual([['amb/templates/service.yaml', 1, 1, 15]]);
  });

  it('takes the one line of several that holds the rendered text literally', async () => {
    expect(await lint(`${deployment}${service('amb/templates/literal.yaml')}`)).toEqual([['amb/templates/literal.yaml', 4, 19, 23]]);
  });

  it('never leaves the chart directory, whatever the Source line says', async () => {
    writeFileSync(path.join(work, 'secret.yaml'), 'targetPort: htpp\n');
    for (const source of ['amb/templates/../../secret.yaml', '/etc/passwd', 'amb/templates//service.yaml', 'amb']) {
      expect(await lint(`${deployment}${service(source)}`)).toEqual([['<stdin>', 37, 19, 23]]);
    }
  });
});
