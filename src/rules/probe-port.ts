import { createRule, type RelatedLocation, type Path } from '../api/authoring.js';
import {
  closestPortName,
  containerPortByName,
  containerPortLabel,
  isQuotedNumber,
  nonTcpProbeTarget,
  portNumberLabel,
} from '../model/pods/container-ports.js';
import { templateLabel, type Container, type PodTemplate } from '../model/pods/pod-template.js';
import { asObject } from '../model/objects/values.js';

type Action = 'httpGet' | 'tcpSocket' | 'grpc';

/** Where a container names a port for the kubelet to connect to, and what a port that never resolves does. */
const PORT_USERS: readonly {
  path: readonly string[];
  actions: readonly Action[];
  kind: 'probe' | 'hook';
  /** What happens when the port name never resolves (the kubelet discards an errored probe's result). */
  consequence: string;
  /** What happens when the connection is always refused (a failed probe counts). */
  failing: string;
}[] = [
  {
    path: ['readinessProbe'],
    actions: ['httpGet', 'tcpSocket', 'grpc'],
    kind: 'probe',
    consequence:
      'every probe errors and its result is discarded: the container never becomes Ready, and the pod never receives Service traffic.',
    failing: 'the probe always fails: the container never becomes Ready, and the pod never receives Service traffic.',
  },
  {
    path: ['livenessProbe'],
    actions: ['httpGet', 'tcpSocket', 'grpc'],
    kind: 'probe',
    consequence: 'every probe errors and its result is discarded: the liveness check never fails, so a hung container is never restarted.',
    failing: 'the probe always fails: the kubelet restarts the container every failureThreshold probes, and it ends in CrashLoopBackOff.',
  },
  {
    path: ['startupProbe'],
    actions: ['httpGet', 'tcpSocket', 'grpc'],
    kind: 'probe',
    consequence:
      'every probe errors and its result is discarded: the container never counts as started, its liveness and readiness probes never run, and the pod never becomes Ready.',
    failing: 'the probe always fails: the container never counts as started, and the kubelet restarts it every failureThreshold probes.',
  },
  {
    path: ['lifecycle', 'postStart'],
    actions: ['httpGet', 'tcpSocket'],
    kind: 'hook',
    consequence: 'the hook fails, and the kubelet kills the container (FailedPostStartHook) every time it starts.',
    failing: 'the hook fails, and the kubelet kills the container (FailedPostStartHook) every time it starts.',
  },
  {
    path: ['lifecycle', 'preStop'],
    actions: ['httpGet', 'tcpSocket'],
    kind: 'hook',
    consequence: 'the hook fails (FailedPreStopHook), and the container is stopped without its graceful-shutdown step.',
    failing: 'the hook fails (FailedPreStopHook), and the container is stopped without its graceful-shutdown step.',
  },
];

