import { createRule, type RelatedLocation } from '../api/authoring.js';
import { locateField, resourceLabel, type Resource } from '../model/objects/resource.js';
import { formatLabel, formatSelector } from '../model/pods/selector.js';
import { governingService, podDnsName, SERVICE_NAME_PATH, type LabelMismatch } from '../model/services/statefulset.js';
import { asString, getIn } from '../model/objects/values.js';

export const statefulsetServiceName = createRule({
  name: 'statefulset-service-name',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    docs: { description: 'Require every StatefulSet to name a headless Service that selects its pods in spec.serviceName' },
    messages: {
      unset:
        'StatefulSet "{{name}}" has no spec.serviceName, so its pods get no stable DNS names ({{example}}) and peers cannot find each other by name. Set spec.serviceName to a headless Service (clusterIP: None) that selects these pods. serviceName is optional since Kubernetes 1.33: if nothing resolves these pods by name, ignore this.',
      invalidName:
        'spec.serviceName "{{service}}" is not a valid DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters). It becomes every pod\'s spec.subdomain: Kubernetes 1.33+ rejects the StatefulSet, older clusters accept it and then fail to create every pod.',
      serviceNotFound:
        'spec.serviceName is "{{service}}", but there is no Service "{{service}}" in namespace "{{namespace}}", so the per-pod DNS names ({{example}}) never resolve.{{hint}}',
      serviceNotInInput:
        'spec.serviceName is "{{service}}", but the input defines no Service in namespace "{{namespace}}", so kubewire cannot check that the per-pod DNS names ({{example}}) will resolve. If the Service comes from elsewhere (another repository, a chart dependency), make sure it is headless and selects these pods; otherwise add it.{{hint}}',
      notHeadless:
        'spec.serviceName "{{service}}" names a Service that is not headless ({{why}}). The Kubernetes DNS specification defines per-pod names such as {{example}} only for headless Services: CoreDNS answers them anyway, other cluster DNS servers may not, and "{{service}}" itself resolves to one virtual IP that spreads connections over all pods instead of to each pod.{{hint}}',
      selectsOtherPods:
        'Headless Service "{{service}}" (spec.serviceName) does not select the pods of StatefulSet "{{name}}": its selector {{selector}} does not match the pod template labels{{detail}}. It gets no endpoints for these pods, so their per-pod DNS names ({{example}}) never resolve. Make the Service selector match the pod template labels.',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const { graph } = context;
    return {
      StatefulSet(resource) {
        const governing = governingService(graph, resource);
        const name = resource.name || '(unnamed)';
        switch (governing.kind) {
          case 'ok':
          case 'not-a-string': // resource-shape's concern: the API server rejects a non-string.
            return;
          case 'unset':
            context.report({
              resource,
              path: SERVICE_NAME_PATH,
              messageId: 'unset',
              severity: 'warn',
              data: { name, example: podDnsName(resource, '<service>') },
            });
            return;
          case 'invalid-name':
            context.report({ resource, path: SERVICE_NAME_PATH, messageId: 'invalidName', data: { service: governing.name } });
            return;
          case 'missing': {
            const data = { service: governing.name, namespace: resource.namespace, example: podDnsName(resource, governing.name) };
            const { verdict } = governing;
            const related: RelatedLocation[] = [];
            let hint = '';
            const meant =
              governing.governing ??
              (verdict.kind === 'mistake' && verdict.evidence.kind === 'meant' ? verdict.evidence.candidate : undefined);
            if (meant) {
              hint += ` Did you mean "${meant.name}" (${where(meant, ['metadata', 'name'])})? It is headless and selects these pods.`;
              related.push({ resource: meant, path: ['metadata', 'name'], message: `Service "${meant.name}"` });
            }
            const other =
              verdict.kind === 'mistake' && verdict.evidence.kind === 'other-namespace'
                ? verdict.evidence.candidate
                : verdict.kind === 'unsure'
                  ? verdict.elsewhere
                  : undefined;
            if (other) {
              hint += ` A Service "${other.name}" exists in namespace "${other.namespace}" (${where(other, ['metadata', 'name'])}), but the governing Service must be in the StatefulSet's namespace: set metadata.namespace on the StatefulSet (or, if you apply it with \`kubectl apply -n ${other.namespace}\`, ignore this).`;
              related.push({
                resource: other,
                path: ['metadata', 'namespace'],
                message: `Service "${other.name}" in namespace "${other.namespace}"`,
              });
            }
            if (verdict.kind === 'unsure' && verdict.reason.kind === 'placeholder-names') return;
            if (verdict.kind === 'unsure' && verdict.reason.kind === 'none-in-namespace' && !meant) {
              context.report({
                resource,
                path: SERVICE_NAME_PATH,
                messageId: 'serviceNotInInput',
                severity: 'warn',
                data: { ...data, hint },
                related,
              });
              return;
            }
            // An error only with evidence that per-pod DNS was wanted and the name is wrong: a headless Service that
            // selects these pods under another name, or the name in another namespace applied together. Without it,
            // the StatefulSet may use serviceName only because old API versions listed it as required (Argo CD's
            // application controller, CSI controllers): the pods run, and nothing resolves them by name.
            const sure = meant !== undefined || verdict.kind === 'mistake';
            if (!sure && verdict.kind === 'unsure' && verdict.similar) {
              const similar = verdict.similar;
              hint += ` Service "${similar.name}" (${where(similar, ['metadata', 'name'])}) has a close name, but ${graph.service(similar).headless ? 'does not select these pods' : 'is not headless'}.`;
              related.push({ resource: similar, path: ['metadata', 'name'], message: `Service "${similar.name}"` });
            }
            if (!sure)
              hint +=
                ' If these pods are resolved by name, add a headless Service (clusterIP: None) of that name that selects them; if not, drop spec.serviceName (optional since Kubernetes 1.33).';
            context.report({
              resource,
              path: SERVICE_NAME_PATH,
              messageId: 'serviceNotFound',
              data: { ...data, hint },
              related,
              ...(sure ? {} : { severity: 'warn' as const }),
            });
            return;
          }
          case 'not-headless': {
            const service = graph.service(governing.service);
            const clusterIP = asString(getIn(governing.service.object, ['spec', 'clusterIP']));
            const why =
              service.type === 'ExternalName'
                ? 'type ExternalName, a DNS alias'
                : clusterIP
                  ? `clusterIP: ${clusterIP}`
                  : `type ${service.type} without clusterIP: None, so it gets a virtual IP`;
            const related: RelatedLocation[] = [
              {
                resource: governing.service,
                path: clusterIP ? ['spec', 'clusterIP'] : ['spec'],
                message: `Service "${governing.name}" is not headless`,
              },
            ];
            let hint: string;
            if (governing.headlessAlternative) {
              const alternative = governing.headlessAlternative;
              hint = ` Service "${alternative.name}" (${where(alternative, ['metadata', 'name'])}) is headless and selects these pods: did you mean serviceName: ${alternative.name}? (serviceName cannot be changed on an existing StatefulSet: delete it with --cascade=orphan and recreate it.)`;
              related.push({ resource: alternative, path: ['metadata', 'name'], message: `headless Service "${alternative.name}"` });
            } else {
              hint = ` Add a headless Service (clusterIP: None) for the StatefulSet and name it in spec.serviceName, or set clusterIP: None on "${governing.name}" (clusterIP cannot be changed on an existing Service: delete and recreate it).`;
            }
            context.report({
              resource,
              path: SERVICE_NAME_PATH,
              messageId: 'notHeadless',
              // A warning: CoreDNS resolves <pod>.<service> for any Service with endpoints, so this works on
              // most clusters; only the DNS specification (and kube-dns) limit it to headless Services.
              severity: 'warn',
              data: { service: governing.name, name, why, example: podDnsName(resource, governing.name), hint },
              related,
            });
            return;
          }
          case 'selects-other-pods': {
            const selector = graph.service(governing.service).selector;
            const mismatch = governing.mismatch;
            const templatePath = graph.podTemplatesOf(resource)[0]?.path ?? ['spec', 'template'];
            context.report({
              resource,
              path: SERVICE_NAME_PATH,
              messageId: 'selectsOtherPods',
              data: {
                service: governing.name,
                name,
                selector: selector ? formatSelector(selector) : '(none)',
                detail: mismatch ? describeMismatch(mismatch) : '',
                example: podDnsName(resource, governing.name),
              },
              related: [
                {
                  resource: governing.service,
                  path: mismatch ? ['spec', 'selector', mismatch.requirement.key] : ['spec', 'selector'],
                  message: `selector of Service "${governing.name}"`,
                },
                { resource, path: [...templatePath, 'metadata', 'labels'], message: `pod template labels of ${resourceLabel(resource)}` },
              ],
            });
          }
        }
      },
    };
  },
});

function describeMismatch(mismatch: LabelMismatch): string {
  const { key, values } = mismatch.requirement;
  const wanted = values[0] ?? '';
  return mismatch.templateValue === undefined
    ? ` (the pods have no label \`${key}\`, the Service wants \`${formatLabel(key, wanted)}\`)`
    : ` (the pods have \`${formatLabel(key, mismatch.templateValue)}\`, the Service wants \`${formatLabel(key, wanted)}\`)`;
}

function where(resource: Resource, path: readonly (string | number)[]): string {
  const located = locateField(resource, path);
  return `${located.file}:${located.range.line}`;
}
