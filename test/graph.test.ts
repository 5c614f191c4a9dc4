/**
 * The wiring diagram (`kubewire graph`, the Action's job summary): what the model exports, and the Mermaid and
 * DOT texts read back by their real consumers: Mermaid's own parser (what GitHub renders Markdown diagrams
 * with) and Graphviz (compiled to WebAssembly, @viz-js/viz). Hostile names must come out as text, never as
 * structure.
 */
import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../src/engine/project.js';
import { wiringOf, type Wiring } from '../src/model/wiring.js';
import { dotWiring } from '../src/reporters/graph/dot.js';
import { mermaidWiring } from '../src/reporters/graph/mermaid.js';
import { escapeControl } from '../src/reporters/escape.js';
import { runKubewire, ensureBuilt } from './cli-process.js';
import { projectOf, repoRoot } from './helpers.js';

interface ParsedDiagram {
  nodes: Map<string, string>;
  edges: { from: string; to: string; label: string; state: 'ok' | 'warning' | 'broken' }[];
  groups: { title: string; nodes: string[] }[];
}

// Mermaid sanitises labels with DOMPurify, which needs a DOM: the one jsdom provides, as a browser would.
let mermaid: typeof import('mermaid').default;
let viz: Awaited<ReturnType<typeof import('@viz-js/viz').instance>>;
let decoder: Document;

beforeAll(async () => {
  const dom = new JSDOM('');
  decoder = dom.window.document;
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
  mermaid = (await import('mermaid')).default;
  mermaid.initialize({ startOnLoad: false });
  viz = await (await import('@viz-js/viz')).instance();
  ensureBuilt();
});

/** What a reader sees of a label: Mermaid keeps entity codes as placeholders until it renders HTML. */
function shownText(text: string): string {
  const html = text.replace(/ﬂ°°/g, '&#').replace(/ﬂ°/g, '&').replace(/¶ß/g, ';');
  const element = decoder.createElement('div');
  element.innerHTML = html;
  return element.textContent ?? '';
}

async function parseMermaid(text: string): Promise<ParsedDiagram> {
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db as unknown as {
    getVertices(): Map<string, { id: string; text: string }>;
    getEdges(): { start: string; end: string; text: string; stroke: string }[];
    getSubGraphs(): { title: string; nodes: string[] }[];
  };
  return {
    nodes: new Map([...db.getVertices().values()].map((v) => [v.id, shownText(v.text)])),
    edges: db.getEdges().map((e) => ({
      from: e.start,
      to: e.end,
      label: shownText(e.text),
      state: e.stroke === 'thick' ? 'broken' : e.stroke === 'dotted' ? 'warning' : 'ok',
    })),
    groups: db.getSubGraphs().map((s) => ({ title: shownText(s.title), nodes: s.nodes })),
  };
}

/** What Graphviz draws: the SVG it renders, read back as a browser would (titles are ids, texts the labels). */
function parseDot(text: string): ParsedDiagram {
  const result = viz.render(text, { format: 'svg' });
  expect(result.errors.filter((e) => e.level === 'error')).toEqual([]);
  expect(result.status).toBe('success');
  const svg = new JSDOM(result.output, { contentType: 'image/svg+xml' }).window.document;
  const title = (g: Element) => g.querySelector('title')?.textContent ?? '';
  // Graphviz keeps runs of spaces as no-break spaces; they look the same.
  const label = (g: Element) => [...g.querySelectorAll('text')].map((t) => (t.textContent ?? '').replace(/\u00a0/g, ' ')).join('\n');
  const nodes = new Map([...svg.querySelectorAll('g.node')].map((g) => [title(g), label(g)]));
  const clusters = [...svg.querySelectorAll('g.cluster')];
  return {
    nodes,
    edges: [...svg.querySelectorAll('g.edge')].map((g) => {
      const [from, to] = title(g).split('->') as [string, string];
      const stroke = g.querySelector('path')?.getAttribute('stroke');
      return { from, to, label: label(g), state: stroke === '#d1242f' ? 'broken' : stroke === '#9a6700' ? 'warning' : 'ok' };
    }),
    groups: clusters.map((c) => ({ title: label(c), nodes: [] })),
  };
}

