import type { ResourceGraph } from './graph.js';
import { referenceKindKey } from './graph.js';
import type { AbsenceVerdict } from './evidence/absence.js';
import { apiGroup, isBuiltinGroup, resourceLabel, type Resource } from './objects/resource.js';
import { asString, getIn } from './objects/values.js';
import { runsToCompletion } from './pods/pod-template.js';
import { judgeMissingScaleTarget, readAutoscaler, SCALABLE_BUILTIN_KINDS, UNSCALABLE_BUILTIN_KINDS } from './references/autoscaling.js';
import { formatBackendPort, ingressServiceBackends, judgeMissingBackendService, matchBackendPort } from './references/ingress.js';
import type { ServicePort } from './services/service.js';

/**
 * The wiring of the input as a graph a person can read: Services to the workloads whose pods become their
 * endpoints (with the container port each Service port resolves to), Ingresses to the Services they route to,
 * HorizontalPodAutoscalers to the workloads they scale. It only asks the model what the rules ask it
 * (endpointsOf, ingressServiceBackends, readAutoscaler, findReferencedBy), so the diagram and the findings
 * agree. Plain data: `kubewire graph` and the Action's job summary render it (src/reporters/graph/).
 */
export interface Wiring {
  readonly nodes: readonly WiringNode[];
  readonly edges: readonly WiringEdge[];
}

/**
 * - `resource`: an object of the input;
 * - `missing`: an object a reference names that the input does not define (the end of a dangling reference);
 * - `no-pods`: stands for the pods a Service selects when the selector matches none in the input;
 * - `external`: the DNS name an ExternalName Service is an alias for (its `name`).
 */
export type WiringNodeRole = 'resource' | 'missing' | 'no-pods' | 'external';

export interface WiringNode {
  /** Unique in the wiring; derived from kind, namespace and name, never shown. */
  readonly id: string;
  readonly kind: string;
  /** '' for cluster-scoped objects. */
  readonly namespace: string;
  readonly name: string;
  readonly role: WiringNodeRole;
}

/** `ok`: traffic or scaling works as written; `warning`: kubewire cannot see enough to tell; `broken`: it does not work. */
export type WiringEdgeState = 'ok' | 'warning' | 'broken';

export interface WiringEdge {
  readonly from: string;
  readonly to: string;
  /** `endpoints`: Service to pods; `backend`: Ingress to Service; `scale`: HPA to workload; `alias`: ExternalName. */
  readonly via: 'endpoints' | 'backend' | 'scale' | 'alias';
  /** Resolved ports (`80→8080`), routes (`/api → 80`) or the replica range (`2–10 replicas`). */
  readonly label: string;
  readonly state: WiringEdgeState;
  /** Why the edge is broken or uncertain, in words. */
  readonly reason?: string;
}

export function wiringOf(graph: ResourceGraph): Wiring {
  const builder = new WiringBuilder();
  for (const service of graph.ofKind('Service')) serviceWiring(graph, builder, service);
  for (const ingress of graph.ofKind('Ingress')) ingressWiring(graph, builder, ingress);
  for (const hpa of graph.ofKind('HorizontalPodAutoscaler')) autoscalerWiring(graph, builder, hpa);
  return builder.build();
}

