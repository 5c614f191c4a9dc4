import type { Path } from '../../loader/parse.js';
import { apiGroup, isBuiltin, type Resource } from '../objects/resource.js';
import { asArray, asInteger, asObject, asString, asStringMap, getIn, isObject, type JsonObject } from '../objects/values.js';

// eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- the literals document the known values; a manifest may hold any string
export type Protocol = 'TCP' | 'UDP' | 'SCTP' | string;

export interface ContainerPort {
  readonly name: string | undefined;
  readonly containerPort: number | undefined;
  /** Defaulted to TCP as the API server does (pkg/apis/core/v1/defaults.go SetDefaults_ContainerPort). */
  readonly protocol: Protocol;
  /** Path from the resource root. */
  readonly path: Path;
}

/**
 * - `container`: spec.containers[]
 * - `sidecar`: spec.initContainers[] with restartPolicy: Always (KEP-753); runs for the pod's life and
 *   serves traffic, so FindPort looks at it after the regular containers
 * - `init`: a plain init container; it has exited before the pod is ready, and FindPort never looks at it
 */
export type ContainerRole = 'container' | 'sidecar' | 'init';

export interface Container {
  readonly name: string;
  readonly role: ContainerRole;
  readonly ports: readonly ContainerPort[];
  readonly object: JsonObject;
  readonly path: Path;
}

/**
 * A label that a controller adds to the pods it creates, so selectors may use it although no manifest
 * writes it. Sources (k8s.io/api apps/v1 and batch/v1 types.go):
 * - Deployment: pod-template-hash (DefaultDeploymentUniqueLabelKey)
 * - StatefulSet: statefulset.kubernetes.io/pod-name = <name>-<ordinal> (StatefulSetPodNameLabel),
 *   apps.kubernetes.io/pod-index = <ordinal> (PodIndexLabel), controller-revision-hash
 * - DaemonSet: controller-revision-hash (DefaultDaemonSetUniqueLabelKey), pod-template-generation
 * - Job: job-name, controller-uid and their batch.kubernetes.io/ forms (JobNameLabel, ControllerUidLabel),
 *   batch.kubernetes.io/job-completion-index for Indexed Jobs
 */
export type ControllerLabel =
  | { readonly key: string; readonly kind: 'any' }
  | { readonly key: string; readonly kind: 'fixed'; readonly value: string }
  | {
      readonly key: string;
      readonly kind: 'ordinal';
      readonly valueFor: (ordinal: number) => string;
      readonly parse: (value: string) => number | undefined;
    };

export interface PodTemplate {
  readonly owner: Resource;
  /** Path of the PodTemplateSpec (metadata + spec) inside the resource; [] for a Pod. */
  readonly path: Path;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly controllerLabels: readonly ControllerLabel[];
  /** How many pods the owner asks for; null when it depends on the cluster (DaemonSet: one per node). */
  readonly replicas: number | null;
  /** First ordinal of a StatefulSet's pods (spec.ordinals.start), 0 otherwise. */
  readonly firstOrdinal: number;
  readonly containers: readonly Container[];
  readonly spec: JsonObject;
  /**
   * True when a built-in controller creates these pods (so we know its labels and counts); false for a pod
   * template embedded in a custom resource (Argo Rollout, DeploymentConfig, LeaderWorkerSet...), whose
   * operator may add labels we do not know.
   */
  readonly builtinOwner: boolean;
  /** True when the owner selects its pods with spec.selector (the workloads that have one). */
  readonly ownerSelectorPath: Path | undefined;
}

/** Where built-in kinds keep their pod template. */
const BUILTIN_TEMPLATE_PATHS: Readonly<Record<string, Path>> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** Built-in kinds that hold pod templates without creating pods from them. */
const NON_WORKLOAD_KINDS = new Set(['PodTemplate', 'CustomResourceDefinition']);

/** How deep we look for an embedded PodTemplateSpec in a custom resource. */
const MAX_EMBEDDED_TEMPLATE_DEPTH = 6;

