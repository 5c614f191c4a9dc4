import type { Container, ContainerPort, PodTemplate } from '../pods/pod-template.js';

export type PortResolution =
  | {
      readonly kind: 'resolved';
      readonly containerPort: number;
      readonly container: Container | undefined;
      readonly port: ContainerPort | undefined;
    }
  | { readonly kind: 'unresolved'; readonly reason: string; readonly otherProtocol: ContainerPort | undefined };

/**
 * Which container port a Service port sends traffic to, on the pods of a template. Mirrors FindPort in
 * kubernetes/kubernetes pkg/api/v1/pod/util.go:
 * - a numeric targetPort is used as it is: containerPort declarations are informational and not needed;
 * - a named targetPort is the first port of spec.containers[] with that name AND the Service port's
 *   protocol, then the same search over restartable (sidecar) init containers; plain init containers and
 *   ephemeral containers are never searched.
 * For a numeric port we still name the container that declares it, when one does, for the endpoints table.
 */
export function findPort(template: PodTemplate, targetPort: number | string, protocol: string): PortResolution {
  const searched = template.containers
    .filter((c) => c.role === 'container')
    .concat(template.containers.filter((c) => c.role === 'sidecar'));
  if (typeof targetPort === 'number') {
    for (const container of searched) {
      const port = container.ports.find((p) => p.containerPort === targetPort && p.protocol === protocol);
      if (port) return { kind: 'resolved', containerPort: targetPort, container, port };
    }
    return { kind: 'resolved', containerPort: targetPort, container: undefined, port: undefined };
  }
  for (const container of searched) {
    const port = container.ports.find((p) => p.name === targetPort && p.protocol === protocol);
    if (port && port.containerPort !== undefined) return { kind: 'resolved', containerPort: port.containerPort, container, port };
  }
  const otherProtocol = searched.flatMap((c) => c.ports).find((p) => p.name === targetPort);
  const inPlainInit = template.containers.some((c) => c.role === 'init' && c.ports.some((p) => p.name === targetPort));
  let reason: string;
  if (otherProtocol) reason = `port "${targetPort}" is declared with protocol ${otherProtocol.protocol}, not ${protocol}`;
  else if (inPlainInit)
    reason = `port "${targetPort}" is only declared by an init container, which has exited before the pod serves traffic`;
  else reason = `no container declares a port named "${targetPort}"`;
  return { kind: 'unresolved', reason, otherProtocol };
}