function serviceWiring(graph: ResourceGraph, builder: WiringBuilder, resource: Resource): void {
  const from = builder.resource(resource);
  const endpoints = graph.endpointsOf(resource);
  if (endpoints.mode === 'external-name') {
    const target = asString(getIn(resource.object, ['spec', 'externalName']));
    if (target) builder.edge({ from, to: builder.node('DNS', '', target, 'external'), via: 'alias', label: 'CNAME', state: 'ok' });
    return;
  }
  if (endpoints.mode === 'selectorless') {
    // Endpoints written by hand (or by a controller outside the input): the objects of the input are shown.
    for (const manual of endpoints.manual)
      builder.edge({ from, to: builder.resource(manual), via: 'endpoints', label: 'by hand', state: 'ok' });
    return;
  }
  if (endpoints.selected.length === 0) {
    // Pods the configuration says other systems create (externalPods): the endpoints are there, not in the input.
    if (endpoints.external) {
      builder.edge({
        from,
        to: builder.node('Pods', resource.namespace, resource.name, 'external'),
        via: 'endpoints',
        label: 'external pods',
        state: 'ok',
      });
      return;
    }
    if (endpoints.operatorResource) {
      const operator = endpoints.operatorResource;
      builder.edge({
        from,
        to: builder.resource(operator),
        via: 'endpoints',
        label: 'pods from the operator',
        state: 'warning',
        reason: `no pods in the input; the operator of ${resourceLabel(operator)} probably creates them`,
      });
      return;
    }
    builder.edge({
      from,
      to: builder.node('Pods', resource.namespace, resource.name, 'no-pods'),
      via: 'endpoints',
      label: 'no endpoints',
      state: 'broken',
      reason: 'the selector matches no pods in the input',
    });
    return;
  }
  // One edge per workload, listing every Service port; an edge is broken when a port resolves on no container
  // of the workload's pods (they are endpoints, but traffic to that port is refused).
  const perOwner = new Map<Resource, { labels: string[]; reasons: string[] }>();
  const entry = (owner: Resource) => {
    let found = perOwner.get(owner);
    if (!found) perOwner.set(owner, (found = { labels: [], reasons: [] }));
    return found;
  };
  for (const match of endpoints.selected) entry(match.template.owner);
  for (const port of endpoints.ports) {
    for (const backend of port.backends)
      entry(backend.template.owner).labels.push(`${portText(port.servicePort)}→${backend.containerPort}${protocolText(port.servicePort)}`);
    for (const unresolved of port.unresolved) {
      const item = entry(unresolved.template.owner);
      item.labels.push(`${portText(port.servicePort)}→${port.servicePort.targetPort ?? '?'} ✗`);
      // Pods that run to completion leave the endpoints when they succeed: a port missing on them costs no traffic.
      if (!runsToCompletion(unresolved.template)) item.reasons.push(`port ${portText(port.servicePort)}: ${unresolved.reason}`);
    }
  }
  for (const [owner, { labels, reasons }] of perOwner) {
    builder.edge({
      from,
      to: builder.resource(owner),
      via: 'endpoints',
      label: unique(labels).join(', '),
      state: reasons.length > 0 ? 'broken' : 'ok',
      ...(reasons.length > 0 ? { reason: unique(reasons).join('; ') } : {}),
    });
  }
}

