import type { Path } from '../../loader/parse.js';
import type { ResourceGraph } from '../graph.js';
import { referenceKindKey } from '../graph.js';
import type { Container, PodTemplate } from '../pods/pod-template.js';
import { judgeAbsence, type AbsenceVerdict } from '../evidence/absence.js';
import { apiGroup, isBuiltinGroup, type Resource } from '../objects/resource.js';
import { asArray, asInteger, asObject, asString, getIn, isObject, pushTo } from '../objects/values.js';

/**
 * HorizontalPodAutoscaler semantics (kubernetes/kubernetes):
 * - pkg/apis/autoscaling/validation/validation.go validateHorizontalPodAutoscalerSpec: minReplicas >= 1
 *   (>= 0 only with the HPAScaleToZero feature gate, alpha and off by default, and then at least one Object or
 *   External metric is required), maxReplicas > 0 and >= minReplicas; scaleTargetRef kind and name required;
 * - pkg/apis/autoscaling/v2/defaults.go SetDefaults_HorizontalPodAutoscaler: minReplicas defaults to 1, and no
 *   metrics means CPU at 80% average utilization (autoscaling/v1 without targetCPUUtilizationPercentage too);
 * - pkg/controller/podautoscaler/replica_calculator.go calculatePodRequests: a Utilization target divides
 *   usage by the pods' requests, summed over spec.containers and restartable (sidecar) init containers (only
 *   the named container for ContainerResource); one container without the request fails the whole metric
 *   ("missing request for cpu in container x of Pod y"), unless pod-level requests are set (KEP-2837);
 * - the scale subresource: built in for Deployment, StatefulSet, ReplicaSet and ReplicationController; custom
 *   resources have one when their CRD declares `subresources.scale`.
 */
export const SCALABLE_BUILTIN_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

/** Built-in kinds a scaleTargetRef may name by mistake, with why they cannot be scaled. */
export const UNSCALABLE_BUILTIN_KINDS: ReadonlyMap<string, string> = new Map([
  ['DaemonSet', 'a DaemonSet runs one pod per eligible node and has no replica count'],
  ['Job', 'a Job has no scale subresource (its parallelism is set by hand)'],
  ['CronJob', 'a CronJob has no scale subresource'],
  ['Pod', 'a Pod is a single replica'],
  ['Service', 'a Service has no pods of its own: scale the workload it selects'],
  ['PodTemplate', 'a PodTemplate creates no pods'],
]);

/** The CPU utilization target an HPA gets when it names no metric (autoscaling.DefaultCPUUtilization). */
export const DEFAULT_CPU_UTILIZATION = 80;

export interface ScaleTargetRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

export interface UtilizationMetric {
  /** `cpu`, `memory`. */
  readonly resource: string;
  /** Set for a ContainerResource metric: only this container's request counts. */
  readonly container: string | undefined;
  /** The field to report; for the defaulted CPU target, the spec. */
  readonly path: Path;
  /** `cpu averageUtilization 70%`, or the defaulted CPU target. */
  readonly description: string;
}

export interface AutoscalerSpec {
  readonly target: ScaleTargetRef | undefined;
  /** As written; undefined means the default, 1. */
  readonly minReplicas: number | undefined;
  readonly maxReplicas: number | undefined;
  readonly utilizationMetrics: readonly UtilizationMetric[];
  readonly hasObjectOrExternalMetric: boolean;
}

export function readAutoscaler(hpa: Resource): AutoscalerSpec {
  const spec = asObject(hpa.object.spec) ?? {};
  const ref = asObject(spec.scaleTargetRef);
  const kind = asString(ref?.kind);
  const name = asString(ref?.name);
  const target = kind && name ? { apiVersion: asString(ref?.apiVersion) ?? '', kind, name } : undefined;
  const metrics = asArray(spec.metrics);
  const utilizationMetrics: UtilizationMetric[] = [];
  let hasObjectOrExternalMetric = false;

  if (hpa.apiVersion === 'autoscaling/v1') {
    const percent = asInteger(spec.targetCPUUtilizationPercentage);
    utilizationMetrics.push(
      percent !== undefined
        ? {
            resource: 'cpu',
            container: undefined,
            path: ['spec', 'targetCPUUtilizationPercentage'],
            description: `targetCPUUtilizationPercentage: ${percent}`,
          }
        : defaultCpuMetric(),
    );
  } else if (metrics.length === 0) {
    utilizationMetrics.push(defaultCpuMetric());
  } else {
    metrics.forEach((value, i) => {
      const metric = asObject(value);
      const type = asString(metric?.type);
      if (type === 'Object' || type === 'External') hasObjectOrExternalMetric = true;
      const key = type === 'Resource' ? 'resource' : type === 'ContainerResource' ? 'containerResource' : undefined;
      const source = key ? asObject(metric?.[key]) : undefined;
      const resource = asString(source?.name);
      if (!key || !source || !resource) return;
      // autoscaling/v2 and v2beta2: target.type Utilization; v2beta1: targetAverageUtilization.
      const v2 = asObject(source.target);
      const utilization = v2
        ? v2.type === 'Utilization'
          ? (asInteger(v2.averageUtilization) ?? null)
          : undefined
        : asInteger(source.targetAverageUtilization);
      if (utilization === undefined) return;
      const field: Path = v2 ? ['target', 'averageUtilization'] : ['targetAverageUtilization'];
      utilizationMetrics.push({
        resource,
        container: key === 'containerResource' ? asString(source.container) : undefined,
        path: ['spec', 'metrics', i, key, ...field],
        description: `${resource} averageUtilization${utilization === null ? '' : ` ${utilization}%`}`,
      });
    });
  }
  return {
    target,
    minReplicas: asInteger(spec.minReplicas),
    maxReplicas: asInteger(spec.maxReplicas),
    utilizationMetrics,
    hasObjectOrExternalMetric,
  };
}

