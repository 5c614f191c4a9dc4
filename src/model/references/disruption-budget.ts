import type { ResourceGraph } from '../graph.js';
import type { PodTemplate } from '../pods/pod-template.js';
import type { Resource } from '../objects/resource.js';
import { labelSelector, SELECTS_NOTHING, type Selector } from '../pods/selector.js';
import { asObject, getIn } from '../objects/values.js';

/**
 * PodDisruptionBudget semantics:
 * - policy/v1: a null selector matches no pods, an empty one ({}) every pod of the namespace
 *   (k8s.io/api policy/v1 types.go PodDisruptionBudgetSpec.Selector);
 * - policy/v1beta1 (removed in 1.25): an empty selector matched no pods; the API server stores it as
 *   NonV1beta1MatchNoneSelector (pkg/apis/policy/helper.go, pkg/apis/policy/v1beta1/conversion.go);
 * - the eviction API refuses a pod that more than one budget selects: "This pod has more than one
 *   PodDisruptionBudget, which the eviction subresource does not support." (pkg/registry/core/pod/storage/
 *   eviction.go);
 * - minAvailable and maxUnavailable are IntOrString (a count or a percentage); the disruption controller
 *   allows an eviction only while currentHealthy - 1 >= desiredHealthy (pkg/controller/disruption).
 */
export interface DisruptionBudgetSelector {
  readonly selector: Selector;
  /** spec.selector is absent or null. */
  readonly isNull: boolean;
  /** A policy/v1beta1 budget with `selector: {}`, which matches nothing. */
  readonly v1beta1Empty: boolean;
}

export function disruptionBudgetSelector(pdb: Resource): DisruptionBudgetSelector {
  const raw = getIn(pdb.object, ['spec', 'selector']);
  const selector = labelSelector(raw);
  if (raw === undefined || raw === null) return { selector: SELECTS_NOTHING, isNull: true, v1beta1Empty: false };
  if (pdb.apiVersion === 'policy/v1beta1' && selector.kind === 'everything')
    return { selector: SELECTS_NOTHING, isNull: false, v1beta1Empty: true };
  return { selector, isNull: false, v1beta1Empty: false };
}

const budgetIndexes = new WeakMap<ResourceGraph, Map<PodTemplate, Resource[]>>();

/**
 * The PodDisruptionBudgets that select every pod of a template (one definition per budget). Partial matches
 * (a budget on one StatefulSet ordinal) are left out: two budgets on different ordinals do not overlap.
 */
export function disruptionBudgetsSelecting(graph: ResourceGraph, template: PodTemplate): readonly Resource[] {
  let index = budgetIndexes.get(graph);
  if (!index) {
    index = new Map();
    for (const pdb of graph.ofKind('PodDisruptionBudget')) {
      // A budget defined twice is one object: count the definition that wins on apply.
      if (graph.find('PodDisruptionBudget', pdb.namespace, pdb.name) !== pdb) continue;
      const { selector } = disruptionBudgetSelector(pdb);
      for (const match of graph.podTemplatesSelectedBy(selector, pdb.namespace)) {
        if (match.pods !== match.template.replicas) continue;
        const list = index.get(match.template);
        if (list) list.push(pdb);
        else index.set(match.template, [pdb]);
      }
    }
    budgetIndexes.set(graph, index);
  }
  return index.get(template) ?? [];
}

/** minAvailable / maxUnavailable as written: a count, a percentage, or absent. */
export type Budget = { readonly kind: 'count'; readonly value: number } | { readonly kind: 'percent'; readonly value: number } | undefined;

export function readBudget(pdb: Resource, field: 'minAvailable' | 'maxUnavailable'): Budget {
  const value = asObject(pdb.object.spec)?.[field];
  if (typeof value === 'number' && Number.isInteger(value)) return { kind: 'count', value };
  if (typeof value === 'string') {
    const percent = /^([0-9]+)%$/.exec(value);
    // A string must be a percentage (ValidatePositiveIntOrPercent); "2" is rejected by validation.
    if (percent) return { kind: 'percent', value: Number(percent[1]) };
  }
  return undefined;
}

/**
 * A budget that sets neither minAvailable nor maxUnavailable allows no voluntary eviction at all:
 * - nothing defaults either field in policy/v1, and validation only rejects setting both
 *   (pkg/apis/policy/validation/validation.go ValidatePodDisruptionBudgetSpec), so it is stored as written;
 * - the disruption controller's getExpectedPodCount (pkg/controller/disruption/disruption.go) then leaves
 *   expectedCount and desiredHealthy at 0, and updatePdbStatus sets disruptionsAllowed to 0 whenever
 *   expectedCount <= 0;
 * - the eviction API refuses a healthy pod while disruptionsAllowed is 0, and its shortcut for unready pods
 *   needs desiredHealthy > 0 (pkg/registry/core/pod/storage/eviction.go), so only unhealthyPodEvictionPolicy:
 *   AlwaysAllow lets unready pods go.
 * An absent field and `null` are the same (a nil pointer).
 */
export function setsNoBudget(pdb: Resource): boolean {
  const spec = asObject(pdb.object.spec) ?? {};
  const unset = (field: string) => spec[field] === undefined || spec[field] === null;
  return unset('minAvailable') && unset('maxUnavailable');
}