function ingressWiring(graph: ResourceGraph, builder: WiringBuilder, ingress: Resource): void {
  const from = builder.resource(ingress);
  for (const backend of ingressServiceBackends(ingress)) {
    const route = asString(getIn(ingress.object, [...backend.path.slice(0, -1), 'path'])) ?? (backend.path.length === 2 ? 'default' : '/');
    const port = backend.port ? formatBackendPort(backend.port).replace(/"/g, '') : '?';
    const service = graph.findReferencedBy(ingress, 'Service', ingress.namespace, backend.serviceName);
    if (!service) {
      builder.edge({
        from,
        to: builder.node('Service', ingress.namespace, backend.serviceName, 'missing'),
        via: 'backend',
        label: `${route} → ${port}`,
        ...danglingState(judgeMissingBackendService(graph, ingress, backend), 'Service', ingress, backend.serviceName),
      });
      continue;
    }
    const spec = graph.service(service);
    const match = spec.type === 'ExternalName' || !backend.port ? undefined : matchBackendPort(spec, backend.port);
    const state: Pick<WiringEdge, 'state' | 'reason'> =
      match?.kind === 'none'
        ? { state: 'broken', reason: `Service "${service.name}" has no port ${formatBackendPort(backend.port!)}` }
        : match?.kind === 'targetPort'
          ? {
              state: 'warning',
              reason: `${formatBackendPort(backend.port!)} is a targetPort, not a port, of Service "${service.name}" (only ingress-nginx accepts it)`,
            }
          : { state: 'ok' };
    const resolved =
      match?.kind === 'port' && backend.port?.kind === 'name' && match.port.port !== undefined ? ` (${match.port.port})` : '';
    builder.edge({
      from,
      to: builder.resource(service),
      via: 'backend',
      label: `${route} → ${port}${resolved}${state.state === 'broken' ? ' ✗' : ''}`,
      ...state,
    });
  }
}

function autoscalerWiring(graph: ResourceGraph, builder: WiringBuilder, hpa: Resource): void {
  const spec = readAutoscaler(hpa);
  if (!spec.target) return;
  const from = builder.resource(hpa);
  const { apiVersion, kind, name } = spec.target;
  const label = `${spec.minReplicas ?? 1}–${spec.maxReplicas ?? '?'} replicas`;
  const kindKey = referenceKindKey(apiVersion, kind);
  const target = graph.findReferencedBy(hpa, kindKey, hpa.namespace, name);
  const builtin = isBuiltinGroup(apiGroup(apiVersion));
  if (!target) {
    // A custom kind the input has no object of at all: its CRD and objects live elsewhere (as hpa-target says).
    const state =
      builtin || graph.ofKind(kindKey).length > 0
        ? danglingState(judgeMissingScaleTarget(graph, hpa, spec.target), kind, hpa, name)
        : { state: 'warning' as const, reason: `no ${kind} objects in the input` };
    builder.edge({ from, to: builder.node(kind, hpa.namespace, name, 'missing'), via: 'scale', label, ...state });
    return;
  }
  const unscalable = builtin && !SCALABLE_BUILTIN_KINDS.has(kind) ? UNSCALABLE_BUILTIN_KINDS.get(kind) : undefined;
  builder.edge({
    from,
    to: builder.resource(target),
    via: 'scale',
    label,
    ...(unscalable ? { state: 'broken', reason: unscalable } : { state: 'ok' }),
  });
}

/**
 * A reference whose target the input does not define: broken when the absence is evidence of a mistake, as the
 * rules judge it (evidence/absence.ts); otherwise kubewire cannot tell, and says why.
 */
function danglingState(verdict: AbsenceVerdict, kind: string, from: Resource, name: string): Pick<WiringEdge, 'state' | 'reason'> {
  if (verdict.kind === 'mistake') return { state: 'broken', reason: `${kind} "${name}" does not exist in namespace "${from.namespace}"` };
  if (verdict.reason.kind === 'operator') {
    return { state: 'warning', reason: `not in the input; probably created by the operator of ${resourceLabel(verdict.reason.operator)}` };
  }
  return { state: 'warning', reason: `not in the input (kubewire cannot tell whether it comes from elsewhere)` };
}

function portText(port: ServicePort): string {
  return port.port === undefined ? '?' : String(port.port);
}

function protocolText(port: ServicePort): string {
  return port.protocol === 'TCP' ? '' : `/${port.protocol}`;
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

/**
 * Collects nodes and edges. An object defined more than once (two copies in two folders) is one node, as it is
 * one object in the cluster; edges that repeat are kept once, and an edge keeps its worst state.
 */
class WiringBuilder {
  private readonly nodes = new Map<string, WiringNode>();
  private readonly edges = new Map<string, WiringEdge>();

  resource(resource: Resource): string {
    return this.node(resource.kind, resource.namespace, resource.name || '(unnamed)', 'resource');
  }

  node(kind: string, namespace: string, name: string, role: WiringNodeRole): string {
    const id = JSON.stringify([role === 'resource' || role === 'missing' ? 'object' : role, kind, namespace, name]);
    const existing = this.nodes.get(id);
    // A name both referenced and defined (another copy defines it) is a resource.
    if (!existing || (existing.role === 'missing' && role === 'resource')) this.nodes.set(id, { id, kind, namespace, name, role });
    return id;
  }

  edge(edge: WiringEdge): void {
    const key = JSON.stringify([edge.from, edge.to, edge.via, edge.label]);
    const existing = this.edges.get(key);
    if (!existing || STATE_RANK[edge.state] > STATE_RANK[existing.state]) this.edges.set(key, edge);
  }

  build(): Wiring {
    const nodes = [...this.nodes.values()].sort(
      (a, b) => compare(a.namespace, b.namespace) || kindRank(a) - kindRank(b) || compare(a.kind, b.kind) || compare(a.name, b.name),
    );
    const order = new Map(nodes.map((n, i) => [n.id, i]));
    const edges = [...this.edges.values()].sort(
      (a, b) => order.get(a.from)! - order.get(b.from)! || order.get(a.to)! - order.get(b.to)! || compare(a.label, b.label),
    );
    return { nodes, edges };
  }
}

const STATE_RANK: Readonly<Record<WiringEdgeState, number>> = { ok: 0, warning: 1, broken: 2 };

/** Left to right as traffic flows: Ingresses, Services, autoscalers, then what they reach. */
function kindRank(node: WiringNode): number {
  if (node.kind === 'Ingress') return 0;
  if (node.kind === 'Service') return 1;
  if (node.kind === 'HorizontalPodAutoscaler') return 2;
  return 3;
}

/** Code-point order, the same on every machine and locale (the diagram is compared byte for byte in tests). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
