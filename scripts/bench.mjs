#!/usr/bin/env node
// npm run bench: how lint time and memory grow with the input, measured in one run so the ratios hold on a
// shared, noisy machine. Generates a synthetic app (Services, Deployments, Ingresses, PDBs) of N and 10·N
// resources in memory and lints each through the same engine as the CLI.
// A linear engine shows a time ratio near 10; a quadratic one (a scan of all pods per Service) near 100.
import { performance } from 'node:perf_hooks';
// The engine itself (not the public API, which reads files): the internals the API runs on.
import { lint } from '../dist/engine/linter.js';
import { projectFromFiles } from '../dist/engine/project.js';
import { SourceFile } from '../dist/loader/source.js';
import { allRules } from '../dist/rules/index.js';

function app(services, namespaces = 20) {
  const docs = [];
  for (let i = 0; i < services; i++) {
    const ns = `ns${i % namespaces}`;
    docs.push(`apiVersion: v1
kind: Service
metadata: {name: svc${i}, namespace: ${ns}}
spec:
  selector: {app: app${i}, tier: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app${i}, namespace: ${ns}}
spec:
  replicas: 2
  selector: {matchLabels: {app: app${i}}}
  template:
    metadata: {labels: {app: app${i}, tier: web}}
    spec:
      containers:
        - name: c
          image: example/app:1
          ports: [{name: http, containerPort: 8080}]
          readinessProbe: {httpGet: {path: /healthz, port: http}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: app${i}, namespace: ${ns}}
spec: {maxUnavailable: 1, selector: {matchLabels: {app: app${i}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: app${i}, namespace: ${ns}}
spec:
  rules:
    - host: app${i}.example.com
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: svc${i}, port: {name: http}}}}`);
  }
  // 50 files, as a repository would split them.
  const files = [];
  const perFile = Math.ceil(docs.length / 50);
  for (let f = 0; f * perFile < docs.length; f++) files.push(new SourceFile(`app/${f}.yaml`, docs.slice(f * perFile, (f + 1) * perFile).join('\n---\n')));
  return files;
}

function measure(services) {
  const files = app(services);
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = performance.now();
  const project = projectFromFiles(files);
  const results = lint({ graph: project.graph, inputProblems: project.inputProblems, rules: allRules, filePaths: files.map((f) => f.path) });
  const ms = performance.now() - start;
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  const findings = results.reduce((n, r) => n + r.messages.length, 0);
  return { resources: project.graph.resources.length, ms, heapMb, findings };
}

const base = Number(process.env.BENCH_SERVICES ?? 500);
measure(50); // warm up the JIT
const small = measure(base);
const large = measure(base * 10);
for (const r of [small, large]) {
  console.log(`${String(r.resources).padStart(6)} resources: ${r.ms.toFixed(0).padStart(6)} ms, ~${r.heapMb.toFixed(0)} MB heap, ${r.findings} findings`);
}
console.log(`time ratio (10x input): ${(large.ms / small.ms).toFixed(1)}  (linear = 10)`);
console.log(`heap ratio (10x input): ${(large.heapMb / Math.max(small.heapMb, 1)).toFixed(1)}`);
if (small.findings !== 0 || large.findings !== 0) {
  console.error('the synthetic app is meant to be clean: a rule reports a false positive');
  process.exitCode = 1;
}
