import { findPort } from './find-port.js';
import type { Container, PodTemplate } from '../pods/pod-template.js';
import type { ExternalPods } from '../graph.js';
import type { Resource } from '../objects/resource.js';
import type { TemplateMatch } from '../pods/selector.js';
import type { ServicePort, ServiceSpec } from './service.js';

/**
 * The endpoints a Service would get, simulated from the manifests as the EndpointSlice controller would build
 * them (kubernetes/endpointslice reconciler.go, utils.go; pkg/controller/endpointslice):
 * - ExternalName Services get no endpoints (DNS CNAME only);
 * - a Service without a selector is left to hand-written Endpoints/EndpointSlices;
 * - otherwise every pod in the Service's namespace that the selector selects, with, per Service port, the
 *   container port FindPort resolves. A pod on which a named port does not resolve is still in the slice,
 *   with that port omitted: traffic to that Service port never reaches it.
 */
export type EndpointsMode = 'selector' | 'selectorless' | 'external-name';

export interface Backend {
  readonly template: PodTemplate;
  readonly pods: number | null;
  readonly container: Container | undefined;
  readonly containerPort: number;
  /** The containerPort declaration the target port resolved to, if any. */
  readonly declared: boolean;
}

export interface UnresolvedBackend {
  readonly template: PodTemplate;
  readonly pods: number | null;
  readonly reason: string;
}

export interface PortEndpoints {
  readonly servicePort: ServicePort;
  readonly backends: readonly Backend[];
  readonly unresolved: readonly UnresolvedBackend[];
}

export interface ServiceEndpoints {
  readonly service: ServiceSpec;
  readonly mode: EndpointsMode;
  readonly selected: readonly TemplateMatch[];
  readonly ports: readonly PortEndpoints[];
  /** Endpoints / EndpointSlices given in the input for a selectorless Service. */
  readonly manual: readonly Resource[];
  /** When nothing in the input is selected: the custom resource whose operator probably creates the pods. */
  readonly operatorResource?: Resource;
  /**
   * Pods the configuration declares as created elsewhere (`externalPods`) that the selector selects: their
   * containers are not in the input, so neither the endpoints nor their ports can be known.
   */
  readonly external?: readonly ExternalPods[];
}

export function simulateEndpoints(service: ServiceSpec, selected: readonly TemplateMatch[], manual: readonly Resource[]): ServiceEndpoints {
  if (service.type === 'ExternalName') return { service, mode: 'external-name', selected: [], ports: [], manual: [] };
  if (!service.selector) {
    return {
      service,
      mode: 'selectorless',
      selected: [],
      ports: service.ports.map((p) => ({ servicePort: p, backends: [], unresolved: [] })),
      manual,
    };
  }
  const ports = service.ports.map((servicePort): PortEndpoints => {
    const backends: Backend[] = [];
    const unresolved: UnresolvedBackend[] = [];
    const target = servicePort.targetPort;
    for (const match of selected) {
      if (target === undefined) {
        unresolved.push({ template: match.template, pods: match.pods, reason: 'the Service port has no port number' });
        continue;
      }
      const resolution = findPort(match.template, target, servicePort.protocol);
      if (resolution.kind === 'resolved') {
        backends.push({
          template: match.template,
          pods: match.pods,
          container: resolution.container,
          containerPort: resolution.containerPort,
          declared: resolution.port !== undefined,
        });
      } else {
        unresolved.push({ template: match.template, pods: match.pods, reason: resolution.reason });
      }
    }
    return { servicePort, backends, unresolved };
  });
  return { service, mode: 'selector', selected, ports, manual: [] };
}

/** Sum of pods, with null (unknown, e.g. DaemonSet) contaminating the total. */
export function totalPods(items: readonly { pods: number | null }[]): number | null {
  let total = 0;
  for (const item of items) {
    if (item.pods === null) return null;
    total += item.pods;
  }
  return total;
}