/** The wiring's edges as `from-label --label--> to-label`, the same in both renderings. */
function edgeTexts(parsed: ParsedDiagram): string[] {
  return parsed.edges
    .map((e) => `${parsed.nodes.get(e.from)} --${e.label}--> ${parsed.nodes.get(e.to)}${e.state === 'ok' ? '' : ` (${e.state})`}`)
    .sort();
}

async function examplesWiring(): Promise<Wiring> {
  const project = await loadProject({ cwd: repoRoot, operands: ['examples'] });
  return wiringOf(project.graph);
}

describe('wiring of examples/', () => {
  const expected = [
    'HorizontalPodAutoscaler/api --2–10 replicas--> Deployment/api',
    'HorizontalPodAutoscaler/checkout-api --2–6 replicas--> Deployment/checkout-api',
    'HorizontalPodAutoscaler/frontend --2–8 replicas--> Deployment/frontend',
    'Ingress/shop --/ → http (80)--> Service/frontend',
    // examples/README.md: the Ingress names port 8080 of Service api, whose only port is 80.
    'Ingress/shop --/api → 8080 ✗--> Service/api (broken)',
    'Service/api --80→8080--> Deployment/api',
    'Service/api-nodeport --80→8080--> Deployment/api',
    // checkout selects app=checkout, the Deployment is labelled checkout-api.
    'Service/checkout --no endpoints--> no matching pods (broken)',
    // frontend's targetPort "http" names no container port.
    'Service/frontend --80→http ✗--> Deployment/frontend (broken)',
    'Service/postgres --5432→5432--> StatefulSet/postgres',
    'Service/redis --6379→6379--> Deployment/redis',
  ];

  it('Mermaid: Services, Ingresses and HPAs to what they reach, broken edges marked, in one namespace subgraph', async () => {
    const wiring = await examplesWiring();
    const parsed = await parseMermaid(mermaidWiring(wiring));
    expect(edgeTexts(parsed)).toEqual(expected);
    expect(parsed.groups.map((g) => g.title)).toEqual(['namespace shop']);
    expect(parsed.groups[0]!.nodes).toHaveLength(wiring.nodes.length);
  });

  it('DOT: the same graph, as Graphviz reads it', async () => {
    const parsed = parseDot(dotWiring(await examplesWiring()));
    expect(edgeTexts(parsed)).toEqual(expected);
    expect(parsed.groups.map((g) => g.title)).toEqual(['namespace shop']);
  });

  it('broken edges say why', async () => {
    const wiring = await examplesWiring();
    expect(wiring.edges.filter((e) => e.state === 'broken').map((e) => e.reason)).toEqual([
      'Service "api" has no port 8080',
      'the selector matches no pods in the input',
      'port 80: no container declares a port named "http"',
    ]);
  });
});

/** A workload of pods labelled app=<app>, written in flow style; names are JSON-quoted so that any text fits. */
function workload(kind: string, name: string, namespace: string, app: string, ports = '[]'): string {
  const q = JSON.stringify;
  return `apiVersion: apps/v1
kind: ${kind}
metadata: {name: ${q(name)}, namespace: ${q(namespace)}}
spec:
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}}}
    spec: {containers: [{name: c, image: nginx, ports: ${ports}}]}`;
}