function defaultCpuMetric(): UtilizationMetric {
  return {
    resource: 'cpu',
    container: undefined,
    path: ['spec', 'scaleTargetRef'],
    description: `the default target of ${DEFAULT_CPU_UTILIZATION}% CPU utilization (no metrics are set)`,
  };
}

/** What scales a workload, when something does: its HPA (with the replica floor it keeps) or another autoscaler. */
export interface WorkloadAutoscaler {
  readonly autoscaler: Resource;
  /** The fewest replicas the autoscaler keeps; undefined when we cannot tell (KEDA may scale to zero). */
  readonly minReplicas: number | undefined;
}

const autoscalerIndexes = new WeakMap<ResourceGraph, Map<string, WorkloadAutoscaler[]>>();

/**
 * The autoscalers that set a workload's replicas: HorizontalPodAutoscalers whose scaleTargetRef names it, and
 * KEDA ScaledObjects (keda.sh; scaleTargetRef.kind defaults to Deployment), which create an HPA for it.
 */
export function autoscalersOf(graph: ResourceGraph, workload: Resource): readonly WorkloadAutoscaler[] {
  let index = autoscalerIndexes.get(graph);
  if (!index) {
    index = new Map();
    for (const hpa of graph.ofKind('HorizontalPodAutoscaler')) {
      const spec = readAutoscaler(hpa);
      if (!spec.target) continue;
      const key = targetKey(referenceKindKey(spec.target.apiVersion, spec.target.kind), hpa.namespace, spec.target.name);
      pushTo(index, key, { autoscaler: hpa, minReplicas: spec.minReplicas ?? 1 });
    }
    for (const scaledObject of graph.ofKind('ScaledObject.keda.sh')) {
      const ref = asObject(getIn(scaledObject.object, ['spec', 'scaleTargetRef']));
      const name = asString(ref?.name);
      if (!name) continue;
      const kindKey = referenceKindKey(asString(ref?.apiVersion) ?? 'apps/v1', asString(ref?.kind) ?? 'Deployment');
      pushTo(index, targetKey(kindKey, scaledObject.namespace, name), { autoscaler: scaledObject, minReplicas: undefined });
    }
    autoscalerIndexes.set(graph, index);
  }
  return index.get(targetKey(referenceKindKey(workload.apiVersion, workload.kind), workload.namespace, workload.name)) ?? [];
}

function targetKey(kindKey: string, namespace: string, name: string): string {
  return `${kindKey}\u0000${namespace}\u0000${name}`;
}

/**
 * The first container whose pods will have no request for `resource` once the API server has defaulted them,
 * so that a Utilization metric cannot be computed. A request counts when written, when defaulted from the
 * container's limit (pkg/apis/core/v1/defaults.go SetDefaults_Pod), when the pod has pod-level requests, or
 * when a LimitRange of the namespace in the input gives a default (LimitRanger admission).
 */
export function containerWithoutRequest(graph: ResourceGraph, template: PodTemplate, metric: UtilizationMetric): Container | undefined {
  if (metric.container === undefined && hasQuantity(getIn(template.spec, ['resources', 'requests']), metric.resource)) return undefined;
  if (limitRangeDefaultsRequest(graph, template.namespace, metric.resource)) return undefined;
  const measured = template.containers.filter((c) => c.role !== 'init' && (metric.container === undefined || c.name === metric.container));
  return measured.find(
    (c) =>
      !hasQuantity(getIn(c.object, ['resources', 'requests']), metric.resource) &&
      !hasQuantity(getIn(c.object, ['resources', 'limits']), metric.resource),
  );
}

function hasQuantity(list: unknown, resource: string): boolean {
  return isObject(list) && list[resource] !== undefined && list[resource] !== null;
}

/** A LimitRange item of type Container with a default request (defaultRequest, else default, else max). */
function limitRangeDefaultsRequest(graph: ResourceGraph, namespace: string, resource: string): boolean {
  return graph.ofKind('LimitRange').some(
    (range) =>
      range.namespace === namespace &&
      asArray(getIn(range.object, ['spec', 'limits'])).some((item) => {
        const limit = asObject(item);
        return (
          limit?.type === 'Container' &&
          (hasQuantity(limit.defaultRequest, resource) || hasQuantity(limit.default, resource) || hasQuantity(limit.max, resource))
        );
      }),
  );
}

/**
 * Whether an HPA's target, which the input does not define, is a mistake (evidence/absence.ts): the workload it
 * was written for is a typo-close one it is named after or that nothing else autoscales, or one of another
 * scalable kind with that name.
 */
export function judgeMissingScaleTarget(graph: ResourceGraph, hpa: Resource, target: ScaleTargetRef): AbsenceVerdict {
  const builtin = isBuiltinGroup(apiGroup(target.apiVersion));
  return judgeAbsence(graph, {
    from: hpa,
    kindKeys: [referenceKindKey(target.apiVersion, target.kind)],
    // `kind: Deployment` naming a StatefulSet: only when the written kind is a scalable one itself.
    otherKindKeys: builtin && SCALABLE_BUILTIN_KINDS.has(target.kind) ? [...SCALABLE_BUILTIN_KINDS].filter((k) => k !== target.kind) : [],
    namespace: hpa.namespace,
    name: target.name,
    confirms: (candidate) => {
      if (candidate.name === hpa.name) return 'This HPA is named after it';
      if (autoscalersOf(graph, candidate).length === 0) return 'Nothing else autoscales it';
      return undefined;
    },
  });
}