export function podTemplatesOf(resource: Resource): PodTemplate[] {
  if (NON_WORKLOAD_KINDS.has(resource.kind)) return [];
  const builtin = isBuiltin(resource);
  if (builtin) {
    // hasOwn: `kind: constructor` must not find Object.prototype's.
    const path = Object.hasOwn(BUILTIN_TEMPLATE_PATHS, resource.kind) ? BUILTIN_TEMPLATE_PATHS[resource.kind] : undefined;
    if (!path) return [];
    const template = path.length === 0 ? resource.object : asObject(getIn(resource.object, path));
    if (!template || !isObject(template.spec)) return [];
    return [buildTemplate(resource, path, template, true)];
  }
  // Custom resources: any PodTemplateSpec-shaped object (spec.containers is a list of objects), found by shape,
  // not by a list of kind names, so operators we have never heard of work too.
  const found: PodTemplate[] = [];
  const visit = (value: unknown, path: Path, depth: number): void => {
    if (depth > MAX_EMBEDDED_TEMPLATE_DEPTH || !isObject(value)) return;
    if (path.length > 0 && looksLikePodTemplateSpec(value)) {
      found.push(buildTemplate(resource, path, value, false));
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if (key === 'metadata' || key === 'status') continue;
      if (isObject(child)) visit(child, [...path, key], depth + 1);
    }
  };
  visit(resource.object, [], 0);
  return found;
}

function looksLikePodTemplateSpec(value: JsonObject): boolean {
  const spec = asObject(value.spec);
  const containers = spec?.containers;
  return Array.isArray(containers) && containers.length > 0 && containers.every((c) => isObject(c));
}

function buildTemplate(owner: Resource, path: Path, template: JsonObject, builtin: boolean): PodTemplate {
  const spec = asObject(template.spec) ?? {};
  const metadata = asObject(template.metadata) ?? {};
  const specPath: Path = [...path, 'spec'];
  const containers: Container[] = [];
  asArray(spec.containers).forEach((c, i) => pushContainer(containers, c, [...specPath, 'containers', i], 'container'));
  asArray(spec.initContainers).forEach((c, i) => {
    const role: ContainerRole = asObject(c)?.restartPolicy === 'Always' ? 'sidecar' : 'init';
    pushContainer(containers, c, [...specPath, 'initContainers', i], role);
  });
  const selectorPath: Path | undefined = owner.kind === 'Pod' || owner.kind === 'CronJob' ? undefined : ['spec', 'selector'];
  return {
    owner,
    path,
    namespace: owner.namespace,
    labels: asStringMap(metadata.labels) ?? {},
    controllerLabels: builtin ? controllerLabelsOf(owner) : operatorLabelsOf(owner),
    replicas: replicasOf(owner),
    firstOrdinal: owner.kind === 'StatefulSet' ? (asInteger(getIn(owner.object, ['spec', 'ordinals', 'start'])) ?? 0) : 0,
    containers,
    spec,
    builtinOwner: builtin,
    ownerSelectorPath: selectorPath,
  };
}

function pushContainer(out: Container[], value: unknown, path: Path, role: ContainerRole): void {
  const object = asObject(value);
  if (!object) return;
  const ports: ContainerPort[] = [];
  asArray(object.ports).forEach((p, i) => {
    const port = asObject(p);
    if (!port) return;
    ports.push({
      name: asString(port.name) || undefined,
      containerPort: asInteger(port.containerPort),
      protocol: asString(port.protocol) || 'TCP',
      path: [...path, 'ports', i],
    });
  });
  // A container without a name (the API requires one; Knative fills it in) is named by its place, so that
  // messages still say which one: `containers[0]`.
  const name = asString(object.name) || `${String(path[path.length - 2])}[${String(path[path.length - 1])}]`;
  out.push({ name, role, ports, object, path });
}

function replicasOf(owner: Resource): number | null {
  const spec = asObject(owner.object.spec);
  switch (owner.kind) {
    case 'Pod':
      return 1;
    case 'DaemonSet':
      return null;
    case 'Job':
      return jobPods(spec);
    case 'CronJob':
      return jobPods(asObject(getIn(spec, ['jobTemplate', 'spec'])));
    case 'Deployment':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'StatefulSet':
      // Defaulted to 1 (pkg/apis/apps/v1/defaults.go).
      return asInteger(spec?.replicas) ?? 1;
    default:
      return asInteger(spec?.replicas) ?? null;
  }
}

/**
 * Pods a Job runs at once: parallelism (default 1), but never more than its completions (kubernetes/website
 * concepts/workloads/controllers/job.md, "Controlling parallelism": "the actual number of pods running in
 * parallel will not exceed the number of remaining completions"; pkg/controller/job/job_controller.go manageJob).
 */
function jobPods(spec: JsonObject | undefined): number {
  const parallelism = asInteger(spec?.parallelism) ?? 1;
  const completions = asInteger(spec?.completions);
  return completions === undefined ? parallelism : Math.min(parallelism, completions);
}

const ANY = (key: string): ControllerLabel => ({ key, kind: 'any' });

