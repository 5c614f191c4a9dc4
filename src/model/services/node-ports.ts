import type { Path } from '../../loader/parse.js';
import type { ResourceGraph } from '../graph.js';
import type { Resource } from '../objects/resource.js';
import { allocatesNodePorts, needsHealthCheck, type ServicePort } from './service.js';

/**
 * One explicit request for a node port: a spec.ports[i].nodePort or a spec.healthCheckNodePort of a Service
 * that the API server would allocate it for.
 */
export interface NodePortUse {
  readonly service: Resource;
  readonly nodePort: number;
  /** The Service port asking for it; undefined for spec.healthCheckNodePort. */
  readonly servicePort: ServicePort | undefined;
  readonly path: Path;
}

/** `Service/shop/api spec.ports[1].nodePort` style label of a use, for messages. */
export function nodePortUseLabel(use: NodePortUse): string {
  const field = use.servicePort ? `spec.ports[${use.servicePort.index}].nodePort` : 'spec.healthCheckNodePort';
  const ns = use.service.namespace ? `${use.service.namespace}/` : '';
  return `Service/${ns}${use.service.name || '(unnamed)'} (${field})`;
}

/**
 * Which Services ask for which node port, across the whole input.
 *
 * Upstream, node ports come from ONE bitmap for the whole cluster (pkg/registry/core/service/portallocator,
 * sized by --service-node-port-range), shared by every namespace, every protocol, and healthCheckNodePort:
 * `Allocate(n)` of a port some other Service holds fails with "provided port is already allocated"
 * (Invalid spec.ports[i].nodePort). Only NodePort and LoadBalancer Services allocate ports
 * (txnAllocNodePorts in pkg/registry/core/service/storage/alloc.go), and healthCheckNodePort only when
 * NeedsHealthCheck (LoadBalancer + externalTrafficPolicy Local). Two definitions of the same Service
 * (same namespace and name) are one object: re-applying it keeps its own ports, so they never conflict.
 */
export class NodePortIndex {
  private readonly byPort = new Map<number, NodePortUse[]>();

  constructor(graph: ResourceGraph) {
    for (const resource of graph.ofKind('Service')) {
      const service = graph.service(resource);
      if (!allocatesNodePorts(service)) continue;
      for (const port of service.ports) {
        if (port.nodePort === undefined) continue;
        this.add({ service: resource, nodePort: port.nodePort, servicePort: port, path: [...port.path, 'nodePort'] });
      }
      if (needsHealthCheck(service) && service.healthCheckNodePort !== undefined) {
        this.add({
          service: resource,
          nodePort: service.healthCheckNodePort,
          servicePort: undefined,
          path: ['spec', 'healthCheckNodePort'],
        });
      }
    }
  }

  private add(use: NodePortUse): void {
    const list = this.byPort.get(use.nodePort);
    if (list) list.push(use);
    else this.byPort.set(use.nodePort, [use]);
  }

  /** Every explicit request for a node port, in input order. */
  usesOf(nodePort: number): readonly NodePortUse[] {
    return this.byPort.get(nodePort) ?? [];
  }
}

const indexes = new WeakMap<ResourceGraph, NodePortIndex>();

/** The node-port index of a graph, built once per graph. */
export function nodePortIndexOf(graph: ResourceGraph): NodePortIndex {
  let index = indexes.get(graph);
  if (!index) indexes.set(graph, (index = new NodePortIndex(graph)));
  return index;
}

/** A node-port range as kube-apiserver's --service-node-port-range takes it. */
export interface PortRange {
  readonly base: number;
  /** Inclusive. */
  readonly max: number;
}

export const DEFAULT_NODE_PORT_RANGE = '30000-32767';

/**
 * Parses a port range the way k8s.io/apimachinery/pkg/util/net ParsePortRange does: "min-max", "base+offset"
 * (base to base+offset) or a single port. Returns undefined when the text is not a range.
 */
export function parsePortRange(text: string): PortRange | undefined {
  const value = text.trim();
  const number = (s: string): number | undefined => (/^\d{1,5}$/.test(s) ? Number(s) : undefined);
  let base: number | undefined;
  let max: number | undefined;
  const dash = value.indexOf('-');
  const plus = value.indexOf('+');
  if (dash >= 0) {
    base = number(value.slice(0, dash));
    max = number(value.slice(dash + 1));
  } else if (plus >= 0) {
    base = number(value.slice(0, plus));
    const offset = number(value.slice(plus + 1));
    max = base !== undefined && offset !== undefined ? base + offset : undefined;
  } else {
    base = max = number(value);
  }
  if (base === undefined || max === undefined || base > max || max > 65535) return undefined;
  return { base, max };
}

export function inPortRange(range: PortRange, port: number): boolean {
  return port >= range.base && port <= range.max;
}
