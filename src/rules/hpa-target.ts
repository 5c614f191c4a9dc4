import { createRule, type RelatedLocation } from '../api/authoring.js';
import { unsureBecause, type AbsenceVerdict } from '../model/evidence/absence.js';
import type { ResourceGraph } from '../model/graph.js';
import { referenceKindKey } from '../model/graph.js';
import {
  containerWithoutRequest,
  judgeMissingScaleTarget,
  readAutoscaler,
  SCALABLE_BUILTIN_KINDS,
  UNSCALABLE_BUILTIN_KINDS,
} from '../model/references/autoscaling.js';
import { locationOf } from '../model/evidence/hints.js';
import { apiGroup, isBuiltinGroup, resourceLabel, type Resource } from '../model/objects/resource.js';
import { templateLabel } from '../model/pods/pod-template.js';

export const hpaTarget = createRule({
  name: 'hpa-target',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    docs: { description: 'Require every HorizontalPodAutoscaler to target a scalable workload it can measure, with a valid replica range' },
    messages: {
      targetNotFound:
        'HorizontalPodAutoscaler "{{name}}" scales {{kind}} "{{target}}", which does not exist in namespace "{{namespace}}": the HPA reports FailedGetScale and never scales anything.{{hint}}',
      notScalable:
        'HorizontalPodAutoscaler "{{name}}" targets a {{kind}}, which cannot be scaled: {{reason}}. The HPA reports FailedGetScale. Target a Deployment, StatefulSet or ReplicaSet (or a custom resource with a scale subresource, such as an Argo Rollout).',
      maxReplicasBelowOne: 'maxReplicas is {{max}}, but it must be at least 1: the API server rejects the HorizontalPodAutoscaler.',
      maxBelowMin:
        'maxReplicas ({{max}}) is below minReplicas ({{min}}): the API server rejects the HorizontalPodAutoscaler ("must be greater than or equal to `minReplicas`"). Raise maxReplicas or lower minReplicas.',
      scaleToZero:
        'minReplicas: 0 is only accepted when the HPAScaleToZero feature gate (alpha, off by default) is enabled on the API server; otherwise the HorizontalPodAutoscaler is rejected ("must be greater than or equal to 1").{{extra}}',
      missingRequests:
        'The HPA scales {{target}} on {{metric}}, but container "{{container}}" of {{template}} has no {{resource}} request: utilization is a percentage of the request, so the HPA cannot compute it ("missing request for {{resource}}") and never scales. Set resources.requests.{{resource}} on {{which}}, or use an AverageValue target.',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const { graph } = context;
    return {
      HorizontalPodAutoscaler(hpa) {
        const spec = readAutoscaler(hpa);
        const base = { name: hpa.name, namespace: hpa.namespace };

        if (spec.maxReplicas !== undefined && spec.maxReplicas < 1) {
          context.report({
            resource: hpa,
            path: ['spec', 'maxReplicas'],
            messageId: 'maxReplicasBelowOne',
            data: { max: spec.maxReplicas },
          });
        } else if (spec.maxReplicas !== undefined && spec.minReplicas !== undefined && spec.maxReplicas < spec.minReplicas) {
          context.report({
            resource: hpa,
            path: ['spec', 'maxReplicas'],
            messageId: 'maxBelowMin',
            data: { max: spec.maxReplicas, min: spec.minReplicas },
          });
        }
        if (spec.minReplicas === 0) {
          const extra = spec.hasObjectOrExternalMetric
            ? ''
            : ' Even with the gate, scaling to zero needs at least one Object or External metric, and this HPA has none.';
          context.report({ resource: hpa, path: ['spec', 'minReplicas'], messageId: 'scaleToZero', severity: 'warn', data: { extra } });
        }

        if (!spec.target) return;
        const { apiVersion, kind, name } = spec.target;
        const builtin = isBuiltinGroup(apiGroup(apiVersion));
        if (builtin && !SCALABLE_BUILTIN_KINDS.has(kind)) {
          const reason = UNSCALABLE_BUILTIN_KINDS.get(kind);
          // An unknown kind in a built-in group (a Rollout with no apiVersion) is left to the API server.
          if (reason)
            context.report({
              resource: hpa,
              path: ['spec', 'scaleTargetRef', 'kind'],
              messageId: 'notScalable',
              data: { ...base, kind, reason },
            });
          return;
        }

        const target = graph.findReferencedBy(hpa, referenceKindKey(apiVersion, kind), hpa.namespace, name);
        if (!target) {
          const kindKey = referenceKindKey(apiVersion, kind);
          // A custom kind the input has no object of: its CRD and objects live elsewhere.
          if (!builtin && graph.ofKind(kindKey).length === 0) return;
          const verdict = judgeMissingScaleTarget(graph, hpa, spec.target);
          if (verdict.kind === 'unsure' && verdict.reason.kind === 'placeholder-names') return;
          context.report({
            resource: hpa,
            path: ['spec', 'scaleTargetRef', 'name'],
            messageId: 'targetNotFound',
            ...(verdict.kind === 'unsure' ? { severity: 'warn' as const } : {}),
            data: { ...base, kind, target: name, hint: targetHint(graph, hpa, verdict, hpa.namespace) },
            related: relatedOf(verdict),
          });
          return;
        }

        for (const template of graph.podTemplatesOf(target)) {
          for (const metric of spec.utilizationMetrics) {
            const container = containerWithoutRequest(graph, template, metric);
            if (!container) continue;
            context.report({
              resource: hpa,
              path: metric.path,
              messageId: 'missingRequests',
              severity: 'warn',
              data: {
                target: resourceLabel(target),
                metric: metric.description,
                container: container.name,
                template: templateLabel(template),
                resource: metric.resource,
                which: metric.container === undefined ? 'every container' : `container "${metric.container}"`,
              },
              related: [{ resource: target, path: [...container.path, 'resources'], message: `container "${container.name}" resources` }],
            });
          }
        }
      },
    };
  },
});

