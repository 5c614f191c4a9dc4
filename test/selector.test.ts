/**
 * Label selectors (src/model/pods/selector.ts) with upstream semantics (k8s.io/apimachinery pkg/labels/selector.go,
 * metav1.LabelSelectorAsSelector), the labels controllers add to the pods they create, pod counts, and the
 * label index (src/model/pods/label-index.ts), which must answer exactly as a plain scan.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NamespaceLabelIndex } from '../src/model/pods/label-index.js';
import type { PodTemplate } from '../src/model/pods/pod-template.js';
import {
  formatLabel,
  formatLabels,
  formatSelector,
  labelSelector,
  matchesLabels,
  matchTemplate,
  serviceSelector,
  yamlString,
  type Selector,
} from '../src/model/pods/selector.js';
import { projectOf } from './helpers.js';

/** The pod templates of a set of YAML documents, by owner name. */
function templatesOf(yaml: string): Map<string, PodTemplate> {
  const { graph } = projectOf({ 'w.yaml': yaml });
  return new Map(graph.podTemplates.map((t) => [t.owner.name, t]));
}

/** How many pods of a template the selector selects; undefined when it selects none. */
function podsSelected(selector: Selector, template: PodTemplate | undefined): number | null | undefined {
  if (!template) throw new Error('no such template');
  return matchTemplate(selector, template)?.pods;
}

const workload = (kind: string, name: string, labels: string, spec = '', apiVersion = 'apps/v1') => `---
apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: ${name}
spec:
${spec}  template:
    metadata:
      labels: ${labels}
    spec:
      containers:
      - name: main
        image: busybox
`;

describe('Service selectors (equality maps)', () => {
  it('requires every key=value', () => {
    const selector = serviceSelector({ app: 'web', tier: 'front' })!;
    expect(formatSelector(selector)).toBe('app=web,tier=front');
    expect(matchesLabels(selector, { app: 'web', tier: 'front', extra: 'x' })).toBe(true);
    expect(matchesLabels(selector, { app: 'web' })).toBe(false);
    expect(matchesLabels(selector, { app: 'web', tier: 'back' })).toBe(false);
  });

  it('has no selector when absent or empty (the controllers leave such a Service alone)', () => {
    expect(serviceSelector(undefined)).toBeUndefined();
    expect(serviceSelector(null)).toBeUndefined();
    expect(serviceSelector({})).toBeUndefined();
  });

  it('compares values as kubectl sends them (a YAML 1.1 `true` is the string "true")', () => {
    const selector = serviceSelector({ enabled: true, port: 8080 })!;
    expect(matchesLabels(selector, { enabled: 'true', port: '8080' })).toBe(true);
  });
});

describe('LabelSelector', () => {
  const labels = { app: 'web', tier: 'front' };

  it('ANDs matchLabels and matchExpressions', () => {
    const selector = labelSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'edge'] }],
    });
    expect(formatSelector(selector)).toBe('app=web,tier in (front,edge)');
    expect(matchesLabels(selector, labels)).toBe(true);
    expect(matchesLabels(selector, { app: 'web', tier: 'back' })).toBe(false);
    expect(matchesLabels(selector, { app: 'api', tier: 'front' })).toBe(false);
  });

  it('In needs the key with one of the values', () => {
    const selector = labelSelector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] });
    expect(matchesLabels(selector, labels)).toBe(true);
    expect(matchesLabels(selector, { app: 'web' })).toBe(false);
  });

  it('NotIn holds when the key is absent or its value is not listed', () => {
    const selector = labelSelector({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['back'] }] });
    expect(matchesLabels(selector, { app: 'web' })).toBe(true);
    expect(matchesLabels(selector, labels)).toBe(true);
    expect(matchesLabels(selector, { tier: 'back' })).toBe(false);
  });

  it('Exists and DoesNotExist test the key only', () => {
    const exists = labelSelector({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] });
    const absent = labelSelector({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] });
    expect(formatSelector(exists)).toBe('tier');
    expect(formatSelector(absent)).toBe('!tier');
    expect(matchesLabels(exists, labels)).toBe(true);
    expect(matchesLabels(exists, { tier: '' })).toBe(true);
    expect(matchesLabels(exists, { app: 'web' })).toBe(false);
    expect(matchesLabels(absent, labels)).toBe(false);
    expect(matchesLabels(absent, { app: 'web' })).toBe(true);
  });

  it('an unknown operator selects nothing (the API server rejects it)', () => {
    const selector = labelSelector({ matchExpressions: [{ key: 'tier', operator: 'Equals', values: ['front'] }] });
    expect(selector.kind).toBe('requirements');
    expect(matchesLabels(selector, labels)).toBe(false);
  });

  it('a nil selector matches nothing; {} matches everything', () => {
    expect(labelSelector(null).kind).toBe('nothing');
    expect(labelSelector(undefined).kind).toBe('nothing');
    expect(matchesLabels(labelSelector(null), labels)).toBe(false);
    expect(matchesLabels(labelSelector(null), {})).toBe(false);
    expect(labelSelector({}).kind).toBe('everything');
    expect(labelSelector({ matchLabels: {}, matchExpressions: [] }).kind).toBe('everything');
    expect(matchesLabels(labelSelector({}), labels)).toBe(true);
    expect(matchesLabels(labelSelector({}), {})).toBe(true);
  });

  it('nil and {} against pod templates', () => {
    const web = templatesOf(workload('Deployment', 'web', '{app: web}', '  replicas: 3\n')).get('web');
    expect(podsSelected(labelSelector(null), web)).toBeUndefined();
    expect(podsSelected(labelSelector({}), web)).toBe(3);
  });
});

