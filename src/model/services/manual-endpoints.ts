import type { Path } from '../../loader/parse.js';
import type { ResourceGraph } from '../graph.js';
import type { Resource } from '../objects/resource.js';
import { asArray, asInteger, asObject, asString, asStringMap, getIn } from '../objects/values.js';
import type { ServicePort, ServiceSpec } from './service.js';

/**
 * Endpoints and EndpointSlices written by hand (a selectorless Service's backends: a database on a VM, a
 * service in another cluster), and how Kubernetes ties them to a Service:
 * - an Endpoints object belongs to the Service of the same name in its namespace. The EndpointSlice mirroring
 *   controller copies it into EndpointSlices only when that Service exists and has no selector
 *   (pkg/controller/endpointslicemirroring/endpointslicemirroring_controller.go syncEndpoints), and kube-proxy
 *   reads EndpointSlices only;
 * - an EndpointSlice belongs to the Service its `kubernetes.io/service-name` label names; kube-proxy ignores a
 *   slice without it (pkg/proxy/endpointslicecache.go endpointSliceCacheKeys: "no kubernetes.io/service-name
 *   label set on endpoint slice") and does not look at `endpointslice.kubernetes.io/managed-by`, so a
 *   hand-written slice is used next to the controller's;
 * - kube-proxy pairs endpoint ports with Service ports by name AND protocol (endpointslicecache.go
 *   endpointInfoByServicePort keys endpoints by ServicePortName{service, port name, protocol}), for a
 *   single-port Service too: an endpoint port named `web` gives nothing to the Service port `http`, and a named
 *   endpoint port nothing to an unnamed Service port. An absent name is "" and an absent protocol TCP
 *   (pkg/apis/discovery/v1/defaults.go, pkg/apis/core/v1/defaults.go SetDefaults_EndpointPort);
 * - for a Service with a selector, the endpoints controller writes the Endpoints of that name itself from the
 *   selected pods (pkg/controller/endpoint/endpoints_controller.go syncService; only "services without a
 *   selector receive no endpoints from this controller"), replacing what was written by hand.
 */
export interface ManualEndpointPort {
  /** "" when absent, as the API server defaults it. */
  readonly name: string;
  readonly port: number | undefined;
  /** Defaulted to TCP. */
  readonly protocol: string;
  /** The EndpointPort object. */
  readonly path: Path;
  /** The subset it belongs to (Endpoints), or undefined (EndpointSlice). */
  readonly subset: number | undefined;
}

export interface ManualEndpoints {
  readonly resource: Resource;
  readonly kind: 'Endpoints' | 'EndpointSlice';
  /** The Service the object belongs to by name or label; undefined for a slice without the label. */
  readonly serviceName: string | undefined;
  /** Where that name is written: metadata.name, or the label. */
  readonly serviceNamePath: Path;
  readonly ports: readonly ManualEndpointPort[];
  /**
   * Written by a controller, not by hand: an object exported from a cluster (`kubectl get -o yaml`) carries
   * the controllers' marks (managed-by a Kubernetes controller, the endpoints controller's trigger-time
   * annotation, ownerReferences, a resourceVersion). Such a copy says what a cluster had, not what to apply.
   */
  readonly controllerWritten: boolean;
  /** An Endpoints object used as a leader-election lock (control-plane.alpha.kubernetes.io/leader), not a Service's. */
  readonly leaderLock: boolean;
}

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
/** pkg/controller/endpointslice ControllerName and pkg/controller/endpointslicemirroring ControllerName. */
const CONTROLLERS = new Set(['endpointslice-controller.k8s.io', 'endpointslicemirroring-controller.k8s.io']);

export function isManualEndpointsKind(resource: Resource): boolean {
  return (
    (resource.kind === 'Endpoints' && resource.apiVersion === 'v1') ||
    (resource.kind === 'EndpointSlice' && resource.apiVersion.startsWith('discovery.k8s.io/'))
  );
}

export function readManualEndpoints(resource: Resource): ManualEndpoints {
  const annotations = asStringMap(getIn(resource.object, ['metadata', 'annotations'])) ?? {};
  const metadata = asObject(resource.object.metadata) ?? {};
  const managedBy = resource.labels[MANAGED_BY_LABEL];
  const controllerWritten =
    (managedBy !== undefined && CONTROLLERS.has(managedBy)) ||
    'endpoints.kubernetes.io/last-change-trigger-time' in annotations ||
    asArray(metadata.ownerReferences).length > 0 ||
    metadata.resourceVersion !== undefined;
  const leaderLock = 'control-plane.alpha.kubernetes.io/leader' in annotations;
  if (resource.kind === 'Endpoints') {
    const ports = asArray(resource.object.subsets).flatMap((subset, s) =>
      asArray(asObject(subset)?.ports).flatMap((value, i) => endpointPort(value, ['subsets', s, 'ports', i], s)),
    );
    return {
      resource,
      kind: 'Endpoints',
      serviceName: resource.name,
      serviceNamePath: ['metadata', 'name'],
      ports,
      controllerWritten,
      leaderLock,
    };
  }
  const ports = asArray(resource.object.ports).flatMap((value, i) => endpointPort(value, ['ports', i], undefined));
  return {
    resource,
    kind: 'EndpointSlice',
    serviceName: resource.labels[SERVICE_NAME_LABEL] || undefined,
    serviceNamePath: ['metadata', 'labels', SERVICE_NAME_LABEL],
    ports,
    controllerWritten,
    leaderLock: false,
  };
}

function endpointPort(value: unknown, path: Path, subset: number | undefined): ManualEndpointPort[] {
  const port = asObject(value);
  if (!port) return [];
  return [{ name: asString(port.name) ?? '', port: asInteger(port.port), protocol: asString(port.protocol) || 'TCP', path, subset }];
}

/**
 * The Service a hand-written Endpoints or EndpointSlice belongs to (the reverse of
 * ResourceGraph.manualEndpointsFor, which the endpoint simulation and `kubewire endpoints` use): the nearest
 * definition of the Service it names, when the input has one.
 */
export function serviceOfManualEndpoints(graph: ResourceGraph, manual: ManualEndpoints): Resource | undefined {
  if (manual.serviceName === undefined) return undefined;
  return graph.findReferencedBy(manual.resource, 'Service', manual.resource.namespace, manual.serviceName);
}

/** Whether kube-proxy gives this endpoint port to this Service port: same name ("" for none) and protocol. */
export function endpointPortServes(port: ManualEndpointPort, servicePort: ServicePort): boolean {
  return (servicePort.name ?? '') === port.name && servicePort.protocol === port.protocol;
}

/** The endpoint ports that no port of the Service pairs with: their addresses get no traffic through them. */
export function unpairedEndpointPorts(service: ServiceSpec, manual: ManualEndpoints): ManualEndpointPort[] {
  return manual.ports.filter((p) => !service.ports.some((sp) => endpointPortServes(p, sp)));
}

/** The Service ports that none of its hand-written endpoint ports pairs with: kube-proxy has no endpoint for them. */
export function servicePortsWithoutEndpoints(service: ServiceSpec, manuals: readonly ManualEndpoints[]): ServicePort[] {
  return service.ports.filter((sp) => !manuals.some((m) => m.ports.some((p) => endpointPortServes(p, sp))));
}
