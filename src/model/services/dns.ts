import type { ServicePort, ServiceSpec } from './service.js';

/**
 * The SRV records cluster DNS publishes for a Service port (kubernetes/dns docs/specification.md, 2.3.2 and
 * 2.4.2): `_<port>._<proto>.<service>.<ns>.svc.<zone>`, only for named ports ("Unnamed ports do not have an SRV
 * record"). For a ClusterIP Service the record carries the Service's port; for a headless Service there is one
 * record per ready endpoint, pointing at `<hostname>.<service>...`, with the endpoint's port: the targetPort as
 * the EndpointSlice controller resolved it on the pod (CoreDNS plugin/kubernetes, findServices: `Port:
 * int(p.Port)` of the endpoint port). Clients that discover their peers through SRV (StatefulSet clusters,
 * gRPC and mesh resolvers) connect to that port.
 */
export function srvRecordOf(
  service: ServiceSpec,
  port: ServicePort,
): { name: string; carries: 'service-port' | 'endpoint-port' } | undefined {
  if (port.name === undefined || service.type === 'ExternalName') return undefined;
  const resource = service.resource;
  return {
    name: `_${port.name}._${port.protocol.toLowerCase()}.${resource.name}.${resource.namespace}.svc`,
    carries: service.headless ? 'endpoint-port' : 'service-port',
  };
}
