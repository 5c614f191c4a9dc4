import type { Path } from '../../loader/parse.js';
import { inSameSubtree } from './apply-scope.js';
import type { ResourceGraph } from '../graph.js';
import { closestPodTemplate, editDistance, type NearMiss } from './near-miss.js';
import { templateLabel } from '../pods/pod-template.js';
import { locateField, type Resource } from '../objects/resource.js';
import type { Selector } from '../pods/selector.js';
import { asObject, getIn } from '../objects/values.js';

/**
 * What to say about a name that a reference (Ingress backend, HPA scaleTargetRef) gives but that does not
 * exist: a resource of the same kind in the same namespace with a close name ("did you mean"), and the ones
 * with exactly that name in other namespaces (references never cross namespaces).
 */
export interface MissingReference {
  readonly similar: Resource | undefined;
  readonly elsewhere: readonly Resource[];
  /** How many resources of that kind the input has in the namespace (0: it cannot be checked). */
  readonly inNamespace: number;
  /**
   * How many of those are near the reference (inSameSubtree: its folder, the folders above or below it, its
   * kustomize build); all of them when no referrer is given. 0 with others in the namespace: the input is a
   * tree of unrelated apps, and the target is probably applied from somewhere kubewire was not shown.
   */
  readonly nearby: number;
  /** A custom resource in the namespace whose operator probably creates the object (see likelyCreatorByName). */
  readonly createdByOperator: Resource | undefined;
}

/** `kindKey` as ResourceGraph.ofKind takes it: `Service`, `Deployment`, or `Rollout.argoproj.io`. */
export function explainMissingReference(graph: ResourceGraph, kindKey: string, namespace: string, name: string, from?: Resource): MissingReference {
  const all = graph.ofKind(kindKey);
  const sameNamespace = all.filter((r) => r.namespace === namespace);
  return {
    similar: closestName(name, sameNamespace),
    elsewhere: all.filter((r) => r.namespace !== namespace && r.name === name),
    inNamespace: sameNamespace.length,
    nearby: from ? sameNamespace.filter((r) => inSameSubtree(graph, from, r)).length : sameNamespace.length,
    createdByOperator: likelyCreatorByName(graph, namespace, name),
  };
}

/**
 * The custom resource whose operator probably creates an object of this name: operators name what they create
 * after their custom resource, as the resource's name or the name plus a suffix (ECK's Elasticsearch `hulk`
 * creates the Service `hulk-es-http`, CloudNativePG's Cluster `pg` creates `pg-rw`, Strimzi's Kafka `events`
 * creates `events-kafka-bootstrap`, the RabbitMQ operator's RabbitmqCluster `mq` creates `mq`). The longest
 * matching name wins.
 */
export function likelyCreatorByName(graph: ResourceGraph, namespace: string, name: string): Resource | undefined {
  let best: Resource | undefined;
  for (const custom of graph.customResourcesIn(namespace)) {
    if (!custom.name || (name !== custom.name && !name.startsWith(`${custom.name}-`))) continue;
    if (!best || custom.name.length > best.name.length) best = custom;
  }
  return best;
}

/** The candidate whose name is closest to `name`: a small edit distance, or one name containing the other. */
export function closestName(name: string, candidates: readonly Resource[]): Resource | undefined {
  let best: { resource: Resource; distance: number } | undefined;
  for (const candidate of candidates) {
    if (!candidate.name || candidate.name === name) continue;
    const distance = editDistance(name, candidate.name);
    const close = distance <= Math.max(1, Math.floor(name.length / 3)) || candidate.name.includes(name) || name.includes(candidate.name);
    if (close && (!best || distance < best.distance)) best = { resource: candidate, distance };
  }
  return best?.resource;
}

/** `deploy/web.yaml:12`: where a resource (or one of its fields) is, for messages. */
export function locationOf(resource: Resource, path: Path = []): string {
  const located = locateField(resource, path);
  return `${located.file}:${located.range.line}`;
}

/**
 * closestPodTemplate for selectors other than a Service's (NetworkPolicy, PodDisruptionBudget): the same
 * near miss, with the other-namespace case worded for the kind that owns the selector.
 */
export function selectorNearMiss(graph: ResourceGraph, selector: Selector, namespace: string, ownerKind: string, from?: Resource): NearMiss | undefined {
  const near = closestPodTemplate(graph, selector, namespace, from);
  if (!near || near.template.namespace === namespace) return near;
  const labelsPath: Path = [...near.template.path, 'metadata', 'labels'];
  return {
    ...near,
    hint: ` ${templateLabel(near.template)} in namespace "${near.template.namespace}" (${locationOf(near.template.owner, labelsPath)}) has these labels, but a ${ownerKind} only selects pods in its own namespace ("${namespace}").`,
  };
}

/** The field to report for a LabelSelector that misses: `matchLabels.<key>` when the differing key is there. */
export function selectorKeyPath(resource: Resource, selectorPath: Path, key: string | undefined): Path {
  if (key === undefined) return selectorPath;
  const matchLabels = asObject(getIn(resource.object, [...selectorPath, 'matchLabels']));
  return matchLabels && key in matchLabels ? [...selectorPath, 'matchLabels', key] : selectorPath;
}
