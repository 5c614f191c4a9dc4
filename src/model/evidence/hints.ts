/**
 * Hints for messages about references and selectors: where an object is written, the custom resource whose
 * operator probably creates a missing object, the near miss of a selector. Whether an absence is a mistake is
 * decided in absence.ts, not here.
 */
import type { Path } from '../../loader/parse.js';
import type { ResourceGraph } from '../graph.js';
import { closestPodTemplate, type NearMiss } from './near-miss.js';
import { templateLabel } from '../pods/pod-template.js';
import { locateField, type Resource } from '../objects/resource.js';
import type { Selector } from '../pods/selector.js';
import { asObject, getIn } from '../objects/values.js';

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

/** `deploy/web.yaml:12`: where a resource (or one of its fields) is, for messages. */
export function locationOf(resource: Resource, path: Path = []): string {
  const located = locateField(resource, path);
  return `${located.file}:${located.range.line}`;
}

/**
 * closestPodTemplate for selectors other than a Service's (NetworkPolicy, PodDisruptionBudget): the same
 * near miss, with the other-namespace case worded for the kind that owns the selector.
 */
export function selectorNearMiss(
  graph: ResourceGraph,
  selector: Selector,
  namespace: string,
  ownerKind: string,
  from?: Resource,
): NearMiss | undefined {
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