describe('labels that controllers add to pods', () => {
  const templates = templatesOf(
    [
      workload('Deployment', 'web', '{app: web}', '  replicas: 2\n'),
      workload('StatefulSet', 'db', '{app: db}', '  replicas: 3\n'),
      workload('StatefulSet', 'shard', '{app: shard}', '  replicas: 2\n  ordinals:\n    start: 5\n'),
      workload('StatefulSet', 'one', '{app: one}'),
      workload('DaemonSet', 'agent', '{app: agent}'),
      workload('Job', 'migrate', '{app: migrate}', '  parallelism: 4\n', 'batch/v1'),
      `---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: backup
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        metadata:
          labels: {app: backup}
        spec:
          restartPolicy: OnFailure
          containers: [{name: backup, image: backup}]
`,
    ].join(''),
  );
  const eq = (labels: Record<string, string>) => serviceSelector(labels)!;

  it('pod-template-hash on a Deployment, not on a StatefulSet', () => {
    expect(podsSelected(eq({ app: 'web', 'pod-template-hash': '5d4f8c7b9' }), templates.get('web'))).toBe(2);
    expect(podsSelected(eq({ app: 'db', 'pod-template-hash': '5d4f8c7b9' }), templates.get('db'))).toBeUndefined();
    const exists = labelSelector({ matchExpressions: [{ key: 'pod-template-hash', operator: 'Exists' }] });
    const absent = labelSelector({ matchExpressions: [{ key: 'pod-template-hash', operator: 'DoesNotExist' }] });
    expect(podsSelected(exists, templates.get('web'))).toBe(2);
    expect(podsSelected(absent, templates.get('web'))).toBeUndefined();
    expect(podsSelected(absent, templates.get('db'))).toBe(3);
  });

  it('statefulset.kubernetes.io/pod-name selects the one pod of that ordinal, within replicas', () => {
    const podName = (name: string) => eq({ 'statefulset.kubernetes.io/pod-name': name });
    expect(podsSelected(podName('db-0'), templates.get('db'))).toBe(1);
    expect(podsSelected(podName('db-2'), templates.get('db'))).toBe(1);
    expect(podsSelected(podName('db-3'), templates.get('db'))).toBeUndefined();
    expect(podsSelected(podName('db-01'), templates.get('db'))).toBeUndefined();
    expect(podsSelected(podName('web-0'), templates.get('db'))).toBeUndefined();
    // Replicas default to 1.
    expect(podsSelected(podName('one-0'), templates.get('one'))).toBe(1);
    expect(podsSelected(podName('one-1'), templates.get('one'))).toBeUndefined();
    // spec.ordinals.start moves the ordinals: shard-5 and shard-6.
    expect(podsSelected(podName('shard-0'), templates.get('shard'))).toBeUndefined();
    expect(podsSelected(podName('shard-5'), templates.get('shard'))).toBe(1);
    expect(podsSelected(podName('shard-6'), templates.get('shard'))).toBe(1);
    expect(podsSelected(podName('shard-7'), templates.get('shard'))).toBeUndefined();
    // A Deployment's pods have no such label.
    expect(podsSelected(podName('web-0'), templates.get('web'))).toBeUndefined();
  });

  it('apps.kubernetes.io/pod-index and set-based selectors count the pods per ordinal', () => {
    expect(podsSelected(eq({ 'apps.kubernetes.io/pod-index': '1' }), templates.get('db'))).toBe(1);
    expect(podsSelected(eq({ 'apps.kubernetes.io/pod-index': '5' }), templates.get('shard'))).toBe(1);
    expect(podsSelected(eq({ 'apps.kubernetes.io/pod-index': '0' }), templates.get('shard'))).toBeUndefined();
    const notFirst = labelSelector({
      matchExpressions: [{ key: 'statefulset.kubernetes.io/pod-name', operator: 'NotIn', values: ['db-0'] }],
    });
    expect(podsSelected(notFirst, templates.get('db'))).toBe(2);
    const someOf = labelSelector({
      matchLabels: { app: 'db' },
      matchExpressions: [{ key: 'apps.kubernetes.io/pod-index', operator: 'In', values: ['0', '2', '9'] }],
    });
    expect(podsSelected(someOf, templates.get('db'))).toBe(2);
    expect(
      podsSelected(labelSelector({ matchExpressions: [{ key: 'apps.kubernetes.io/pod-index', operator: 'Exists' }] }), templates.get('db')),
    ).toBe(3);
  });

  it('controller-revision-hash on StatefulSets and DaemonSets', () => {
    expect(podsSelected(eq({ app: 'db', 'controller-revision-hash': 'db-7c9f' }), templates.get('db'))).toBe(3);
    expect(podsSelected(eq({ app: 'agent', 'controller-revision-hash': 'x' }), templates.get('agent'))).toBeNull();
    expect(podsSelected(eq({ app: 'web', 'controller-revision-hash': 'x' }), templates.get('web'))).toBeUndefined();
  });

  it("job-name is the Job's name; a CronJob's Jobs have names we cannot know", () => {
    expect(podsSelected(eq({ 'job-name': 'migrate' }), templates.get('migrate'))).toBe(4);
    expect(podsSelected(eq({ 'batch.kubernetes.io/job-name': 'migrate' }), templates.get('migrate'))).toBe(4);
    expect(podsSelected(eq({ 'job-name': 'other' }), templates.get('migrate'))).toBeUndefined();
    expect(podsSelected(eq({ 'controller-uid': '0b0c1d' }), templates.get('migrate'))).toBe(4);
    // A CronJob's Job is named <cronjob>-<scheduled time>: any value may be right.
    expect(podsSelected(eq({ 'job-name': 'backup-28934400' }), templates.get('backup'))).toBe(1);
    expect(podsSelected(eq({ 'job-name': 'migrate' }), templates.get('web'))).toBeUndefined();
  });

  it('counts pods: replicas, default 1, DaemonSet per node (null), Job parallelism', () => {
    const all = labelSelector({});
    expect(podsSelected(all, templates.get('web'))).toBe(2);
    expect(podsSelected(all, templates.get('one'))).toBe(1);
    expect(podsSelected(all, templates.get('agent'))).toBeNull();
    expect(podsSelected(all, templates.get('migrate'))).toBe(4);
    expect(podsSelected(all, templates.get('backup'))).toBe(1);
    // A DaemonSet's count stays unknown (null), never 0, whatever selects it.
    expect(podsSelected(eq({ app: 'agent' }), templates.get('agent'))).toBeNull();
    expect(podsSelected(eq({ app: 'agent', 'pod-template-generation': '3' }), templates.get('agent'))).toBeNull();
  });
});

