/**
 * Endpoint simulation (src/model/services/endpoints.ts through ResourceGraph.endpointsOf, and the plain-data view of
 * src/model/services/endpoints-report.ts): what the EndpointSlice controller would build for each Service once the
 * manifests are applied (kubernetes/endpointslice reconciler.go, utils.go; FindPort in pkg/api/v1/pod/util.go).
 */
import { describe, expect, it } from 'vitest';
import type { Project } from '../src/engine/project.js';
import { endpointsReport, type EndpointsReport } from '../src/model/services/endpoints-report.js';
import { projectOf } from './helpers.js';

function reportOf(project: Project, name: string, namespace = 'default'): EndpointsReport {
  const service = project.graph.find('Service', namespace, name);
  if (!service) throw new Error(`no Service ${namespace}/${name}`);
  return endpointsReport(project.graph.endpointsOf(service));
}

/** One line per backend and unresolved template of each port: `80->8080 Deployment/web x3 app:8080`. */
function summary(report: EndpointsReport): string[] {
  return report.ports.flatMap((p) => [
    ...p.backends.map((b) => `${p.port}->${p.targetPort} ${b.kind}/${b.name} x${b.pods} ${b.container ?? '-'}:${b.containerPort}`),
    ...p.unresolved.map((u) => `${p.port}->${p.targetPort} ${u.kind}/${u.name} x${u.pods} UNRESOLVED ${u.reason}`),
  ]);
}

const workload = (kind: string, name: string, spec: string, ports = '[{name: http, containerPort: 8080}]', extra = '') => `---
apiVersion: ${kind === 'Job' ? 'batch/v1' : 'apps/v1'}
kind: ${kind}
metadata:
  name: ${name}
${extra}spec:
${spec}  template:
    metadata:
      labels: {app: shop, workload: ${name}}
    spec:
      containers:
      - name: ${name}-main
        image: ${name}
        ports: ${ports}
`;

const serviceYaml = (name: string, spec: string, metadata = '') => `---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
${metadata}spec:
${spec}`;

describe('backends and pod counts per workload', () => {
  const project = projectOf({
    'workloads.yaml': [
      workload('Deployment', 'default-replicas', ''),
      workload('Deployment', 'three', '  replicas: 3\n'),
      workload('Deployment', 'scaled-down', '  replicas: 0\n'),
      workload('DaemonSet', 'agent', ''),
      workload('Job', 'batch', '  parallelism: 2\n'),
      workload('StatefulSet', 'other-port', '  replicas: 2\n', '[{name: web, containerPort: 3000}]'),
      workload('Job', 'once', '  parallelism: 3\n  completions: 1\n'),
    ].join(''),
    'service.yaml': serviceYaml(
      'shop',
      `  selector: {app: shop}
  ports:
  - name: http
    port: 80
    targetPort: http
  - name: direct
    port: 81
    targetPort: 9000
`,
    ),
  });

  it('lists every selected workload with its pods (Job: parallelism, at most completions), resolving the port in each', () => {
    const report = reportOf(project, 'shop');
    expect(report.mode).toBe('selector');
    expect(summary(report)).toEqual([
      '80->http Deployment/default-replicas x1 default-replicas-main:8080',
      '80->http Deployment/three x3 three-main:8080',
      '80->http Deployment/scaled-down x0 scaled-down-main:8080',
      '80->http DaemonSet/agent xnull agent-main:8080',
      '80->http Job/batch x2 batch-main:8080',
      '80->http Job/once x1 once-main:8080',
      '80->http StatefulSet/other-port x2 UNRESOLVED no container declares a port named "http"',
      '81->9000 Deployment/default-replicas x1 -:9000',
      '81->9000 Deployment/three x3 -:9000',
      '81->9000 Deployment/scaled-down x0 -:9000',
      '81->9000 DaemonSet/agent xnull -:9000',
      '81->9000 Job/batch x2 -:9000',
      '81->9000 StatefulSet/other-port x2 -:9000',
      '81->9000 Job/once x1 -:9000',
    ]);
    // A DaemonSet runs one pod per node: the total is unknown.
    expect(report.ports.map((p) => p.pods)).toEqual([null, null]);
  });

  it('totals the pods of the backends, not of the templates where the port does not resolve', () => {
    const narrow = projectOf({
      'w.yaml': [
        workload('Deployment', 'web', '  replicas: 3\n'),
        workload('Deployment', 'api', '  replicas: 2\n', '[{name: grpc, containerPort: 9090}]'),
        serviceYaml('shop', '  selector: {app: shop}\n  ports:\n  - port: 80\n    targetPort: http\n'),
      ].join(''),
    });
    const report = reportOf(narrow, 'shop');
    expect(summary(report)).toEqual([
      '80->http Deployment/web x3 web-main:8080',
      '80->http Deployment/api x2 UNRESOLVED no container declares a port named "http"',
    ]);
    expect(report.ports[0]!.pods).toBe(3);
  });

  it('has the shape `kubewire endpoints --format json` prints', () => {
    const narrow = projectOf({
      'w.yaml': [
        workload('Deployment', 'web', '  replicas: 2\n'),
        serviceYaml(
          'web',
          '  clusterIP: None\n  selector: {workload: web}\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n',
        ),
      ].join(''),
    });
    expect(reportOf(narrow, 'web')).toEqual({
      service: { namespace: 'default', name: 'web', type: 'ClusterIP', headless: true, selector: { workload: 'web' } },
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
          backends: [{ kind: 'Deployment', name: 'web', pods: 2, container: 'web-main', containerPort: 8080 }],
          unresolved: [],
        },
      ],
    });
  });
});

