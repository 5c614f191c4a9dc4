import { createRule } from '../api/authoring.js';
import { formatBackendPort, ingressServiceBackends, judgeMissingBackendService, matchBackendPort } from '../model/references/ingress.js';
import { unsureBecause } from '../model/evidence/absence.js';
import { locationOf } from '../model/evidence/hints.js';
import { resourceLabel, type Resource } from '../model/objects/resource.js';
import { servicePortLabel } from '../model/services/service.js';

export const ingressBackend = createRule({
  name: 'ingress-backend',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    docs: { description: 'Require every Ingress backend to name a Service and a Service port that exist in its namespace' },
    messages: {
      serviceNotFound:
        'Ingress "{{name}}" sends {{route}} to Service "{{service}}", which does not exist in namespace "{{namespace}}": the controller answers 503 (or 404) for this route.{{hint}}',
      serviceFromOperator:
        'Ingress "{{name}}" sends {{route}} to Service "{{service}}", which is not in the input; it is probably created by the operator of {{operator}} ({{where}}), so kubewire cannot check it. Make sure the operator names its Service this way and serves this port.',
      serviceNotInInput:
        'Ingress "{{name}}" sends {{route}} to Service "{{service}}", which the input does not define.{{hint}} This is a warning, not an error, because {{why}}. If the Service does not exist when the Ingress is applied, the controller answers 503 (or 404) for this route.',
      servicesNotInInput:
        'Ingress "{{name}}" sends {{route}} to Service "{{service}}", but the input has no Services in namespace "{{namespace}}", so kubewire cannot check its backends. Lint the Ingress together with its Services.',
      serviceNotNearby:
        'Ingress "{{name}}" sends {{route}} to Service "{{service}}", which is not in the input; no Service of namespace "{{namespace}}" is defined near the Ingress (its folder, the folders above or below it, its kustomize build), so it is probably applied with another app and kubewire cannot check it. Lint the Ingress together with its Services.',
      portNotFound:
        'Service "{{service}}" has no port {{port}}, so the controller has no upstream for {{route}} and answers 503. Its ports are {{ports}}; {{field}} must name one of them.',
      targetPortNotServicePort:
        '{{port}} is the targetPort of Service/{{service}} port {{servicePort}}, not one of its ports. The Ingress API names Service ports: use port.number: {{servicePortNumber}}{{byName}}. ingress-nginx tolerates this, other controllers answer 503.',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const { graph } = context;
    return {
      Ingress(ingress) {
        let reportedUncheckable = false;
        for (const backend of ingressServiceBackends(ingress)) {
          const data = { name: ingress.name, namespace: ingress.namespace, route: backend.route, service: backend.serviceName };
          const serviceResource = graph.findReferencedBy(ingress, 'Service', ingress.namespace, backend.serviceName);
          if (!serviceResource) {
            const verdict = judgeMissingBackendService(graph, ingress, backend);
            if (verdict.kind === 'mistake') {
              const { evidence } = verdict;
              const hint =
                evidence.kind === 'other-namespace'
                  ? ` ${resourceLabel(evidence.candidate, true)} exists (${locationOf(evidence.candidate, ['metadata', 'name'])}) and is applied with this Ingress, but an Ingress only routes to Services in its own namespace ("${ingress.namespace}"): move one of them, or add an ExternalName Service in "${ingress.namespace}" that points to ${evidence.candidate.name}.${evidence.candidate.namespace}.svc.`
                  : ` Did you mean Service "${evidence.candidate.name}" (${locationOf(evidence.candidate, ['metadata', 'name'])})? ${evidence.kind === 'meant' ? `${evidence.why}.` : ''}`;
              context.report({
                resource: ingress,
                path: backend.serviceNamePath,
                messageId: 'serviceNotFound',
                data: { ...data, hint: hint.trimEnd() },
                related: [
                  {
                    resource: evidence.candidate,
                    path: ['metadata', 'name'],
                    message:
                      evidence.kind === 'other-namespace'
                        ? `Service "${evidence.candidate.name}" in namespace "${evidence.candidate.namespace}"`
                        : 'the Service this backend probably means',
                  },
                ],
              });
              continue;
            }
            const { reason } = verdict;
            if (reason.kind === 'placeholder-names') continue;
            if (reason.kind === 'operator') {
              // Operators create Services named after their custom resource (ECK `<name>-es-http`, CloudNativePG
              // `<name>-rw`): what the operator creates cannot be checked, so this is a warning, not an error.
              const operator = reason.operator;
              context.report({
                resource: ingress,
                path: backend.serviceNamePath,
                messageId: 'serviceFromOperator',
                severity: 'warn',
                data: { ...data, operator: resourceLabel(operator), where: locationOf(operator, ['metadata', 'name']) },
                related: [
                  { resource: operator, path: ['metadata', 'name'], message: `${resourceLabel(operator)} is managed by an operator` },
                ],
              });
              continue;
            }
            if (reason.kind === 'none-in-namespace' || reason.kind === 'not-with-referrer') {
              // Once per Ingress: every backend has the same cause.
              if (!reportedUncheckable) {
                const messageId = reason.kind === 'none-in-namespace' ? 'servicesNotInInput' : 'serviceNotNearby';
                context.report({ resource: ingress, path: backend.serviceNamePath, messageId, severity: 'warn', data });
              }
              reportedUncheckable = true;
              continue;
            }
            context.report({
              resource: ingress,
              path: backend.serviceNamePath,
              messageId: 'serviceNotInInput',
              severity: 'warn',
              data: {
                ...data,
                hint: unsureHint(verdict.similar, verdict.elsewhere, ingress.namespace),
                why: unsureBecause(graph, verdict, ingress, 'the Service', 'the Ingress'),
              },
              related: [
                ...(verdict.similar
                  ? [{ resource: verdict.similar, path: ['metadata', 'name'], message: 'Service with a similar name' }]
                  : []),
                ...(verdict.elsewhere
                  ? [
                      {
                        resource: verdict.elsewhere,
                        path: ['metadata', 'name'],
                        message: `Service "${verdict.elsewhere.name}" in namespace "${verdict.elsewhere.namespace}"`,
                      },
                    ]
                  : []),
              ],
            });
            continue;
          }
          const service = graph.service(serviceResource);
          // ExternalName Services are valid backends for most controllers; their ports are not checked.
          if (service.type === 'ExternalName' || !backend.port) continue;
          const match = matchBackendPort(service, backend.port);
          if (match.kind === 'port') continue;
          const field =
            backend.portPath[backend.portPath.length - 1] === 'servicePort'
              ? 'servicePort'
              : backend.port.kind === 'number'
                ? 'port.number'
                : 'port.name';
          if (match.kind === 'targetPort') {
            context.report({
              resource: ingress,
              path: backend.portPath,
              messageId: 'targetPortNotServicePort',
              severity: 'warn',
              data: {
                ...data,
                port: formatBackendPort(backend.port),
                servicePort: servicePortLabel(match.port),
                servicePortNumber: match.port.port ?? '?',
                byName: match.port.name ? ` or port.name: ${match.port.name}` : '',
              },
              related: [{ resource: serviceResource, path: match.port.path, message: `Service port ${servicePortLabel(match.port)}` }],
            });
            continue;
          }
          context.report({
            resource: ingress,
            path: backend.portPath,
            messageId: 'portNotFound',
            data: {
              ...data,
              port: formatBackendPort(backend.port),
              ports: service.ports.length > 0 ? service.ports.map(servicePortLabel).join(', ') : 'none',
              field,
            },
            related: [{ resource: serviceResource, path: ['spec', 'ports'], message: `ports of Service "${serviceResource.name}"` }],
          });
        }
      },
    };
  },
});

function unsureHint(similar: Resource | undefined, elsewhere: Resource | undefined, namespace: string): string {
  let hint = '';
  if (similar)
    hint += ` Service "${similar.name}" (${locationOf(similar, ['metadata', 'name'])}) has a similar name; if it is the one meant, fix the name.`;
  if (elsewhere) {
    hint += ` ${resourceLabel(elsewhere, true)} exists (${locationOf(elsewhere, ['metadata', 'name'])}), but an Ingress only routes to Services in its own namespace ("${namespace}").`;
  }
  return hint;
}
