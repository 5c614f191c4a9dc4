/**
 * The schema and api-version rules against a chosen release (`kubernetesVersion`, which `--kubernetes-version`
 * sets): what fixtures, linted against the newest release, cannot show.
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../src/engine/linter.js';
import { allRules } from '../src/rules/index.js';
import { ensureBuilt, runKubewire } from './cli-process.js';
import { messagesOf, projectOf, repoRoot } from './helpers.js';

/** Lints in-memory files with only `ruleId`, against `kubernetesVersion`, as `file:line:column messageId message`. */
function findings(ruleId: string, files: Record<string, string>, kubernetesVersion?: string): string[] {
  const project = projectOf(files);
  const severities = Object.fromEntries(allRules.filter((r) => r.name !== ruleId).map((r) => [r.name, 'off' as const]));
  const results = lint({
    graph: project.graph,
    inputProblems: project.inputProblems,
    rules: allRules,
    severities,
    ruleOptions: kubernetesVersion ? { [ruleId]: [{ kubernetesVersion }] } : {},
    filePaths: project.files.map((f) => f.path),
  });
  return messagesOf(results).map((m) => `${m.filePath}:${m.line}:${m.column} ${m.messageId} ${m.message}`);
}

const JOB_WITH_POD_REPLACEMENT_POLICY = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  podReplacementPolicy: Failed
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: migrate:1
`;

const INGRESS_WITHOUT_PATH_TYPE = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
    - http:
        paths:
          - path: /
            backend:
              service:
                name: web
                port:
                  number: 80
`;

describe('schema against a chosen Kubernetes release', () => {
  it('a field added in a later release is unknown in an older one, and the message names the releases that have it', () => {
    expect(findings('schema', { 'job.yaml': JOB_WITH_POD_REPLACEMENT_POLICY })).toEqual([]);
    const old = findings('schema', { 'job.yaml': JOB_WITH_POD_REPLACEMENT_POLICY }, '1.27');
    expect(old).toHaveLength(1);
    expect(old[0]).toContain('job.yaml:6:25 unknownField spec.podReplacementPolicy is not a field of batch/v1 Job in Kubernetes 1.27');
    expect(old[0]).toContain('batch/v1 Job has it in Kubernetes 1.28 and later');
  });

  it('a field required from one release on (pathType, 1.22) is required only there', () => {
    expect(findings('schema', { 'ingress.yaml': INGRESS_WITHOUT_PATH_TYPE }, '1.21')).toEqual([]);
    expect(
      findings('schema', { 'ingress.yaml': INGRESS_WITHOUT_PATH_TYPE }, '1.22').map((f) => f.split(' ').slice(0, 3).join(' ')),
    ).toEqual(['ingress.yaml:9:13 required spec.rules[0].http.paths[0]']);
  });

  it('an unknown release is a clear error, not a silent default', () => {
    expect(() => findings('schema', { 'job.yaml': JOB_WITH_POD_REPLACEMENT_POLICY }, '1.99')).toThrow(
      /Kubernetes 1\.99 is not one kubewire knows \(it knows 1\.14 to 1\.36\)/,
    );
  });
});

describe('--kubernetes-version', () => {
  it('sets the release of the schema rule, and an unknown one is a usage error', () => {
    ensureBuilt();
    const input = JOB_WITH_POD_REPLACEMENT_POLICY;
    const newest = runKubewire(['--format', 'json', '--rule', 'schema=error', '-'], { cwd: repoRoot, input });
    expect(newest.status).toBe(0);
    const old = runKubewire(['--format', 'json', '--kubernetes-version', '1.27', '-'], { cwd: repoRoot, input });
    expect(old.status).toBe(1);
    const messages = (JSON.parse(old.stdout) as { messages: { ruleId: string; path?: string }[] }[]).flatMap((r) => r.messages);
    expect(messages.filter((m) => m.ruleId === 'schema').map((m) => m.path)).toEqual(['spec.podReplacementPolicy']);
    const unknown = runKubewire(['--kubernetes-version', '1.9', '-'], { cwd: repoRoot, input });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('--kubernetes-version: Kubernetes 1.9 is not one kubewire knows (it knows 1.14 to 1.36)');
  });
});

describe('custom resources without a schema', () => {
  it('are skipped, never an error, and counted in one line on standard error', () => {
    ensureBuilt();
    const input = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
spec:
  secretNamez: web-tls
`;
    const run = runKubewire(['-'], { cwd: repoRoot, input });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(
      'kubewire: 1 custom resource not checked against a schema: the input has no CustomResourceDefinition for Certificate.cert-manager.io (lint it together with the CRDs to check it).\n',
    );
    expect(runKubewire(['--quiet', '-'], { cwd: repoRoot, input }).stderr).toBe('');
  });
});

describe('api-version across releases', () => {
  const PDB_V1BETA1 = `apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 1
`;
  const INGRESS_V1 = INGRESS_WITHOUT_PATH_TYPE;

  it('a version served now and removed by a later release is a warning naming that release and the replacement', () => {
    const found = findings('api-version', { 'pdb.yaml': PDB_V1BETA1 }, '1.24');
    expect(found).toEqual([
      'pdb.yaml:1:13 deprecated policy/v1beta1 PodDisruptionBudget is deprecated: Kubernetes 1.25 no longer serves it, so the object stops applying once the cluster is upgraded to 1.25. Move to policy/v1 (served in 1.21 and later); what changes: an empty spec.selector ({}) selects every pod of the namespace (in v1beta1 it selected none).',
    ]);
  });

  it('the same version on the release that removed it is an error', () => {
    const found = findings('api-version', { 'pdb.yaml': PDB_V1BETA1 }, '1.25');
    expect(found[0]).toMatch(
      /^pdb\.yaml:1:13 removed policy\/v1beta1 PodDisruptionBudget is not served by Kubernetes 1\.25: it was removed in 1\.25 \(served in 1\.14 to 1\.24\)/,
    );
  });

  it('a version newer than the target release is an error that names the release that added it', () => {
    const found = findings('api-version', { 'ingress.yaml': INGRESS_V1 }, '1.18');
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('notYetServed networking.k8s.io/v1 Ingress is not served by Kubernetes 1.18: it was added in 1.19');
    expect(found[0]).toContain('Kubernetes 1.18 serves networking.k8s.io/v1beta1');
    expect(findings('api-version', { 'ingress.yaml': INGRESS_V1 }, '1.19')).toEqual([]);
  });
});