describe('targetPort defaults to port', () => {
  const project = projectOf({
    'all.yaml': [
      workload('Deployment', 'web', '', '[{name: http, containerPort: 80}]'),
      serviceYaml('absent', '  selector: {app: shop}\n  ports:\n  - port: 80\n'),
      serviceYaml('zero', '  selector: {app: shop}\n  ports:\n  - port: 80\n    targetPort: 0\n'),
      serviceYaml('empty', '  selector: {app: shop}\n  ports:\n  - port: 80\n    targetPort: ""\n'),
      serviceYaml('udp', '  selector: {app: shop}\n  ports:\n  - port: 53\n    protocol: UDP\n'),
    ].join(''),
  });

  it.each(['absent', 'zero', 'empty'])('when %s', (name) => {
    const report = reportOf(project, name);
    expect(report.ports.map((p) => `${p.port}/${p.protocol}->${p.targetPort}`)).toEqual(['80/TCP->80']);
    expect(summary(report)).toEqual(['80->80 Deployment/web x1 web-main:80']);
  });

  it('keeps the protocol of the Service port', () => {
    expect(summary(reportOf(project, 'udp'))).toEqual(['53->53 Deployment/web x1 -:53']);
    expect(reportOf(project, 'udp').ports[0]!.protocol).toBe('UDP');
  });
});

describe('Services the endpoint controller leaves alone', () => {
  const project = projectOf({
    'all.yaml': [
      workload('Deployment', 'web', ''),
      serviceYaml('external', '  type: ExternalName\n  externalName: db.example.com\n  selector: {app: shop}\n  ports:\n  - port: 5432\n'),
      serviceYaml('manual', '  ports:\n  - port: 5432\n'),
      serviceYaml('empty-selector', '  selector: {}\n  ports:\n  - port: 80\n'),
      serviceYaml('nothing', '  ports:\n  - port: 80\n'),
      `---
apiVersion: v1
kind: Endpoints
metadata:
  name: manual
subsets:
- addresses: [{ip: 10.0.0.5}]
  ports: [{port: 5432}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: manual-abc
  labels:
    kubernetes.io/service-name: manual
addressType: IPv4
endpoints: [{addresses: [10.0.0.6]}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: empty-selector-1
  labels:
    kubernetes.io/service-name: empty-selector
addressType: IPv4
endpoints: []
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: manual-elsewhere
  namespace: other
  labels:
    kubernetes.io/service-name: manual
addressType: IPv4
endpoints: []
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: nothing
addressType: IPv4
endpoints: []
`,
    ].join(''),
  });

  it('ExternalName: no endpoints, whatever its selector', () => {
    const report = reportOf(project, 'external');
    expect(report.mode).toBe('external-name');
    expect(report.service.type).toBe('ExternalName');
    expect(report.ports).toEqual([]);
    expect(report.manual).toEqual([]);
  });

  it('selectorless: the Endpoints of the same name and the EndpointSlices labelled for it, in its namespace', () => {
    const report = reportOf(project, 'manual');
    expect(report.mode).toBe('selectorless');
    expect(report.service.selector).toBeNull();
    expect(report.manual).toEqual([
      { kind: 'Endpoints', name: 'manual' },
      { kind: 'EndpointSlice', name: 'manual-abc' },
    ]);
    expect(report.ports.map((p) => `${p.port} ${p.backends.length} ${p.unresolved.length}`)).toEqual(['5432 0 0']);
  });

  it('selector {} is selectorless (the API server drops the empty map)', () => {
    const report = reportOf(project, 'empty-selector');
    expect(report.mode).toBe('selectorless');
    expect(report.manual).toEqual([{ kind: 'EndpointSlice', name: 'empty-selector-1' }]);
  });

  it('an EndpointSlice named like the Service but not labelled for it does not count', () => {
    expect(reportOf(project, 'nothing').manual).toEqual([]);
  });
});