function targetHint(graph: ResourceGraph, hpa: Resource, verdict: AbsenceVerdict, namespace: string): string {
  if (verdict.kind === 'mistake') {
    const { evidence } = verdict;
    const { candidate } = evidence;
    const where = locationOf(candidate, ['metadata', 'name']);
    if (evidence.kind === 'other-kind') return ` ${resourceLabel(candidate)} exists (${where}): did you mean kind: ${candidate.kind}?`;
    if (evidence.kind === 'other-namespace') {
      return ` ${resourceLabel(candidate, true)} exists (${where}) and is applied with this HPA, but an HPA only scales resources in its own namespace ("${namespace}").`;
    }
    return ` Did you mean ${resourceLabel(candidate)} (${where})? ${evidence.why}.`;
  }
  let hint = '';
  if (verdict.similar)
    hint += ` ${resourceLabel(verdict.similar)} (${locationOf(verdict.similar, ['metadata', 'name'])}) has a similar name; if it is the one meant, fix the name.`;
  if (verdict.elsewhere) {
    hint += ` ${resourceLabel(verdict.elsewhere, true)} exists (${locationOf(verdict.elsewhere, ['metadata', 'name'])}), but an HPA only scales resources in its own namespace ("${namespace}").`;
  }
  return `${hint} This is a warning, not an error, because ${unsureBecause(graph, verdict, hpa, 'the target', 'the HPA')}. Lint the HPA together with its target to check it.`;
}

function relatedOf(verdict: AbsenceVerdict): RelatedLocation[] {
  if (verdict.kind === 'mistake')
    return [{ resource: verdict.evidence.candidate, path: ['metadata', 'name'], message: resourceLabel(verdict.evidence.candidate, true) }];
  return [verdict.similar, verdict.elsewhere]
    .filter((r): r is Resource => r !== undefined)
    .map((r) => ({ resource: r, path: ['metadata', 'name'], message: resourceLabel(r, true) }));
}
