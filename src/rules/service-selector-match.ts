import { createRule } from '../api/authoring.js';
import { selectorMissIsMistake } from '../model/evidence/absence.js';
import { statefulSetsGovernedBy } from '../model/services/statefulset.js';
import { closestPodTemplate } from '../model/evidence/near-miss.js';
import { locateField, resourceLabel } from '../model/objects/resource.js';
import { formatSelector } from '../model/pods/selector.js';

export const serviceSelectorMatch = createRule({
  name: 'service-selector-match',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    docs: { description: 'Require every Service selector to select the pods of at least one workload' },
    messages: {
      noMatch:
        'Service "{{name}}" selects no pods: no workload in namespace "{{namespace}}" runs pods labelled {{selector}}, so the Service gets no endpoints and every connection to it fails.{{hint}}',
      noMatchNearby:
        'Service "{{name}}" selects {{selector}}, and no workload in the input runs such pods in namespace "{{namespace}}".{{hint}} This is a warning, not an error, because nothing in the input shows that the selector is wrong: the pods may come from a Helm release, an operator or another repository. If they do not, the Service gets no endpoints and every connection to it fails.',
      noWorkloadsInNamespace:
        'Service "{{name}}" selects {{selector}}, but the input has no workloads in namespace "{{namespace}}", so kubewire cannot check that anything will back it. Lint the Service together with its workloads.',
      operatorManaged:
        'No pod template in the input has the labels {{selector}}; the pods are probably created by an operator from {{operator}} ({{where}}), so kubewire cannot check them. Make sure the operator labels its pods this way.',
      operatorMayManage:
        'No workload in namespace "{{namespace}}" runs pods labelled {{selector}}, and none comes close. The namespace has custom resources ({{operators}}) whose operators may create such pods, which kubewire cannot see. If no operator creates them, the Service gets no endpoints: fix the selector.',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const { graph } = context;
    return {
      Service(resource) {
        const service = graph.service(resource);
        if (service.type === 'ExternalName' || !service.selector) return;
        const endpoints = graph.endpointsOf(resource);
        // Pods in the input, or pods the configuration says other systems create (externalPods).
        if (endpoints.selected.length > 0 || endpoints.external) return;
        // A headless Service that a StatefulSet names as its governing Service was written for that StatefulSet's
        // pods: statefulset-service-name reports the mismatch, with the label that differs (one mistake, one
        // finding).
        if (service.headless && statefulSetsGovernedBy(graph, resource).length > 0) return;
        const data = { name: resource.name, namespace: resource.namespace, selector: formatSelector(service.selector) };
        const path = ['spec', 'selector'];

        const operatorResource = endpoints.operatorResource;
        if (operatorResource) {
          const where = locateField(operatorResource, []);
          context.report({
            resource,
            path,
            messageId: 'operatorManaged',
            severity: 'warn',
            data: { ...data, operator: resourceLabel(operatorResource), where: `${where.file}:${where.range.line}` },
            related: [
              {
                resource: operatorResource,
                path: ['metadata', 'name'],
                message: `${resourceLabel(operatorResource)} is managed by an operator`,
              },
            ],
          });
          return;
        }
        const near = closestPodTemplate(graph, service.selector, resource.namespace, resource);
        if (!near && graph.podTemplatesIn(resource.namespace).length === 0) {
          context.report({ resource, path, messageId: 'noWorkloadsInNamespace', severity: 'warn', data });
          return;
        }
        // Nothing in the input comes close, but an operator in the namespace may create pods we cannot see
        // (Rook's CephCluster runs its mgr and gateway pods under labels of its own): a warning, not an error.
        const operators = near ? [] : graph.podCreatingCustomResourcesIn(resource.namespace);
        if (operators.length > 0) {
          const shown = operators
            .slice(0, 3)
            .map((r) => resourceLabel(r))
            .join(', ');
          context.report({
            resource,
            path,
            messageId: 'operatorMayManage',
            severity: 'warn',
            data: { ...data, operators: operators.length > 3 ? `${shown}, ...` : shown },
            related: operators
              .slice(0, 3)
              .map((r) => ({ resource: r, path: ['metadata', 'name'], message: `${resourceLabel(r)} may create pods` })),
          });
          return;
        }
        // An error only when the input shows the Service was written for these pods: a near miss whose difference
        // is itself a mistake, in the Service's part of the tree (evidence/absence.ts). A resemblance, a template
        // in another app's folder, or nothing close: the pods may come from a chart, an operator or another
        // repository, so it is a warning that says so.
        const sure = near !== undefined && selectorMissIsMistake(graph, resource, near);
        context.report({
          resource,
          // Point at the label that differs when one does: that is the line to fix.
          path: near?.selectorKey !== undefined ? [...path, near.selectorKey] : path,
          messageId: sure ? 'noMatch' : 'noMatchNearby',
          ...(sure ? {} : { severity: 'warn' as const }),
          data: {
            ...data,
            hint: near?.hint ?? '',
          },
          related: near ? [{ resource: near.template.owner, path: near.path, message: 'closest pod template' }] : [],
        });
      },
    };
  },
});
