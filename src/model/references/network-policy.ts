import type { Path } from '../../loader/parse.js';
import type { ResourceGraph } from '../graph.js';
import type { PodTemplate } from '../pods/pod-template.js';
import type { Resource } from '../objects/resource.js';
import { labelValueNamesKind } from '../objects/operators.js';
import { labelSelector, type Selector, type TemplateMatch } from '../pods/selector.js';
import { asArray, asInteger, asObject, asString, getIn, isObject } from '../objects/values.js';

/**
 * NetworkPolicy semantics (k8s.io/api networking/v1 types.go, pkg/apis/networking/validation/validation.go
 * ValidateNetworkPolicyPort, kubernetes/website network-policies.md):
 * - spec.podSelector is a LabelSelector over the policy's namespace; {} selects every pod there;
 * - ports[].port is a number or a named port. A named port resolves against the container ports of the pods
 *   the traffic goes to: for an ingress rule, the pods the policy selects; for an egress rule, the destination
 *   pods (CNI plugins such as Calico and Cilium resolve it per destination endpoint);
 * - endPort is only allowed with a numeric port ("may not be specified when `port` is non-numeric").
 */
export type PolicyDirection = 'ingress' | 'egress';

export interface PolicyPort {
  readonly direction: PolicyDirection;
  readonly ruleIndex: number;
  readonly port: number | string | undefined;
  readonly endPort: number | undefined;
  /** Defaulted to TCP. */
  readonly protocol: string;
  /** Path of the NetworkPolicyPort object. */
  readonly path: Path;
}

export function policyPodSelector(policy: Resource): Selector {
  // An absent podSelector is rejected by validation; read it as {} (what an empty object would mean) so that a
  // shape error does not also become "selects no pods".
  const raw = getIn(policy.object, ['spec', 'podSelector']);
  return labelSelector(raw === undefined || raw === null ? {} : raw);
}

export function policyPorts(policy: Resource): PolicyPort[] {
  const out: PolicyPort[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    asArray(getIn(policy.object, ['spec', direction])).forEach((rule, ruleIndex) => {
      asArray(asObject(rule)?.ports).forEach((value, i) => {
        const port = asObject(value);
        if (!port) return;
        const raw = port.port;
        out.push({
          direction,
          ruleIndex,
          port: typeof raw === 'number' || typeof raw === 'string' ? raw : undefined,
          endPort: asInteger(port.endPort),
          protocol: asString(port.protocol) || 'TCP',
          path: ['spec', direction, ruleIndex, 'ports', i],
        });
      });
    });
  }
  return out;
}

/**
 * The pod templates an egress rule sends traffic to, when the manifests can tell: every peer of `to` is a
 * plain podSelector (same namespace). Undefined when a peer may be anywhere (no `to`, a namespaceSelector,
 * an ipBlock): a named port there resolves against pods kubewire cannot see.
 */
export function egressDestinations(graph: ResourceGraph, policy: Resource, ruleIndex: number): TemplateMatch[] | undefined {
  const peers = asArray(getIn(policy.object, ['spec', 'egress', ruleIndex, 'to']));
  if (peers.length === 0) return undefined;
  const matches = new Map<PodTemplate, TemplateMatch>();
  for (const value of peers) {
    const peer = asObject(value);
    if (!peer || peer.namespaceSelector !== undefined || peer.ipBlock !== undefined || !isObject(peer.podSelector)) return undefined;
    for (const match of graph.podTemplatesSelectedBy(labelSelector(peer.podSelector), policy.namespace)) matches.set(match.template, match);
  }
  return [...matches.values()];
}

/**
 * Whether the pods of a template declare a container port with this name: with the protocol (`yes`), only
 * with another protocol (`otherProtocol`), or not at all. Every container counts, init containers too: CNI
 * plugins read the pod's declared ports, and kubewire would rather miss a warning than invent one.
 */
export function namedPortOn(template: PodTemplate, name: string, protocol: string): 'yes' | 'otherProtocol' | 'no' {
  const ports = template.containers.flatMap((c) => c.ports).filter((p) => p.name === name);
  if (ports.some((p) => p.protocol === protocol)) return 'yes';
  return ports.length > 0 ? 'otherProtocol' : 'no';
}

/** A `from` / `to` peer that selects pods of the policy's own namespace by label. */
export interface SameNamespacePodPeer {
  readonly direction: PolicyDirection;
  readonly ruleIndex: number;
  readonly peerIndex: number;
  readonly selector: Selector;
  /** Path of the peer's podSelector. */
  readonly path: Path;
}

/**
 * The peers of ingress `from` and egress `to` that select pods in the policy's own namespace: a podSelector
 * without a namespaceSelector beside it (k8s.io/api networking/v1 types.go NetworkPolicyPeer: with a
 * namespaceSelector it selects the matching pods of the selected namespaces, "otherwise it selects the pods
 * matching podSelector in the policy's own namespace"). `podSelector: {}` selects every pod of the namespace.
 * An ipBlock peer has no podSelector (validation allows one field of the three only with the other two empty).
 */
export function sameNamespacePodPeers(policy: Resource): SameNamespacePodPeer[] {
  const out: SameNamespacePodPeer[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    const peersKey = direction === 'ingress' ? 'from' : 'to';
    asArray(getIn(policy.object, ['spec', direction])).forEach((rule, ruleIndex) => {
      asArray(asObject(rule)?.[peersKey]).forEach((value, peerIndex) => {
        const peer = asObject(value);
        if (
          !peer ||
          !isObject(peer.podSelector) ||
          (peer.namespaceSelector !== undefined && peer.namespaceSelector !== null) ||
          peer.ipBlock !== undefined
        )
          return;
        out.push({
          direction,
          ruleIndex,
          peerIndex,
          selector: labelSelector(peer.podSelector),
          path: ['spec', direction, ruleIndex, peersKey, peerIndex, 'podSelector'],
        });
      });
    });
  }
  return out;
}

/**
 * The custom resource whose operator probably creates the pods a NetworkPolicy selector is written for: the
 * graph's guess (a resource named by a selector value, or of the selector key's domain), else a pod-creating
 * custom resource of the namespace whose kind a selector value names (objects/operators.ts labelValueNamesKind).
 */
export function likelyOperatorFor(graph: ResourceGraph, selector: Selector, namespace: string): Resource | undefined {
  const guess = graph.likelyOperatorResource(selector, namespace);
  if (guess) return guess;
  const values = selector.requirements.flatMap((r) => r.values);
  return graph.podCreatingCustomResourcesIn(namespace).find((cr) => values.some((v) => labelValueNamesKind(v, cr)));
}
