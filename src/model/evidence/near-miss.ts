import type { Path } from '../../loader/parse.js';
import type { ResourceGraph } from '../graph.js';
import { templateLabel, type PodTemplate } from '../pods/pod-template.js';
import { isTypo } from './absence.js';
import { editDistanceWithin } from './nearest-name.js';
import { folderDistance, inSameFolder } from './apply-scope.js';
import { locateField, type Resource } from '../objects/resource.js';
import { formatLabel, matchTemplate, requirementHolds, type Requirement, type Selector } from '../pods/selector.js';
import { asString, asStringMap, getIn } from '../objects/values.js';

/** The pod template a selector was probably meant for, and what to say about it. */
export interface NearMiss {
  readonly template: PodTemplate;
  /** One or two sentences for the end of a message, starting with a space. */
  readonly hint: string;
  /** The field of the template's owner to show as a related location. */
  readonly path: Path;
  /** The selector key that does not match, when one stands out. */
  readonly selectorKey?: string;
  /**
   * True when the difference itself shows a mistake (a typo in a value, the label on the owner instead of its
   * pods, a replica count that leaves out the selected ordinal, a deploy hook), false when it is only a
   * resemblance (a value that adds or drops whole words, `tls-backend` and `tls-backend-v2`; a missing label;
   * the same labels in another namespace). Resemblance is a hint, never evidence (evidence/absence.ts).
   */
  readonly evidence: boolean;
}

/**
 * Finds the pod template that comes closest to matching a selector that matches nothing: the one that
 * satisfies the most requirements and whose differing values are nearest by edit distance. Then says why it
 * does not match, in the words a tired engineer needs: the label that differs and where it is written.
 */
export function closestPodTemplate(graph: ResourceGraph, selector: Selector, namespace: string, from?: Resource): NearMiss | undefined {
  if (selector.kind !== 'requirements') return undefined;
  let best: { template: PodTemplate; score: number; distance?: number } | undefined;
  // Folder distance only breaks ties of score: measured when one occurs.
  const distanceOf = (template: PodTemplate) => (from ? folderDistance(from, template.owner) : 0);
  for (const template of graph.podTemplatesIn(namespace)) {
    const closenessOf = closeness(selector.requirements, template, best?.score);
    if (!closenessOf) continue;
    // A whole repository holds many unrelated apps and examples in one namespace: a template elsewhere in the
    // tree that only shares a value under another key (`tier: backend` for `component: backend`) is a
    // coincidence, not the workload the selector was written for. Only a template in the selector owner's own
    // folder is named on such thin evidence; of equally close templates, the nearest one.
    if (!closenessOf.sameKeyEvidence && from && !inSameFolder(from, template.owner)) continue;
    if (!best || closenessOf.score > best.score) {
      best = { template, score: closenessOf.score };
    } else if (closenessOf.score === best.score) {
      const folders = distanceOf(template);
      if (folders < (best.distance ??= distanceOf(best.template))) best = { template, score: closenessOf.score, distance: folders };
    }
  }
  if (best) return explain(selector.requirements, best.template);

  for (const other of graph.namespacesWithPodTemplates()) {
    if (other === namespace) continue;
    const match = graph.podTemplatesIn(other).find((t) => matchTemplate(selector, t));
    if (match) {
      return {
        template: match,
        hint: ` ${templateLabel(match)} in namespace "${other}" (${where(match, labelsPath(match))}) has these labels, but a Service only selects pods in its own namespace ("${namespace}").${namespaceAdvice(from, other)}`,
        path: labelsPath(match),
        evidence: false,
      };
    }
  }
  return undefined;
}

/**
 * Higher is closer; undefined when the template has nothing in common with the selector. `sameKeyEvidence`:
 * some selector key holds, or is near (a typo in the value, the label on the owner's own metadata, a label a
 * controller adds), rather than only a wanted value showing up under another key.
 */
function closeness(
  requirements: readonly Requirement[],
  template: PodTemplate,
  /** The best score so far: a template that cannot reach it is left out early (undefined), as it would not be chosen. */
  atLeast = -Infinity,
): { score: number; sameKeyEvidence: boolean } | undefined {
  let satisfied = 0;
  let related = 0;
  let sameKey = 0;
  let distance = 0;
  // Values under a selector key that differ from the wanted one: their edit distances are the cost of a search,
  // so they are measured last, each only as far as the template could still reach `atLeast`.
  let differing: [wanted: string, value: string][] | undefined;
  for (const requirement of requirements) {
    const value = template.labels[requirement.key];
    if (holdsOnPods(requirement, template)) {
      satisfied++;
      continue;
    }
    if (template.controllerLabels.some((l) => l.key === requirement.key)) {
      related++;
      sameKey++;
      continue;
    }
    const wanted = requirement.values[0] ?? '';
    if (value !== undefined) {
      (differing ??= []).push([wanted, value]);
    } else if (ownerLabels(template)[requirement.key] === wanted) {
      related++;
      sameKey++;
    } else if (hasLabelValue(template, wanted)) {
      related++;
    } else {
      distance += wanted.length + requirement.key.length;
    }
  }
  if (differing) {
    // The best this template can score: every differing value related, each as far as its length differs.
    let slack = (satisfied + related + differing.length) * 1000 + satisfied * 100 - distance - atLeast;
    for (const [wanted, value] of differing) slack -= Math.abs(wanted.length - value.length);
    if (slack < 0) return undefined;
    for (const [wanted, value] of differing) {
      const floor = Math.abs(wanted.length - value.length);
      // A typo is a couple of characters (`wbe`, `web-v1` for `web-v2`) or a suffix (`checkout` for
      // `checkout-api`); two names that only share a prefix (`rook-ceph-mgr`, `rook-ceph-tools`) are different apps.
      const typo = Math.max(2, Math.floor(wanted.length / 4));
      const contained = value.includes(wanted) || wanted.includes(value);
      // Exact when it is a typo's distance; more than `typo` otherwise.
      const near = contained ? undefined : editDistanceWithin(wanted, value, typo);
      if (contained || near! <= typo) {
        related++;
        sameKey++;
      } else {
        // Not related: the template loses a thousand, and its distance counts only if it can still reach atLeast.
        slack -= 1000;
        if (slack < 0) return undefined;
      }
      const d = near !== undefined && near <= typo ? near : editDistanceWithin(wanted, value, floor + slack);
      if (d > floor + slack) return undefined;
      slack -= d - floor;
      distance += d;
    }
  }
  if (satisfied === 0 && related === 0) return undefined;
  return { score: (satisfied + related) * 1000 + satisfied * 100 - distance, sameKeyEvidence: satisfied + sameKey > 0 };
}

