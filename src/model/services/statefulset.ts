import type { Path } from '../../loader/parse.js';
import type { ResourceGraph } from '../graph.js';
import { isDns1123Label } from '../objects/names.js';
import { appliedAsOne, judgeAbsence, type AbsenceVerdict } from '../evidence/absence.js';
import type { Resource } from '../objects/resource.js';
import { matchTemplate, type Requirement } from '../pods/selector.js';
import { asInteger, asString, getIn } from '../objects/values.js';

/**
 * How a StatefulSet's pods get their stable per-pod DNS names, and what can stop them.
 *
 * - The StatefulSet controller sets every pod's `spec.hostname` to `<sts>-<ordinal>` and `spec.subdomain` to
 *   `spec.serviceName`; it never looks the Service up (kubernetes/kubernetes
 *   pkg/controller/statefulset/stateful_set_utils.go, `initIdentity` / `updateIdentity`).
 * - DNS serves `<hostname>.<subdomain>.<namespace>.svc.<zone>` only when a headless Service named like the
 *   subdomain exists in the pod's namespace and has an endpoint for the pod, i.e. selects it, or lists it in
 *   hand-written endpoints (kubernetes/website content/en/docs/concepts/services-networking/dns-pod-service.md,
 *   "A/AAAA records" and "Pod's hostname and subdomain fields").
 * - `spec.serviceName` is optional (never required server-side; marked optional and, when non-empty, validated
 *   as a DNS-1123 label since v1.33, kubernetes/kubernetes#130233). Before that an invalid value was accepted
 *   and every pod creation failed on `spec.subdomain` validation.
 */
export type GoverningService =
  | { readonly kind: 'unset' }
  | { readonly kind: 'not-a-string' }
  | { readonly kind: 'invalid-name'; readonly name: string }
  | {
      readonly kind: 'missing';
      readonly name: string;
      /**
       * A headless Service near the StatefulSet that selects its pods, under another name: the Service that
       * governs these pods, so serviceName is surely wrong.
       */
      readonly governing?: Resource;
      /** Whether the absence is evidence of a mistake (evidence/absence.ts). */
      readonly verdict: AbsenceVerdict;
    }
  | { readonly kind: 'not-headless'; readonly name: string; readonly service: Resource; readonly headlessAlternative?: Resource }
  | { readonly kind: 'selects-other-pods'; readonly name: string; readonly service: Resource; readonly mismatch?: LabelMismatch }
  | { readonly kind: 'ok'; readonly name: string; readonly service: Resource };

/** The first selector requirement the pod template does not satisfy. */
export interface LabelMismatch {
  readonly requirement: Requirement;
  /** The template's value for the key, when it has one. */
  readonly templateValue: string | undefined;
}

export const SERVICE_NAME_PATH: Path = ['spec', 'serviceName'];

/** The per-pod DNS name of the first pod, for messages: `db-0.db-headless.data.svc`. */
export function podDnsName(statefulSet: Resource, serviceName: string): string {
  const start = asInteger(getIn(statefulSet.object, ['spec', 'ordinals', 'start'])) ?? 0;
  return `${statefulSet.name}-${start}.${serviceName}.${statefulSet.namespace || 'default'}.svc`;
}

export function governingService(graph: ResourceGraph, statefulSet: Resource): GoverningService {
  const written = getIn(statefulSet.object, SERVICE_NAME_PATH);
  if (written === undefined || written === null || written === '') return { kind: 'unset' };
  const name = asString(written);
  if (name === undefined) return { kind: 'not-a-string' };
  if (!isDns1123Label(name)) return { kind: 'invalid-name', name };

  const template = graph.podTemplatesOf(statefulSet)[0];
  const service = graph.findReferencedBy(statefulSet, 'Service', statefulSet.namespace, name);
  if (!service) {
    const headlessSelecting = (s: Resource) => template !== undefined && graph.service(s).headless && graph.selects(s, template);
    const governing = servicesIn(graph, statefulSet.namespace).find((s) => headlessSelecting(s) && appliedAsOne(graph, statefulSet, s));
    const verdict = judgeAbsence(graph, {
      from: statefulSet,
      kindKeys: ['Service'],
      namespace: statefulSet.namespace,
      name,
      confirms: (candidate) => (headlessSelecting(candidate) ? 'It is headless and selects these pods' : undefined),
    });
    return { kind: 'missing', name, verdict, ...(governing ? { governing } : {}) };
  }

  const spec = graph.service(service);
  if (!spec.headless) {
    const headlessAlternative =
      template &&
      servicesIn(graph, statefulSet.namespace).find((s) => s !== service && graph.service(s).headless && graph.selects(s, template));
    return { kind: 'not-headless', name, service, ...(headlessAlternative ? { headlessAlternative } : {}) };
  }
  // A headless Service without a selector gets hand-written Endpoints/EndpointSlices: we cannot tell which
  // pods they name, so it is trusted.
  if (!spec.selector || !template || graph.selects(service, template)) return { kind: 'ok', name, service };
  const failing = spec.selector.requirements.find((r) => !matchTemplate({ kind: 'requirements', requirements: [r] }, template));
  return {
    kind: 'selects-other-pods',
    name,
    service,
    ...(failing ? { mismatch: { requirement: failing, templateValue: template.labels[failing.key] } } : {}),
  };
}

function servicesIn(graph: ResourceGraph, namespace: string): Resource[] {
  return graph.ofKind('Service').filter((s) => s.namespace === namespace);
}

/** The StatefulSets of the Service's namespace whose spec.serviceName names it. */
export function statefulSetsGovernedBy(graph: ResourceGraph, service: Resource): Resource[] {
  return graph
    .ofKind('StatefulSet')
    .filter((s) => s.namespace === service.namespace && getIn(s.object, SERVICE_NAME_PATH) === service.name);
}