describe('wiring edge cases', () => {
  it('dangling references: an Ingress to a missing Service, an HPA to a missing Deployment, an HPA on a DaemonSet', () => {
    const project = projectOf({
      'app.yaml': `${workload('Deployment', 'web', 'shop', 'web', '[{name: http, containerPort: 8080}]')}
---
${workload('DaemonSet', 'agent', 'shop', 'agent')}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}, {name: dns, port: 53, protocol: UDP, targetPort: 8053}]
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec: {type: ExternalName, externalName: db.example.com}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  rules:
  - http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: wbe, port: {number: 80}}}}
      - {path: /web, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: webb}, minReplicas: 2, maxReplicas: 5}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: agent, namespace: shop}
spec: {scaleTargetRef: {apiVersion: apps/v1, kind: DaemonSet, name: agent}, maxReplicas: 3}
`,
    });
    const wiring = wiringOf(project.graph);
    const label = (id: string) => {
      const node = wiring.nodes.find((n) => n.id === id)!;
      return `${node.role}:${node.kind}/${node.name}`;
    };
    expect(
      wiring.edges.map((e) => `${label(e.from)} --${e.label}--> ${label(e.to)} [${e.state}${e.reason ? `: ${e.reason}` : ''}]`),
    ).toEqual([
      'resource:Ingress/shop --/ → 80--> missing:Service/wbe [broken: Service "wbe" does not exist in namespace "shop"]',
      'resource:Ingress/shop --/web → http (80)--> resource:Service/web [ok]',
      'resource:Service/db --CNAME--> external:DNS/db.example.com [ok]',
      // 8053/UDP: no container declares it, and a number resolves anyway (FindPort) on the pod.
      'resource:Service/web --80→8080, 53→8053/UDP--> resource:Deployment/web [ok]',
      'resource:HorizontalPodAutoscaler/agent --1–3 replicas--> resource:DaemonSet/agent [broken: a DaemonSet runs one pod per eligible node and has no replica count]',
      'resource:HorizontalPodAutoscaler/web --2–5 replicas--> missing:Deployment/webb [broken: Deployment "webb" does not exist in namespace "shop"]',
    ]);
  });

  it('a Service whose pods an operator creates is uncertain, not broken', () => {
    const project = projectOf({
      'pg.yaml': `apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: {name: pg, namespace: db}
spec: {instances: 3}
---
apiVersion: v1
kind: Service
metadata: {name: pg-extra, namespace: db}
spec:
  selector: {cnpg.io/cluster: pg}
  ports: [{port: 5432}]
`,
    });
    const [edge] = wiringOf(project.graph).edges;
    expect(edge).toMatchObject({ label: 'pods from the operator', state: 'warning' });
  });
});

/** Names and values that try to end a label, start a statement, inject HTML, or forge a line. */
const HOSTILE = [
  'x"]; n0 --> n1; click n0 "javascript:alert(1)" %%',
  '<img src=x onerror=alert(1)>',
  'a\nflowchart TB\n  evil',
  '`**md**`',
  '#quot; #35; &amp; &#60;',
  'end',
  'back\\slash \\N \\G \\l',
  '}; digraph evil { a -> b',
  'tab\there \u001b[31mred\u202e',
];

function hostileProject(name: string) {
  // YAML double-quoted scalars carry every character; JSON.stringify writes a valid one.
  const q = JSON.stringify;
  return projectOf({
    'hostile.yaml': `${workload('Deployment', name, name, 'web', '[{containerPort: 8080}]')}
---
apiVersion: v1
kind: Service
metadata: {name: ${q(name)}, namespace: ${q(name)}}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${q(name)}, namespace: ${q(name)}}
spec:
  rules:
  - http:
      paths:
      - {path: ${q(name)}, pathType: Prefix, backend: {service: {name: ${q(name)}, port: {number: 80}}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: ${q(name)}, namespace: ${q(name)}}
spec: {scaleTargetRef: {apiVersion: apps/v1, kind: ${q(name)}, name: ${q(name)}}, maxReplicas: 3}
`,
  });
}