export const probePort = createRule({
  name: 'probe-port',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    docs: { description: 'Require every port name used by a probe or lifecycle hook to be declared by its own container, as a TCP port' },
    messages: {
      undeclaredName:
        '{{field}} uses the port name "{{name}}", but container "{{container}}" declares no port with that name. The kubelet resolves a {{kind}}\'s port name in its own container only, so {{consequence}}{{hint}}',
      quotedNumber:
        '{{field}} is "{{value}}", a quoted number. A string here is a port name, and a port name must contain a letter, so the API server rejects {{rejected}}. Write it without quotes: port: {{value}}.',
      nonTcpPortName:
        '{{field}} uses the port name "{{name}}", which container "{{container}}" declares as {{declared}}. The kubelet connects to a {{kind}}\'s port over TCP whatever protocol the port is declared with, and no container of the pod declares TCP port {{number}}, so {{consequence}} Point the {{kind}} at the TCP port the server answers health checks on, or use an exec probe if the server speaks only {{protocol}}.',
      nonTcpPortNumber:
        '{{field}} is port {{number}}, which container "{{container}}" declares only as {{declared}}. The kubelet connects to a {{kind}}\'s port over TCP, so unless the server also listens on TCP port {{number}} (undeclared), {{consequence}} (Only a warning: containerPort declarations are informational.) Point the {{kind}} at the TCP port the server answers health checks on, or declare {{number}}/TCP if it listens there too.',
      grpcPortNotNumber:
        '{{field}} is the string "{{value}}", but a gRPC probe takes a port number only, not a port name: the API server rejects {{rejected}}.{{hint}}',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    return {
      PodTemplate(template) {
        const rejected = template.builtinOwner ? templateLabel(template) : `the pods created from ${templateLabel(template)}`;
        for (const container of template.containers) {
          for (const user of PORT_USERS) {
            let handler: Record<string, unknown> | undefined = container.object;
            for (const key of user.path) handler = asObject(handler?.[key]);
            if (!handler) continue;
            for (const action of user.actions) {
              const value = asObject(handler[action])?.port;
              const path: Path = [...container.path, ...user.path, action, 'port'];
              const field = `${[...user.path, action, 'port'].join('.')}`;
              // A tcpSocket hook is never run (LifecycleHandler.tcpSocket: "NOT supported ... hooks will fail at
              // runtime"), so the protocol of its port does not matter.
              const connects = user.kind === 'probe' || action === 'httpGet';
              // A gRPC probe takes a number only, and a quoted number is rejected: both are reported below instead.
              const resolvable =
                typeof value === 'number' || (typeof value === 'string' && action !== 'grpc' && value !== '' && !isQuotedNumber(value));
              const nonTcp = connects && resolvable ? nonTcpProbeTarget(template, container, value) : undefined;
              if (nonTcp) {
                const data = {
                  field,
                  container: container.name,
                  kind: user.kind,
                  consequence: user.failing,
                  declared: containerPortLabel(nonTcp),
                  number: nonTcp.containerPort ?? '?',
                  protocol: nonTcp.protocol,
                };
                const relatedPort = [{ resource: template.owner, path: nonTcp.path, message: `declared ${portNumberLabel(nonTcp)}` }];
                // A number may well be served over TCP without a declaration; a name points at the declaration itself.
                if (typeof value === 'string') {
                  context.report({
                    resource: template.owner,
                    path,
                    messageId: 'nonTcpPortName',
                    data: { ...data, name: value },
                    related: relatedPort,
                    ...(template.builtinOwner ? {} : { severity: 'warn' as const }),
                  });
                } else {
                  context.report({
                    resource: template.owner,
                    path,
                    messageId: 'nonTcpPortNumber',
                    severity: 'warn',
                    data,
                    related: relatedPort,
                  });
                }
                continue;
              }
              if (typeof value !== 'string' || value === '') continue;
              if (action === 'grpc') {
                context.report({
                  resource: template.owner,
                  path,
                  messageId: 'grpcPortNotNumber',
                  data: { field, value, rejected, hint: grpcHint(container, value) },
                });
              } else if (isQuotedNumber(value)) {
                context.report({ resource: template.owner, path, messageId: 'quotedNumber', data: { field, value, rejected } });
              } else if (!containerPortByName(container, value)) {
                const { hint, related } = undeclaredHint(template, container, value);
                context.report({
                  resource: template.owner,
                  path,
                  messageId: 'undeclaredName',
                  data: { field, name: value, container: container.name, kind: user.kind, consequence: user.consequence, hint },
                  related,
                  // An operator may add ports to the containers of a custom resource's template when it creates the pods.
                  ...(template.builtinOwner ? {} : { severity: 'warn' as const }),
                });
              }
            }
          }
        }
      },
    };
  },
});

/** The likely fix for a port name the container does not declare, and where to look. */
function undeclaredHint(template: PodTemplate, container: Container, name: string): { hint: string; related: RelatedLocation[] } {
  const own: RelatedLocation = {
    resource: template.owner,
    path: container.ports.length > 0 ? [...container.path, 'ports'] : container.path,
    message: `ports of container "${container.name}"`,
  };
  for (const other of template.containers) {
    const port = other === container ? undefined : containerPortByName(other, name);
    if (port) {
      return {
        hint: ` Container "${other.name}" declares "${name}" (${portNumberLabel(port)}), but another container's port name does not count: write port: ${port.containerPort ?? '?'} (containers of a pod share its network), or declare the port on container "${container.name}".`,
        related: [own, { resource: template.owner, path: port.path, message: `"${name}" is declared by container "${other.name}"` }],
      };
    }
  }
  const near = closestPortName(name, container.ports);
  if (near) return { hint: ` Did you mean "${near.name}" (${portNumberLabel(near)})?`, related: [own] };
  if (container.ports.length === 1) {
    const only = container.ports[0]!;
    return {
      hint: ` The only port of container "${container.name}" is ${containerPortLabel(only)}: did you mean port: ${only.name ?? only.containerPort ?? '?'}?`,
      related: [own],
    };
  }
  if (container.ports.length === 0) {
    return {
      hint: ` Container "${container.name}" declares no ports: write the port number, or declare a port named "${name}".`,
      related: [own],
    };
  }
  const names = container.ports.filter((p) => p.name !== undefined).map((p) => `"${p.name}" (${portNumberLabel(p)})`);
  const hint =
    names.length > 0
      ? ` The named ports of container "${container.name}" are ${names.join(', ')}: use one of these names, or a port number.`
      : ` No port of container "${container.name}" has a name: use a port number.`;
  return { hint, related: [own] };
}

function grpcHint(container: Container, value: string): string {
  if (isQuotedNumber(value)) return ` Write it without quotes: port: ${value}.`;
  const port = containerPortByName(container, value);
  if (port?.containerPort !== undefined)
    return ` Container "${container.name}" declares "${value}" as ${portNumberLabel(port)}: write port: ${port.containerPort}.`;
  return ' Write the port number the gRPC health server listens on.';
}
