import type { Path } from '../../loader/parse.js';
import type { Resource } from '../objects/resource.js';
import { serviceSelector, type Selector } from '../pods/selector.js';
import { asArray, asInteger, asObject, asString, getIn } from '../objects/values.js';

// eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- the literals document the known values; a manifest may hold any string
export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName' | string;

export interface ServicePort {
  readonly index: number;
  readonly name: string | undefined;
  readonly port: number | undefined;
  /** Defaulted to TCP. */
  readonly protocol: string;
  /**
   * After defaulting: a number, or a port name. A missing, 0 or "" targetPort defaults to `port`
   * (pkg/apis/core/v1/defaults.go SetDefaults_Service).
   */
  readonly targetPort: number | string | undefined;
  readonly targetPortWritten: boolean;
  /** 0 and absent both mean "let the allocator choose". */
  readonly nodePort: number | undefined;
  readonly path: Path;
}

/** A Service as the API server sees it after defaulting. */
export interface ServiceSpec {
  readonly resource: Resource;
  readonly type: ServiceType;
  /** clusterIP (or clusterIPs[0]) is "None". */
  readonly headless: boolean;
  /** undefined: no selector (endpoints are managed by hand). */
  readonly selector: Selector | undefined;
  readonly ports: readonly ServicePort[];
  /**
   * spec.externalTrafficPolicy as written (undefined when absent or not a string). The API server defaults it
   * to Cluster on externally accessible Services (pkg/apis/core/v1/defaults.go SetDefaults_Service).
   */
  readonly externalTrafficPolicy: string | undefined;
  /** spec.healthCheckNodePort; 0 and absent both mean "let the allocator choose" (when one is needed). */
  readonly healthCheckNodePort: number | undefined;
  /** spec.externalIPs entries that are strings. */
  readonly externalIPs: readonly string[];
}

export function readService(resource: Resource): ServiceSpec {
  const spec = asObject(resource.object.spec) ?? {};
  const clusterIPs = asArray(spec.clusterIPs);
  const headless = spec.clusterIP === 'None' || clusterIPs[0] === 'None';
  const ports = asArray(spec.ports).flatMap((value, index): ServicePort[] => {
    const port = asObject(value);
    if (!port) return [];
    const number = asInteger(port.port);
    const written = port.targetPort;
    const targetPortWritten = written !== undefined && written !== null && written !== 0 && written !== '';
    let targetPort: number | string | undefined;
    if (typeof written === 'number') targetPort = written === 0 ? number : written;
    else if (typeof written === 'string' && written !== '') targetPort = written;
    else targetPort = number;
    const nodePort = asInteger(port.nodePort);
    return [
      {
        index,
        name: asString(port.name) || undefined,
        port: number,
        protocol: asString(port.protocol) || 'TCP',
        targetPort,
        targetPortWritten,
        nodePort: nodePort === 0 ? undefined : nodePort,
        path: ['spec', 'ports', index],
      },
    ];
  });
  const healthCheckNodePort = asInteger(spec.healthCheckNodePort);
  return {
    resource,
    type: asString(spec.type) || 'ClusterIP',
    headless,
    selector: serviceSelector(spec.selector),
    ports,
    externalTrafficPolicy: asString(spec.externalTrafficPolicy) || undefined,
    healthCheckNodePort: healthCheckNodePort === 0 ? undefined : healthCheckNodePort,
    externalIPs: asArray(spec.externalIPs).filter((ip): ip is string => typeof ip === 'string'),
  };
}

/** `http (80/TCP)` or `80/TCP`: how messages name a Service port. */
export function servicePortLabel(port: ServicePort): string {
  const number = `${port.port ?? '?'}/${port.protocol}`;
  return port.name ? `"${port.name}" (${number})` : number;
}

export function isExternalName(service: ServiceSpec): boolean {
  return service.type === 'ExternalName';
}

/** The path of the clusterIP field that makes a Service headless, for reports. */
export function headlessPath(service: ServiceSpec): Path {
  return getIn(service.resource.object, ['spec', 'clusterIP']) === 'None' ? ['spec', 'clusterIP'] : ['spec', 'clusterIPs', 0];
}

/**
 * NodePort and LoadBalancer Services, and ClusterIP Services with externalIPs: the ones that take traffic from
 * outside the cluster and may set externalTrafficPolicy (pkg/api/service/util.go ExternallyAccessible).
 */
export function isExternallyAccessible(service: ServiceSpec): boolean {
  return service.type === 'LoadBalancer' || service.type === 'NodePort' || (service.type === 'ClusterIP' && service.externalIPs.length > 0);
}

/**
 * LoadBalancer Services with externalTrafficPolicy Local get a healthCheckNodePort
 * (pkg/api/service/util.go NeedsHealthCheck, RequestsOnlyLocalTraffic).
 */
export function needsHealthCheck(service: ServiceSpec): boolean {
  return service.type === 'LoadBalancer' && service.externalTrafficPolicy === 'Local';
}

/**
 * Services whose spec.ports[].nodePort values are taken from the cluster's node-port allocator: NodePort and
 * LoadBalancer, unless headless (which validation rejects for these types). Upstream: txnAllocNodePorts in
 * pkg/registry/core/service/storage/alloc.go; ClusterIP rejects nodePort (ValidateService) and ExternalName
 * never allocates one.
 */
export function allocatesNodePorts(service: ServiceSpec): boolean {
  return (service.type === 'NodePort' || service.type === 'LoadBalancer') && !service.headless;
}
