import { createRule } from '../api/authoring.js';
import { autoscalersOf } from '../model/references/autoscaling.js';
import type { ResourceGraph } from '../model/graph.js';
import { disruptionBudgetSelector, disruptionBudgetsSelecting, readBudget, setsNoBudget } from '../model/references/disruption-budget.js';
import { templateLabel } from '../model/pods/pod-template.js';
import { externalPodsSelectedBy } from '../model/evidence/absence.js';
import { locationOf, selectorKeyPath, selectorNearMiss } from '../model/evidence/hints.js';
import { resourceLabel } from '../model/objects/resource.js';
import { formatSelector, type TemplateMatch } from '../model/pods/selector.js';

export const pdbSelectorMatch = createRule({
  name: 'pdb-selector-match',
  meta: {
    type: 'problem',
    defaultSeverity: 'warn',
    docs: {
      description:
        'Require every PodDisruptionBudget to select pods, to allow at least one eviction, and to be the only budget on its pods',
    },
    messages: {
      nullSelector:
        'PodDisruptionBudget "{{name}}" has no spec.selector: a null selector matches no pods, so this budget protects nothing and a node drain can evict every replica at once. Add a selector with the labels of the pods to protect ({} selects every pod in the namespace).',
      noPodsSelected:
        'PodDisruptionBudget "{{name}}" selects no pods: no workload in namespace "{{namespace}}" runs pods labelled {{selector}}, so it protects nothing and a node drain can evict every replica at once.{{hint}}',
      minAvailableBlocksEviction:
        'minAvailable: {{budget}} leaves no room for an eviction: {{replicas}}. The eviction API refuses every voluntary eviction, so `kubectl drain`, node upgrades and the cluster autoscaler hang on these pods. Set minAvailable below the replica count, use maxUnavailable: 1, or run more replicas.',
      noBudget:
        'PodDisruptionBudget "{{name}}" sets neither minAvailable nor maxUnavailable: the disruption controller then expects no pods and allows 0 disruptions, so the eviction API refuses every voluntary eviction of the pods it selects and `kubectl drain`, node upgrades and the cluster autoscaler hang on them. Set maxUnavailable: 1 (or minAvailable), unless blocking every drain is what you want.',
      maxUnavailableZero:
        'maxUnavailable: {{budget}} never allows a voluntary eviction, so `kubectl drain`, node upgrades and the cluster autoscaler hang on the pods of {{workloads}}. Use maxUnavailable: 1 (or a percentage), unless blocking drains is what you want.',
      overlappingBudgets:
        'The pods of {{workload}} are also selected by PodDisruptionBudget "{{other}}" ({{where}}): the eviction API refuses to evict a pod covered by more than one budget ("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support"), so node drains fail on them. Keep one budget per set of pods.',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const { graph } = context;
    return {
      PodDisruptionBudget(pdb) {
        const base = { name: pdb.name, namespace: pdb.namespace };
        const { selector, isNull, v1beta1Empty } = disruptionBudgetSelector(pdb);
        if (isNull) {
          context.report({ resource: pdb, path: ['spec', 'selector'], messageId: 'nullSelector', data: base });
          return;
        }
        // Whatever it selects, in the input or not: the budget itself is the problem.
        if (setsNoBudget(pdb)) context.report({ resource: pdb, path: ['spec'], messageId: 'noBudget', severity: 'warn', data: base });
        const matches = graph.podTemplatesSelectedBy(selector, pdb.namespace);
        if (matches.length === 0) {
          if (v1beta1Empty) {
            const hint =
              ' In policy/v1beta1 an empty selector ({}) matches no pods (policy/v1 changed it to every pod): move to policy/v1.';
            context.report({
              resource: pdb,
              path: ['spec', 'selector'],
              messageId: 'noPodsSelected',
              data: { ...base, selector: '{}', hint },
            });
            return;
          }
          // Nothing to compare with (workloads deployed from elsewhere), pods an operator creates, or pods the
          // configuration says other systems create.
          if (graph.podTemplatesIn(pdb.namespace).length === 0 || graph.likelyOperatorResource(selector, pdb.namespace)) return;
          if (externalPodsSelectedBy(graph, selector, pdb.namespace).length > 0) return;
          const near = selectorNearMiss(graph, selector, pdb.namespace, 'PodDisruptionBudget', pdb);
          context.report({
            resource: pdb,
            path: selectorKeyPath(pdb, ['spec', 'selector'], near?.selectorKey),
            messageId: 'noPodsSelected',
            data: { ...base, selector: formatSelector(selector), hint: near?.hint ?? '' },
            related: near ? [{ resource: near.template.owner, path: near.path, message: 'closest pod template' }] : [],
          });
          return;
        }

        const workloads = matches.map((m) => templateLabel(m.template)).join(', ');
        const maxUnavailable = readBudget(pdb, 'maxUnavailable');
        if (maxUnavailable && maxUnavailable.value === 0) {
          context.report({
            resource: pdb,
            path: ['spec', 'maxUnavailable'],
            messageId: 'maxUnavailableZero',
            data: { budget: maxUnavailable.kind === 'percent' ? '0%' : '0', workloads },
          });
        }
        const minAvailable = readBudget(pdb, 'minAvailable');
        if (minAvailable) {
          const floor = replicaFloor(graph, matches);
          const blocks =
            minAvailable.kind === 'percent'
              ? minAvailable.value >= 100
              : floor !== undefined && floor.total > 0 && minAvailable.value >= floor.total;
          if (blocks) {
            const replicas =
              minAvailable.kind === 'percent'
                ? 'every selected pod must stay available'
                : `${workloads} ${floor!.total === 1 ? 'runs 1 pod' : `run${matches.length === 1 ? 's' : ''} ${floor!.total} pods`}${floor!.how}`;
            context.report({
              resource: pdb,
              path: ['spec', 'minAvailable'],
              messageId: 'minAvailableBlocksEviction',
              data: { budget: minAvailable.kind === 'percent' ? `${minAvailable.value}%` : minAvailable.value, replicas },
              // The replica counts the finding rests on (a kustomize patch or `replicas:` may change them).
              related: matches.map((m) => ({
                resource: m.template.owner,
                path: ['spec', 'replicas'],
                message: `replicas of ${templateLabel(m.template)}`,
              })),
            });
          }
        }

        for (const match of matches) {
          const others = disruptionBudgetsSelecting(graph, match.template).filter((other) => other.key !== pdb.key);
          if (others.length === 0) continue;
          const other = others[0]!;
          context.report({
            resource: pdb,
            path: ['spec', 'selector'],
            messageId: 'overlappingBudgets',
            data: { workload: templateLabel(match.template), other: other.name, where: locationOf(other, ['metadata', 'name']) },
            related: [{ resource: other, path: ['spec', 'selector'], message: `selector of ${resourceLabel(other)}` }],
          });
          return;
        }
      },
    };
  },
});

/**
 * The fewest pods the selected workloads run: their replicas, or the minReplicas of the HPA that scales them
 * (an HPA overrides spec.replicas). Undefined when it cannot be known (a DaemonSet, a custom resource without
 * replicas, KEDA, an autoscaled workload only partly selected).
 */
function replicaFloor(graph: ResourceGraph, matches: readonly TemplateMatch[]): { total: number; how: string } | undefined {
  let total = 0;
  let autoscaled = false;
  for (const match of matches) {
    if (match.pods === null) return undefined;
    const autoscalers = autoscalersOf(graph, match.template.owner);
    if (autoscalers.length === 0) {
      total += match.pods;
      continue;
    }
    const min = autoscalers[0]!.minReplicas;
    if (min === undefined || match.pods !== match.template.replicas) return undefined;
    total += min;
    autoscaled = true;
  }
  return { total, how: autoscaled ? ' at the HPA minimum' : '' };
}
