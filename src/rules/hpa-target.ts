import { createRule } from '../api/authoring.js';
import { inSameSubtree } from '../model/evidence/apply-scope.js';
import { referenceKindKey } from '../model/graph.js';
import { containerWithoutRequest, readAutoscaler, SCALABLE_BUILTIN_KINDS, UNSCALABLE_BUILTIN_KINDS } from '../model/references/autoscaling.js';
import { explainMissingReference, locationOf } from '../model/evidence/missing-reference.js';
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
          context.report({ resource: hpa, path: ['spec', 'maxReplicas'], messageId: 'maxReplicasBelowOne', data: { max: spec.maxReplicas } });
        } else if (spec.maxReplicas !== undefined && spec.minReplicas !== undefined && spec.maxReplicas < spec.minReplicas) {
          context.report({ resource: hpa, path: ['spec', 'maxReplicas'], messageId: 'maxBelowMin', data: { max: spec.maxReplicas, min: spec.minReplicas } });
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
          if (reason) context.report({ resource: hpa, path: ['spec', 'scaleTargetRef', 'kind'], messageId: 'notScalable', data: { ...base, kind, reason } });
          return;
        }

        const target = graph.findReferencedBy(hpa, referenceKindKey(apiVersion, kind), hpa.namespace, name);
        if (!target) {
          const kindKey = referenceKindKey(apiVersion, kind);
          // A custom kind the input has no object of: its CRD and objects live elsewhere.
          if (!builtin && graph.ofKind(kindKey).length === 0) return;
          const missing = explainMissingReference(graph, kindKey, hpa.namespace, name, hpa);
          const otherKind = builtin ? [...SCALABLE_BUILTIN_KINDS].map((k) => graph.find(k, hpa.namespace, name)).find((r) => r !== undefined) : undefined;
          const templates = graph.podTemplatesIn(hpa.namespace);
          const uncheckable = missing.inNamespace === 0 && !otherKind && templates.length === 0;
          // A whole repository of unrelated apps: workloads only in other folders, and nothing that suggests
          // the name is wrong (no close name, no other kind or namespace with it). The target is probably
          // applied with another app, so this is a warning.
          const notNearby =
            !uncheckable &&
            missing.nearby === 0 &&
            !missing.similar &&
            !otherKind &&
            missing.elsewhere.length === 0 &&
            !templates.some((t) => inSameSubtree(graph, hpa, t.owner));
          context.report({
            resource: hpa,
            path: ['spec', 'scaleTargetRef', 'name'],
            messageId: 'targetNotFound',
            ...(uncheckable || notNearby ? { severity: 'warn' as const } : {}),
            data: { ...base, kind, target: name, hint: targetHint(missing.similar, missing.elsewhere, otherKind, hpa.namespace, uncheckable, notNearby) },
            related: [missing.similar, otherKind, missing.elsewhere[0]]
              .filter((r): r is Resource => r !== undefined)
              .map((r) => ({ resource: r, path: ['metadata', 'name'], message: resourceLabel(r, true) })),
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

function targetHint(
  similar: Resource | undefined,
  elsewhere: readonly Resource[],
  otherKind: Resource | undefined,
  namespace: string,
  uncheckable: boolean,
  notNearby: boolean,
): string {
  if (uncheckable) return ` The input has no workloads in namespace "${namespace}", so kubewire cannot check the target: lint the HPA together with it.`;
  if (notNearby) {
    return ` No workload of namespace "${namespace}" is defined near the HPA (its folder, the folders above or below it, its kustomize build), so the target is probably applied with another app and kubewire cannot check it: lint the HPA together with it.`;
  }
  let hint = '';
  if (otherKind) hint += ` ${resourceLabel(otherKind)} exists (${locationOf(otherKind, ['metadata', 'name'])}): did you mean kind: ${otherKind.kind}?`;
  else if (similar) hint += ` Did you mean ${resourceLabel(similar)} (${locationOf(similar, ['metadata', 'name'])})?`;
  if (elsewhere.length > 0) {
    const first = elsewhere[0]!;
    hint += ` ${resourceLabel(first, true)} exists (${locationOf(first, ['metadata', 'name'])}), but an HPA only scales resources in its own namespace ("${namespace}").`;
  }
  return hint;
}