describe('no manifest can break or inject into the diagram', () => {
  for (const name of HOSTILE) {
    const shown = escapeControl(name);
    const expected = [
      // No object of that kind in the namespace: kubewire cannot tell, and draws it uncertain.
      `HorizontalPodAutoscaler/${shown} --1–3 replicas--> ${shown}/${shown} (not found) (warning)`,
      `Ingress/${shown} --${shown} → 80--> Service/${shown}`,
      `Service/${shown} --80→8080--> Deployment/${shown}`,
    ];

    it(`Mermaid keeps ${JSON.stringify(name)} as text`, async () => {
      const text = mermaidWiring(wiringOf(hostileProject(name).graph));
      const parsed = await parseMermaid(text);
      expect(parsed.nodes.size).toBe(5);
      expect(edgeTexts(parsed)).toEqual(expected);
      expect(parsed.groups.map((g) => g.title)).toEqual([`namespace ${shown}`]);
      // No raw markup reaches the page: GitHub would sanitise it, but it never gets the chance.
      expect(text.replace(/-->|==>|-\.->/g, '')).not.toMatch(/[<>`]/);
    });

    it(`DOT keeps ${JSON.stringify(name)} as text`, () => {
      const parsed = parseDot(dotWiring(wiringOf(hostileProject(name).graph)));
      expect(parsed.nodes.size).toBe(5);
      expect(edgeTexts(parsed)).toEqual(expected);
      expect(parsed.groups.map((g) => g.title)).toEqual([`namespace ${shown}`]);
    });
  }
});

/** `services` apps in `namespaces` namespaces; every tenth Service selects nothing. */
function bigProject(namespaces: number, services: number) {
  const docs: string[] = [];
  for (let n = 0; n < namespaces; n++) {
    for (let s = 0; s < services; s++) {
      const app = `app-${s}`;
      docs.push(`${workload('Deployment', app, `ns-${n}`, app, '[{containerPort: 8080}]')}
---
apiVersion: v1
kind: Service
metadata: {name: ${app}, namespace: ns-${n}}
spec: {selector: {app: ${s % 10 === 0 ? 'nothing' : app}}, ports: [{port: 80, targetPort: 8080}]}`);
    }
  }
  return projectOf({ 'big.yaml': docs.join('\n---\n') });
}

describe('huge inputs are folded so that the page stays readable', () => {
  it('past 150 nodes, namespaces fold into counts and the broken edges stay, in Mermaid and DOT', async () => {
    const wiring = wiringOf(bigProject(8, 40).graph);
    expect(wiring.nodes.length).toBeGreaterThan(600);
    const text = mermaidWiring(wiring);
    expect(text.length).toBeLessThan(64 * 1024);
    const parsed = await parseMermaid(text);
    expect(parsed.nodes.size).toBeLessThanOrEqual(150);
    // 8 namespaces × 4 Services that select nothing, each with its placeholder: all shown, all broken.
    expect(parsed.edges).toHaveLength(32);
    expect(parsed.edges.every((e) => e.state === 'broken' && parsed.nodes.get(e.to) === 'no matching pods')).toBe(true);
    expect(parsed.groups).toHaveLength(8);
    expect([...parsed.nodes.values()].filter((l) => l.startsWith('and '))).toEqual(Array(8).fill('and Deployment ×36, Service ×36'));
    expect(text).toMatch(
      /^---\ntitle: \d+ nodes and \d+ edges are too many to draw - namespaces folded, broken and uncertain edges shown\n---\nflowchart LR\n/,
    );

    const dot = parseDot(dotWiring(wiring));
    expect(dot.nodes.size).toBe(parsed.nodes.size);
    expect(edgeTexts(dot)).toEqual(edgeTexts(parsed));
  });

  it('when even the problems do not fit, as many as fit are drawn and the rest counted', async () => {
    const wiring = wiringOf(bigProject(3, 400).graph);
    const text = mermaidWiring(wiring);
    const parsed = await parseMermaid(text);
    expect(parsed.nodes.size).toBeLessThanOrEqual(150);
    expect(parsed.edges.length).toBeGreaterThan(60);
    expect(text).toMatch(/edges shown, \d+ more left out\n/);
  });
});

describe('kubewire graph', () => {
  it('prints Mermaid by default and DOT on request; other formats are a usage error', () => {
    const mermaidRun = runKubewire(['graph', 'examples'], { cwd: repoRoot });
    expect(mermaidRun.status).toBe(0);
    expect(mermaidRun.stdout).toMatch(/^flowchart LR\n/);
    const dotRun = runKubewire(['graph', '--format', 'dot', 'examples'], { cwd: repoRoot });
    expect(dotRun.status).toBe(0);
    expect(dotRun.stdout).toMatch(/^digraph wiring \{\n/);
    const bad = runKubewire(['graph', '--format', 'json', 'examples'], { cwd: repoRoot });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('"kubewire graph" prints mermaid or dot, not "json"');
  });
});