function controllerLabelsOf(owner: Resource): ControllerLabel[] {
  switch (owner.kind) {
    case 'Deployment':
      return [ANY('pod-template-hash')];
    case 'StatefulSet': {
      const name = owner.name;
      return [
        {
          key: 'statefulset.kubernetes.io/pod-name',
          kind: 'ordinal',
          valueFor: (i) => `${name}-${i}`,
          parse: (v) => (v.startsWith(`${name}-`) ? parseOrdinal(v.slice(name.length + 1)) : undefined),
        },
        { key: 'apps.kubernetes.io/pod-index', kind: 'ordinal', valueFor: (i) => String(i), parse: parseOrdinal },
        ANY('controller-revision-hash'),
      ];
    }
    case 'DaemonSet':
      return [ANY('controller-revision-hash'), ANY('pod-template-generation')];
    case 'Job':
    case 'CronJob': {
      // A CronJob's Jobs are named <cronjob>-<scheduled time>: their job-name is not known in advance.
      const jobName: ControllerLabel[] =
        owner.kind === 'Job'
          ? [
              { key: 'job-name', kind: 'fixed', value: owner.name },
              { key: 'batch.kubernetes.io/job-name', kind: 'fixed', value: owner.name },
            ]
          : [ANY('job-name'), ANY('batch.kubernetes.io/job-name')];
      return [
        ...jobName,
        ANY('controller-uid'),
        ANY('batch.kubernetes.io/controller-uid'),
        ANY('batch.kubernetes.io/job-completion-index'),
      ];
    }
    default:
      return [];
  }
}

/**
 * Labels that well-known operators add to the pods they create from a custom resource's template, so that
 * Services selecting them are checked instead of guessed at:
 * - LeaderWorkerSet (leaderworkerset.x-k8s.io): leaderworkerset.sigs.k8s.io/name = the LWS name, plus group and
 *   worker indexes and hashes (kubernetes-sigs/lws api/leaderworkerset/v1 leaderworkerset_types.go);
 * - Argo Rollouts: rollouts-pod-template-hash (argoproj/argo-rollouts DefaultRolloutUniqueLabelKey);
 * - OpenShift DeploymentConfig: deploymentconfig = the name, deployment = <name>-<version>.
 */
const OPERATOR_LABELS: Readonly<Record<string, (owner: Resource) => ControllerLabel[]>> = {
  'LeaderWorkerSet.leaderworkerset.x-k8s.io': (owner) => [
    { key: 'leaderworkerset.sigs.k8s.io/name', kind: 'fixed', value: owner.name },
    ANY('leaderworkerset.sigs.k8s.io/group-index'),
    ANY('leaderworkerset.sigs.k8s.io/worker-index'),
    ANY('leaderworkerset.sigs.k8s.io/group-key'),
    ANY('leaderworkerset.sigs.k8s.io/template-revision-hash'),
  ],
  'Rollout.argoproj.io': () => [ANY('rollouts-pod-template-hash')],
  'DeploymentConfig.apps.openshift.io': (owner) => [{ key: 'deploymentconfig', kind: 'fixed', value: owner.name }, ANY('deployment')],
};

function operatorLabelsOf(owner: Resource): ControllerLabel[] {
  const key = `${owner.kind}.${apiGroup(owner.apiVersion)}`;
  return Object.hasOwn(OPERATOR_LABELS, key) ? OPERATOR_LABELS[key]!(owner) : [];
}

function parseOrdinal(value: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(value) ? Number(value) : undefined;
}

/** `Deployment/web`, or `Rollout/web (spec.template)` when a custom resource holds the template. */
export function templateLabel(template: PodTemplate): string {
  const base = `${template.owner.kind}/${template.owner.name || '(unnamed)'}`;
  return template.builtinOwner || template.path.length === 0 ? base : `${base} (${template.path.join('.')})`;
}

/**
 * Pods that run to completion (a Job's, a CronJob's, a Pod with restartPolicy Never or OnFailure) leave the
 * Service's endpoints when they succeed (podutil.ShouldPodBeInEndpoints drops Succeeded and Failed pods). They
 * often share an app's labels without serving its ports: a port missing on them costs no traffic.
 */
export function runsToCompletion(template: PodTemplate): boolean {
  if (template.owner.kind === 'Job' || template.owner.kind === 'CronJob') return template.builtinOwner;
  const restartPolicy = template.spec.restartPolicy;
  return template.owner.kind === 'Pod' && (restartPolicy === 'Never' || restartPolicy === 'OnFailure');
}