describe('the label index answers as a plain scan', () => {
  const keys = ['app', 'tier', 'pod-template-hash', 'job-name', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index'];
  const values = ['web', 'api', '', 'db-0', 'sts-1', '0', '1', 'job'];
  const kinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'ReplicaSet'] as const;
  const names = ['db', 'sts', 'job', 'web'];

  const labelsArb = fc.dictionary(fc.constantFrom(...keys), fc.constantFrom(...values), { maxKeys: 3 });
  const workloadArb = fc.record({
    kind: fc.constantFrom(...kinds),
    name: fc.constantFrom(...names),
    labels: labelsArb,
    replicas: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    start: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
  });
  const requirementArb = fc.record({
    key: fc.constantFrom(...keys),
    operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist', 'Bogus'),
    // Repeated values are allowed upstream (a set): the index must not return a template twice.
    values: fc.oneof(
      fc.array(fc.constantFrom(...values), { minLength: 0, maxLength: 3 }),
      fc.constantFrom(...values).map((v) => [v, v]),
    ),
  });
  const selectorArb = fc.oneof(
    fc.constant(null),
    fc.record({
      matchLabels: fc.dictionary(fc.constantFrom(...keys), fc.constantFrom(...values), { maxKeys: 1 }),
      matchExpressions: fc.array(requirementArb, { maxLength: 2 }),
    }),
  );

  /** A workload as JSON (valid YAML), with a distinct annotation so two of the same name stay apart. */
  function manifest(
    w: { kind: string; name: string; labels: Record<string, string>; replicas: number | undefined; start: number | undefined },
    i: number,
  ): unknown {
    const template = { metadata: { labels: w.labels }, spec: { containers: [{ name: 'c', image: 'i' }] } };
    const apiVersion = w.kind === 'Job' || w.kind === 'CronJob' ? 'batch/v1' : w.kind === 'Pod' ? 'v1' : 'apps/v1';
    const metadata = { name: w.name, namespace: 'ns', annotations: { i: String(i) } };
    if (w.kind === 'Pod') return { apiVersion, kind: 'Pod', metadata: { ...metadata, labels: w.labels }, spec: template.spec };
    if (w.kind === 'CronJob') return { apiVersion, kind: 'CronJob', metadata, spec: { jobTemplate: { spec: { template } } } };
    const spec: Record<string, unknown> = { template };
    if (w.replicas !== undefined) spec[w.kind === 'Job' ? 'parallelism' : 'replicas'] = w.replicas;
    if (w.start !== undefined) spec.ordinals = { start: w.start };
    return { apiVersion, kind: w.kind, metadata, spec };
  }

  it('index.select equals filtering every template with matchTemplate (fixed seed)', () => {
    fc.assert(
      fc.property(
        fc.array(workloadArb, { minLength: 1, maxLength: 8 }),
        fc.array(selectorArb, { minLength: 1, maxLength: 5 }),
        (workloads, selectors) => {
          const documents = workloads.map((w, i) => JSON.stringify(manifest(w, i))).join('\n---\n');
          const { graph } = projectOf({ 'w.yaml': documents });
          const index = new NamespaceLabelIndex();
          for (const template of graph.podTemplatesIn('ns')) index.add(template);
          for (const raw of selectors) {
            const selector = labelSelector(raw);
            const expected = graph
              .podTemplatesIn('ns')
              .map((t) => matchTemplate(selector, t))
              .filter((m) => m !== undefined);
            expect(index.select(selector)).toEqual(expected);
            expect(graph.podTemplatesSelectedBy(selector, 'ns')).toEqual(expected);
          }
        },
      ),
      { seed: 20240601, numRuns: 300 },
    );
  });

  it('does not return a template twice for repeated values (In [web, web])', () => {
    const yaml =
      workload('Deployment', 'web', '{app: web}') + workload('Deployment', 'api', '{app: api}') + workload('Deployment', 'db', '{app: db}');
    const { graph } = projectOf({ 'w.yaml': yaml });
    const selector = labelSelector({ matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'web'] }] });
    expect(graph.podTemplatesSelectedBy(selector, 'default').map((m) => m.template.owner.name)).toEqual(['web']);
  });
});

