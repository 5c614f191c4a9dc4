import { createRule, formatPath } from '../api/authoring.js';
import { isQuotedNumber, repeatedPortDefinitions } from '../model/pods/container-ports.js';
import { ianaSvcNameProblem } from '../model/objects/names.js';
import { templateLabel, type Container, type PodTemplate } from '../model/pods/pod-template.js';
import { getIn } from '../model/objects/values.js';

export const containerPortNames = createRule({
  name: 'container-port-names',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    docs: { description: 'Require container ports to have valid, unique names and valid port numbers' },
    messages: {
      invalidName:
        'Port name "{{name}}" of container "{{container}}" is not a valid port name (IANA_SVC_NAME): it {{problem}}. The API server rejects {{rejected}}.{{hint}}',
      duplicateName:
        'Container "{{container}}" declares the port name "{{name}}" twice (first at {{first}}). Port names must be unique within a container, and the API server rejects {{rejected}}. Rename one, and check which one Services and probes that use "{{name}}" should reach.',
      repeatedPort:
        'Port {{port}} is declared again here ({{overlap}} port definition with {{previous}}); kubectl warns about it on every apply. {{consequence}}',
      invalidContainerPort:
        'containerPort {{problem}}, but it must be a whole number from 1 to 65535: the API server rejects {{rejected}}.{{hint}}',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    return {
      PodTemplate(template) {
        const rejected = rejectedObject(template);
        for (const container of template.containers) {
          // validateContainerPorts checks each container on its own: names are unique per container, not per pod.
          const firstByName = new Map<string, number>();
          container.ports.forEach((port, index) => {
            if (port.name !== undefined) {
              const problem = ianaSvcNameProblem(port.name);
              if (problem) {
                context.report({
                  resource: template.owner,
                  path: [...port.path, 'name'],
                  messageId: 'invalidName',
                  data: { name: port.name, container: container.name, problem, rejected, hint: nameHint(port.name) },
                });
              } else if (firstByName.has(port.name)) {
                context.report({
                  resource: template.owner,
                  path: [...port.path, 'name'],
                  messageId: 'duplicateName',
                  data: { name: port.name, container: container.name, first: `ports[${firstByName.get(port.name)}]`, rejected },
                });
              } else {
                firstByName.set(port.name, index);
              }
            }
            const value = getIn(template.owner.object, [...port.path, 'containerPort']);
            const problem = containerPortProblem(value);
            if (problem) {
              const hint = typeof value === 'string' && isQuotedNumber(value) ? ` Write it without quotes: containerPort: ${value}.` : '';
              context.report({
                resource: template.owner,
                path: [...port.path, 'containerPort'],
                messageId: 'invalidContainerPort',
                data: { problem, rejected, hint },
              });
            }
          });
        }
        for (const repeated of repeatedPortDefinitions(template)) {
          context.report({
            resource: template.owner,
            path: repeated.port.path,
            messageId: 'repeatedPort',
            severity: 'warn',
            data: {
              port: `${repeated.port.containerPort}/${repeated.port.protocol}`,
              overlap: repeated.overlap,
              previous: formatPath(repeated.previous.path),
              consequence: consequenceOf(repeated.container, repeated.previousContainer),
            },
            related: [{ resource: template.owner, path: repeated.previous.path, message: 'first declared here' }],
          });
        }
      },
    };
  },
});

/** What the API server refuses: the object itself for built-in kinds, the operator's pods for custom resources. */
function rejectedObject(template: PodTemplate): string {
  return template.builtinOwner ? templateLabel(template) : `the pods created from ${templateLabel(template)}`;
}

function nameHint(name: string): string {
  const lower = name.toLowerCase();
  if (lower !== name && ianaSvcNameProblem(lower) === undefined)
    return ` Did you mean "${lower}"? Update every targetPort and probe port that names it too.`;
  return ' Rename it, and every Service targetPort and probe port that refers to it.';
}

/** Why a containerPort value is invalid (validateContainerPorts: Required when 0, IsValidPortNum otherwise). */
function containerPortProblem(value: unknown): string | undefined {
  if (value === undefined || value === null) return 'is missing';
  if (typeof value === 'string') return `is the string "${value}"`;
  if (typeof value !== 'number' || !Number.isInteger(value)) return `is ${JSON.stringify(value)}`;
  if (value < 1 || value > 65535) return `is ${value}`;
  return undefined;
}

function consequenceOf(container: Container, previous: Container): string {
  if (container === previous) return `Declare it once in container "${container.name}".`;
  if (!runTogether(container, previous)) {
    return `It is harmless at runtime, since init container "${previous.name}" has exited before container "${container.name}" starts: drop the declaration that is not needed.`;
  }
  return `Containers "${previous.name}" and "${container.name}" share the pod's network namespace, so only one of them can listen on it: the other fails to bind. Give one of them another port.`;
}

/**
 * Whether two containers of a pod run at the same time. A plain init container runs alone, after the init
 * containers before it have finished, alongside only the sidecars (restartPolicy: Always) started before it.
 */
function runTogether(a: Container, b: Container): boolean {
  if (a.role !== 'init' && b.role !== 'init') return true;
  if (a.role === 'init' && b.role === 'init') return false;
  const [init, other] = a.role === 'init' ? [a, b] : [b, a];
  return other.role === 'sidecar' && initIndex(other) < initIndex(init);
}

function initIndex(container: Container): number {
  const index = container.path[container.path.length - 1];
  return typeof index === 'number' ? index : -1;
}