describe('namespaces', () => {
  const files = {
    'app.yaml': [
      workload('Deployment', 'web', '  replicas: 2\n', undefined, '  namespace: shop\n'),
      workload('Deployment', 'web-staging', '  replicas: 5\n', undefined, '  namespace: staging\n'),
      workload('Deployment', 'unscoped', '  replicas: 4\n'),
      serviceYaml('web', '  selector: {app: shop}\n  ports:\n  - port: 80\n    targetPort: http\n', '  namespace: shop\n'),
      serviceYaml('unscoped', '  selector: {app: shop}\n  ports:\n  - port: 80\n    targetPort: http\n'),
    ].join(''),
  };

  it("selects pods in the Service's namespace only", () => {
    const project = projectOf(files);
    expect(summary(reportOf(project, 'web', 'shop'))).toEqual(['80->http Deployment/web x2 web-main:8080']);
    expect(summary(reportOf(project, 'unscoped', 'default'))).toEqual(['80->http Deployment/unscoped x4 unscoped-main:8080']);
  });

  it('puts objects without a namespace in the --namespace default', () => {
    const project = projectOf(files, 'shop');
    expect(project.graph.find('Service', 'default', 'unscoped')).toBeUndefined();
    expect(reportOf(project, 'unscoped', 'shop').service.namespace).toBe('shop');
    expect(summary(reportOf(project, 'unscoped', 'shop'))).toEqual([
      '80->http Deployment/web x2 web-main:8080',
      '80->http Deployment/unscoped x4 unscoped-main:8080',
    ]);
  });
});

describe('custom resources with embedded pod templates, found by shape', () => {
  const project = projectOf({
    'rollout.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  strategy:
    canary: {steps: [{setWeight: 20}]}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: web
        ports: [{name: http, containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: http
`,
    'lws.yaml': `apiVersion: leaderworkerset.x-k8s.io/v1
kind: LeaderWorkerSet
metadata:
  name: vllm
spec:
  replicas: 2
  leaderWorkerTemplate:
    size: 4
    workerTemplate:
      metadata:
        labels: {app: vllm}
      spec:
        containers:
        - name: vllm
          image: vllm
          ports: [{name: api, containerPort: 8000}]
---
apiVersion: v1
kind: Service
metadata:
  name: vllm
spec:
  selector: {app: vllm}
  ports:
  - port: 8000
    targetPort: api
`,
  });

  it('finds the Argo Rollout template at spec.template', () => {
    const rollout = project.graph.find('Rollout.argoproj.io', 'default', 'web')!;
    expect(project.graph.podTemplatesOf(rollout).map((t) => `${t.path.join('.')} builtin=${t.builtinOwner}`)).toEqual([
      'spec.template builtin=false',
    ]);
    expect(summary(reportOf(project, 'web'))).toEqual(['80->http Rollout/web (spec.template) x3 web:8080']);
  });

  it('finds the LeaderWorkerSet worker template at spec.leaderWorkerTemplate.workerTemplate', () => {
    const lws = project.graph.find('LeaderWorkerSet.leaderworkerset.x-k8s.io', 'default', 'vllm')!;
    expect(project.graph.podTemplatesOf(lws).map((t) => t.path.join('.'))).toEqual(['spec.leaderWorkerTemplate.workerTemplate']);
    const report = reportOf(project, 'vllm');
    expect(report.ports[0]!.backends.map((b) => `${b.kind}/${b.name} ${b.container}:${b.containerPort}`)).toEqual([
      'LeaderWorkerSet/vllm (spec.leaderWorkerTemplate.workerTemplate) vllm:8000',
    ]);
    expect(report.ports[0]!.unresolved).toEqual([]);
  });
});
