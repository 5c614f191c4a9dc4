import { totalPods, type ServiceEndpoints } from './endpoints.js';
import { templateLabel } from '../pods/pod-template.js';

/** The simulated endpoints of one Service as plain data: what `kubewire endpoints --format json` prints. */
export interface EndpointsReport {
  service: { namespace: string; name: string; type: string; headless: boolean; selector: Record<string, string> | null };
  mode: 'selector' | 'selectorless' | 'external-name';
  /** For selectorless Services: the Endpoints/EndpointSlices given in the input. */
  manual: { kind: string; name: string }[];
  /** When no pod in the input is selected: the custom resource whose operator probably creates the pods. */
  operator: { kind: string; name: string } | null;
  ports: {
    name: string | null;
    port: number | null;
    protocol: string;
    targetPort: number | string | null;
    /** Total pods that receive traffic on this port; null when unknown (a DaemonSet runs one per node). */
    pods: number | null;
    backends: { kind: string; name: string; pods: number | null; container: string | null; containerPort: number }[];
    unresolved: { kind: string; name: string; pods: number | null; reason: string }[];
  }[];
}

export function endpointsReport(endpoints: ServiceEndpoints): EndpointsReport {
  const { service } = endpoints;
  const resource = service.resource;
  const selector = service.selector ? Object.fromEntries(service.selector.requirements.map((r) => [r.key, r.values[0] ?? ''])) : null;
  return {
    service: { namespace: resource.namespace, name: resource.name, type: service.type, headless: service.headless, selector },
    mode: endpoints.mode,
    manual: endpoints.manual.map((r) => ({ kind: r.kind, name: r.name })),
    operator: endpoints.operatorResource ? { kind: endpoints.operatorResource.kind, name: endpoints.operatorResource.name } : null,
    ports: endpoints.ports.map((p) => ({
      name: p.servicePort.name ?? null,
      port: p.servicePort.port ?? null,
      protocol: p.servicePort.protocol,
      targetPort: p.servicePort.targetPort ?? null,
      pods: totalPods(p.backends),
      backends: p.backends.map((b) => ({
        kind: b.template.owner.kind,
        name: b.template.builtinOwner ? b.template.owner.name : templateLabel(b.template).slice(b.template.owner.kind.length + 1),
        pods: b.pods,
        container: b.container?.name ?? null,
        containerPort: b.containerPort,
      })),
      unresolved: p.unresolved.map((u) => ({ kind: u.template.owner.kind, name: u.template.owner.name, pods: u.pods, reason: u.reason })),
    })),
  };
}
