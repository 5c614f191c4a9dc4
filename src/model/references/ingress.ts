import type { Path } from '../../loader/parse.js';
import { judgeAbsence, type AbsenceVerdict } from '../evidence/absence.js';
import type { ResourceGraph } from '../graph.js';
import type { Resource } from '../objects/resource.js';
import type { ServicePort, ServiceSpec } from '../services/service.js';
import { asArray, asInteger, asObject, asString, getIn, isObject, type JsonObject } from '../objects/values.js';

/**
 * Ingress backends, in both shapes the API has had:
 * - networking.k8s.io/v1: `backend.service.name` + `backend.service.port.{number|name}`, or
 *   `backend.resource` (an object reference, not a Service); the catch-all is `spec.defaultBackend`;
 * - extensions/v1beta1 and networking.k8s.io/v1beta1 (removed in 1.22, still in old charts):
 *   `backend.serviceName` + `backend.servicePort` (an IntOrString); the catch-all is `spec.backend`.
 * Source: k8s.io/api networking/v1 types.go (IngressBackend, IngressServiceBackend, ServiceBackendPort) and
 * pkg/apis/networking/validation/validation.go (validateIngressBackend: the Service must be in the Ingress's
 * namespace, exactly one of port.name or port.number).
 */
export type BackendPortRef = { readonly kind: 'number'; readonly value: number } | { readonly kind: 'name'; readonly value: string };

export interface IngressServiceBackend {
  /** Where the backend object is, from the resource root. */
  readonly path: Path;
  /** `host "shop.example.com" path "/api"`, or `the default backend`: how messages name the route. */
  readonly route: string;
  readonly serviceName: string;
  readonly serviceNamePath: Path;
  /** Undefined when the backend names no port (a shape error other rules report). */
  readonly port: BackendPortRef | undefined;
  readonly portPath: Path;
}

/**
 * The AWS Load Balancer Controller's action backends: `service.port.name: use-annotation` means "do what the
 * annotation alb.ingress.kubernetes.io/actions.<service name> says" (a redirect, a fixed response, weighted
 * target groups); no Service of that name exists or is needed.
 * https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#actions
 */
const ANNOTATION_ACTION_PORT = 'use-annotation';
const ANNOTATION_ACTION_PREFIXES = ['alb.ingress.kubernetes.io/actions.', 'alb.ingress.kubernetes.io/conditions.'];

function isAnnotationAction(ingress: Resource, backend: IngressServiceBackend): boolean {
  if (backend.port?.kind === 'name' && backend.port.value === ANNOTATION_ACTION_PORT) return true;
  const annotations = asObject(getIn(ingress.object, ['metadata', 'annotations']));
  return ANNOTATION_ACTION_PREFIXES.some((prefix) => annotations?.[`${prefix}${backend.serviceName}`] !== undefined);
}

/**
 * The Service backends of an Ingress. `backend.resource` backends are not Services, and a controller's
 * annotation actions (AWS ALB `use-annotation`) name no Service: both are left out.
 */
export function ingressServiceBackends(ingress: Resource): IngressServiceBackend[] {
  return allServiceBackends(ingress).filter((b) => !isAnnotationAction(ingress, b));
}

function allServiceBackends(ingress: Resource): IngressServiceBackend[] {
  const out: IngressServiceBackend[] = [];
  const spec = asObject(ingress.object.spec);
  if (!spec) return out;
  for (const key of ['defaultBackend', 'backend']) {
    const backend = readBackend(spec[key], ['spec', key], 'the default backend');
    if (backend) out.push(backend);
  }
  asArray(spec.rules).forEach((rule, i) => {
    const host = asString(asObject(rule)?.host);
    asArray(getIn(rule, ['http', 'paths'])).forEach((item, j) => {
      const pathValue = asString(asObject(item)?.path);
      const route = `${host ? `host "${host}"` : 'any host'} path "${pathValue ?? '/'}"`;
      const backend = readBackend(asObject(item)?.backend, ['spec', 'rules', i, 'http', 'paths', j, 'backend'], route);
      if (backend) out.push(backend);
    });
  });
  return out;
}

function readBackend(value: unknown, path: Path, route: string): IngressServiceBackend | undefined {
  if (!isObject(value)) return undefined;
  const service = asObject(value.service);
  if (service) {
    const name = asString(service.name);
    if (!name) return undefined;
    const port = asObject(service.port);
    return {
      path,
      route,
      serviceName: name,
      serviceNamePath: [...path, 'service', 'name'],
      ...v1Port(port, [...path, 'service', 'port']),
    };
  }
  const legacyName = asString(value.serviceName);
  if (!legacyName) return undefined;
  return {
    path,
    route,
    serviceName: legacyName,
    serviceNamePath: [...path, 'serviceName'],
    port: intOrString(value.servicePort),
    portPath: [...path, 'servicePort'],
  };
}

function v1Port(port: JsonObject | undefined, path: Path): { port: BackendPortRef | undefined; portPath: Path } {
  const number = asInteger(port?.number);
  if (number !== undefined) return { port: { kind: 'number', value: number }, portPath: [...path, 'number'] };
  const name = asString(port?.name);
  if (name) return { port: { kind: 'name', value: name }, portPath: [...path, 'name'] };
  return { port: undefined, portPath: path };
}

function intOrString(value: unknown): BackendPortRef | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return { kind: 'number', value };
  if (typeof value === 'string' && value !== '') {
    // IntOrString: a string of digits is still a string for the API, but v1beta1 controllers compared the
    // text, so "80" and 80 meant the same thing.
    return /^[0-9]+$/.test(value) ? { kind: 'number', value: Number(value) } : { kind: 'name', value };
  }
  return undefined;
}

/**
 * Which Service port an Ingress backend port names. The API says port.number is a ServicePort.port and
 * port.name a ServicePort.name. ingress-nginx (and a few controllers derived from it) also accept the
 * targetPort (`servicePort.TargetPort.String() == backendPort` in its createUpstreams), so a match on the
 * targetPort is reported separately: it works there and nowhere else.
 */
export type BackendPortMatch =
  | { readonly kind: 'port'; readonly port: ServicePort }
  | { readonly kind: 'targetPort'; readonly port: ServicePort }
  | { readonly kind: 'none' };

export function matchBackendPort(service: ServiceSpec, ref: BackendPortRef): BackendPortMatch {
  const exact = service.ports.find((p) => (ref.kind === 'number' ? p.port === ref.value : p.name === ref.value));
  if (exact) return { kind: 'port', port: exact };
  const viaTarget = service.ports.find((p) => p.targetPort === ref.value);
  if (viaTarget) return { kind: 'targetPort', port: viaTarget };
  return { kind: 'none' };
}

export function formatBackendPort(ref: BackendPortRef): string {
  return ref.kind === 'number' ? String(ref.value) : `"${ref.value}"`;
}

/**
 * Whether a backend's Service, which the input does not define, is a mistake (evidence/absence.ts): the Service
 * it was written for is a typo-close one that serves the port the backend asks for.
 */
export function judgeMissingBackendService(graph: ResourceGraph, ingress: Resource, backend: IngressServiceBackend): AbsenceVerdict {
  return judgeAbsence(graph, {
    from: ingress,
    kindKeys: ['Service'],
    namespace: ingress.namespace,
    name: backend.serviceName,
    confirms: (candidate) => {
      const port = backend.port;
      if (!port || matchBackendPort(graph.service(candidate), port).kind !== 'port') return undefined;
      return `It serves port ${formatBackendPort(port)}, as this backend asks`;
    },
  });
}