describe('labels in messages', () => {
  it('prints an empty value as "" (never `key: }` or a bare `app=`)', () => {
    expect(formatLabels({ app: 'web', tier: '' })).toBe('{app: web, tier: ""}');
    expect(formatLabel('tier', '')).toBe('tier: ""');
    expect(formatSelector(serviceSelector({ app: 'web', tier: '' })!)).toBe('app=web,tier=""');
    expect(formatSelector(labelSelector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['', 'web'] }] }))).toBe(
      'tier in ("",web)',
    );
  });

  it('quotes values that kubectl would not read back as the same string', () => {
    // go-yaml v2 (YAML 1.1): booleans, numbers (0o17 and 1.10 too), null; a comment or a flow indicator ends the scalar.
    for (const value of [
      'yes',
      'on',
      'Off',
      'y',
      'true',
      '1',
      '1.10',
      '0o17',
      '0x1F',
      '.inf',
      'null',
      '~',
      'a #b',
      'x,y',
      '{a}',
      '- x',
      ' x',
      '*ref',
      '!tag',
    ]) {
      expect(yamlString(value), value).toBe(JSON.stringify(value));
    }
    // Strings as kubectl reads them: base-60 (22:22) and timestamps stay strings (loader/yaml-schema.ts).
    for (const value of ['web', 'web-v1', 'app.kubernetes.io', '22:22', '2024-01-01', 'a#b', 'v1.2.3', '-x']) {
      expect(yamlString(value), value).toBe(value);
    }
    expect(formatLabels({})).toBe('(none)');
    expect(formatLabel('managed', 'yes')).toBe('managed: "yes"');
  });
});