function explain(requirements: readonly Requirement[], template: PodTemplate): NearMiss {
  const failing = requirements.filter((r) => !holdsOnPods(r, template));
  const name = templateLabel(template);
  const first = failing[0];
  if (!first) {
    // Every requirement holds, yet the endpoint simulation leaves these pods out: a deploy hook (a `helm test`
    // Pod) that runs to completion. Found by fuzzing; without this the rule crashed.
    const path = labelsPath(template);
    return {
      template,
      path,
      evidence: true,
      hint: ` ${name} (${where(template, path)}) has these labels, but it is a deploy hook that runs to completion, never an endpoint.`,
    };
  }
  const wanted = first.values[0] ?? '';
  const added = template.controllerLabels.find((l) => l.key === first.key);
  if (added?.kind === 'ordinal' && template.replicas !== null && template.replicas > 0) {
    const from = added.valueFor(template.firstOrdinal);
    const to = added.valueFor(template.firstOrdinal + template.replicas - 1);
    const pods =
      template.replicas === 1 ? `its only pod has \`${formatLabel(first.key, from)}\`` : `its pods have \`${first.key}\` ${from} to ${to}`;
    const path = ['spec', 'replicas'];
    return {
      template,
      path,
      selectorKey: first.key,
      evidence: true,
      hint: ` ${name} runs ${template.replicas} replica${template.replicas === 1 ? '' : 's'}: ${pods}.`,
    };
  }
  const value = template.labels[first.key];
  if (value !== undefined) {
    const path = [...labelsPath(template), first.key];
    return {
      template,
      path,
      selectorKey: first.key,
      evidence: isTypo(wanted, value),
      hint: ` Did you mean \`${formatLabel(first.key, value)}\`? ${name} (${where(template, path)}) has it.`,
    };
  }
  const onOwner = ownerLabels(template)[first.key];
  if (onOwner === wanted && template.path.length > 0) {
    const path = ['metadata', 'labels', first.key];
    return {
      template,
      path,
      selectorKey: first.key,
      evidence: true,
      hint: ` ${name} has \`${formatLabel(first.key, wanted)}\` in its own metadata.labels (${where(template, path)}), but selectors match the labels of the pods: add it to ${[...template.path, 'metadata', 'labels'].join('.')}.`,
    };
  }
  const otherKey = Object.entries(template.labels).find(([, v]) => v === wanted)?.[0];
  if (otherKey) {
    const path = [...labelsPath(template), otherKey];
    return {
      template,
      path,
      selectorKey: first.key,
      evidence: true,
      hint: ` Did you mean \`${formatLabel(otherKey, wanted)}\`? ${name} (${where(template, path)}) has it.`,
    };
  }
  return {
    template,
    path: labelsPath(template),
    selectorKey: first.key,
    evidence: false,
    hint: ` The closest is ${name} (${where(template, labelsPath(template))}), which has no label \`${first.key}\`.`,
  };
}

/** Whether a requirement holds on the template's pods, controller-added labels included. */
function holdsOnPods(requirement: Requirement, template: PodTemplate): boolean {
  // A label written on the template is what its pods carry (matchTemplate reads it first): asked directly, since
  // a near-miss search asks this of every template in the namespace.
  const written = template.labels[requirement.key];
  if (written !== undefined) return requirementHolds(requirement, written);
  return matchTemplate({ kind: 'requirements', requirements: [requirement] }, template) !== undefined;
}

function labelsPath(template: PodTemplate): Path {
  return [...template.path, 'metadata', 'labels'];
}

/** The labels of the template's owner (a workload's own metadata), read once per template: searches ask often. */
function ownerLabels(template: PodTemplate): Record<string, string> {
  let labels = ownerLabelsOf.get(template);
  if (!labels) ownerLabelsOf.set(template, (labels = asStringMap(getIn(template.owner.object, ['metadata', 'labels'])) ?? {}));
  return labels;
}

const ownerLabelsOf = new WeakMap<PodTemplate, Record<string, string>>();

function hasLabelValue(template: PodTemplate, value: string): boolean {
  for (const key in template.labels) if (template.labels[key] === value) return true;
  return false;
}

function where(template: PodTemplate, path: Path): string {
  const located = locateField(template.owner, path);
  return `${located.file}:${located.range.line}`;
}

/** For a referrer without metadata.namespace, its namespace is whatever `kubectl apply -n` gives: say so. */
function namespaceAdvice(from: Resource | undefined, other: string): string {
  if (!from || asString(getIn(from.object, ['metadata', 'namespace']))) return '';
  return ` It names no namespace: if you apply it with \`kubectl apply -n ${other}\`, lint with \`--namespace ${other}\`; otherwise set metadata.namespace: ${other}.`;
}
