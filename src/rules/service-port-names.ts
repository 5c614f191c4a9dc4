import { createRule } from '../api/authoring.js';
import { ianaSvcNameProblem, isDns1123Label } from '../model/objects/names.js';
import { servicePortLabel, type ServicePort } from '../model/services/service.js';
import { getIn } from '../model/objects/values.js';

/** Protocols a Service port may use (validation.go supportedPortProtocols); case-sensitive. */
const SUPPORTED_PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

export const servicePortNames = createRule({
  name: 'service-port-names',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    docs: { description: 'Require Service ports to be named, unique, and valid as the API server checks them' },
    messages: {
      nameRequired:
        'Service "{{name}}" has {{count}} ports, so each needs a name, but spec.ports[{{index}}] ({{port}}) has none: the API server rejects the whole Service (Required spec.ports[{{index}}].name). Add a name such as "{{suggestion}}"; Ingresses, EndpointSlices and clients use it to tell the ports apart.',
      nameNotString:
        'Port name {{value}} is read as a {{kind}}, but a port name must be a string: the API server rejects the Service. Quote it: name: "{{value}}".',
      duplicateName:
        'Port name "{{portName}}" is already used by spec.ports[{{first}}]: the API server rejects the Service (Duplicate spec.ports[{{index}}].name). Give every port its own name.',
      invalidName:
        'Port name {{portName}} is not a DNS-1123 label ({{problem}}): the API server rejects the Service. Use at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit (e.g. "http", "grpc-web").',
      duplicatePort:
        'spec.ports[{{index}}] repeats {{port}} of spec.ports[{{first}}]: a Service may list each port and protocol once, so the API server rejects it (Duplicate spec.ports[{{index}}]). Remove the repeated entry or change its port.',
      invalidPort:
        'spec.ports[{{index}}].port {{problem}}: the API server rejects the Service. Set it to the port clients connect to, a number from 1 to 65535.',
      invalidProtocol:
        'Protocol {{protocol}} is not supported: a Service port must be TCP, UDP or SCTP (upper case), so the API server rejects the Service.{{hint}}',
      invalidTargetPort:
        'targetPort "{{value}}" is not a valid port name ({{problem}}): the API server rejects the Service. Use the number the container listens on, or the name of a containerPort (at most 15 lower-case letters, digits and "-", with at least one letter).',
      quotedTargetPort:
        'targetPort "{{value}}" is quoted, so it is sent as a port name, not the number {{value}}, and a port name must contain a letter: the API server rejects the Service. Write it without quotes: targetPort: {{value}}.',
      targetPortOutOfRange:
        'targetPort {{value}} is outside 1-65535, so the API server rejects the Service. Use the port the container listens on.',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const { graph } = context;
    return {
      Service(resource) {
        const service = graph.service(resource);
        const ports = service.ports;
        // Headless and ExternalName Services validate their ports like any other (validateServicePort).
        const firstByName = new Map<string, number>();
        const firstByPortProtocol = new Map<string, number>();
        for (const port of ports) {
          const at = (field: string) => [...port.path, field];
          const rawName = getIn(resource.object, at('name'));
          const rawProtocol = getIn(resource.object, at('protocol'));
          const rawPort = getIn(resource.object, at('port'));

          if (port.name === undefined && (rawName === undefined || rawName === null || rawName === '')) {
            if (ports.length > 1) {
              context.report({
                resource,
                path: at('name'),
                messageId: 'nameRequired',
                data: {
                  name: resource.name,
                  count: ports.length,
                  index: port.index,
                  port: servicePortLabel(port),
                  suggestion: suggestName(port),
                },
              });
            }
          } else if (typeof rawName !== 'string') {
            context.report({
              resource,
              path: at('name'),
              messageId: 'nameNotString',
              data: { value: String(rawName), kind: typeof rawName },
            });
          } else {
            if (!isDns1123Label(rawName)) {
              context.report({
                resource,
                path: at('name'),
                messageId: 'invalidName',
                data: { portName: `"${rawName}"`, problem: dns1123LabelProblem(rawName) },
              });
            }
            const first = firstByName.get(rawName);
            if (first !== undefined) {
              context.report({
                resource,
                path: at('name'),
                messageId: 'duplicateName',
                data: { portName: rawName, first, index: port.index },
              });
            } else firstByName.set(rawName, port.index);
          }

          const portProblem = portNumberProblem(rawPort);
          if (portProblem)
            context.report({ resource, path: at('port'), messageId: 'invalidPort', data: { index: port.index, problem: portProblem } });

          if (
            rawProtocol !== undefined &&
            rawProtocol !== null &&
            rawProtocol !== '' &&
            !SUPPORTED_PROTOCOLS.includes(rawProtocol as string)
          ) {
            const upper = typeof rawProtocol === 'string' ? rawProtocol.toUpperCase() : '';
            context.report({
              resource,
              path: at('protocol'),
              messageId: 'invalidProtocol',
              data: {
                protocol: JSON.stringify(rawProtocol),
                hint: SUPPORTED_PROTOCOLS.includes(upper) ? ` Write "${upper}".` : '',
              },
            });
          }

          if (port.port !== undefined) {
            const key = `${port.port}/${port.protocol}`;
            const first = firstByPortProtocol.get(key);
            if (first !== undefined) {
              context.report({ resource, path: at('port'), messageId: 'duplicatePort', data: { index: port.index, port: key, first } });
            } else firstByPortProtocol.set(key, port.index);
          }

          reportTargetPort(port);
        }

        function reportTargetPort(port: ServicePort): void {
          // Only a written targetPort can be wrong: an absent, 0 or "" one defaults to port.
          if (!port.targetPortWritten) return;
          const path = [...port.path, 'targetPort'];
          const written = getIn(resource.object, path);
          if (typeof written === 'number') {
            if (!Number.isInteger(written) || written < 1 || written > 65535) {
              context.report({ resource, path, messageId: 'targetPortOutOfRange', data: { value: written } });
            }
            return;
          }
          if (typeof written !== 'string') return;
          if (/^\d+$/.test(written)) {
            context.report({ resource, path, messageId: 'quotedTargetPort', data: { value: written } });
            return;
          }
          const problem = ianaSvcNameProblem(written);
          if (problem) context.report({ resource, path, messageId: 'invalidTargetPort', data: { value: written, problem } });
        }
      },
    };
  },
});

/** Why a value is not a DNS-1123 label (k8s.io/apimachinery IsDNS1123Label), for messages. */
function dns1123LabelProblem(value: string): string {
  if (value.length > 63) return `it has ${value.length} characters, more than 63`;
  if (/[A-Z]/.test(value)) return 'it has upper-case letters';
  if (/^-|-$/.test(value)) return 'it starts or ends with "-"';
  return 'it may contain only lower-case letters, digits and "-"';
}

/** What is wrong with spec.ports[i].port, or undefined (IsValidPortNum: 1-65535; absent means 0). */
function portNumberProblem(value: unknown): string | undefined {
  if (value === undefined || value === null) return 'is missing';
  if (typeof value === 'string') return `is the string "${value}", not a number (write it without quotes)`;
  if (typeof value !== 'number' || !Number.isInteger(value)) return `is ${JSON.stringify(value)}, not a whole number`;
  if (value < 1 || value > 65535) return `is ${value}, outside 1-65535`;
  return undefined;
}

/** A name to suggest for an unnamed port: "<protocol>-<port>", unique because (port, protocol) must be. */
function suggestName(port: ServicePort): string {
  return `${port.protocol.toLowerCase()}-${port.port ?? 'port'}`;
}
