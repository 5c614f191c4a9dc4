import { createRule, type RelatedLocation, type Path } from '../api/authoring.js';
import { folderDistance } from '../model/evidence/apply-scope.js';
import {
  closestPortName,
  containerPortByName,
  containerPortLabel,
  describePods,
  portNumberLabel,
  servingContainers,
} from '../model/pods/container-ports.js';
import type { Backend, PortEndpoints, UnresolvedBackend } from '../model/services/endpoints.js';
import { runsToCompletion, templateLabel, type Container, type ContainerPort, type PodTemplate } from '../model/pods/pod-template.js';
import { ianaSvcNameProblem } from '../model/objects/names.js';
import { srvRecordOf } from '../model/services/dns.js';
import { servicePortLabel, type ServicePort } from '../model/services/service.js';

export const serviceTargetPort = createRule({
  name: 'service-target-port',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    docs: { description: 'Require every Service targetPort to reach a declared container port on the pods the Service selects' },
    messages: {
      namedPortMissing:
        'Service port {{port}} targets the container port named "{{target}}", which does not resolve on {{unresolved}}. The EndpointSlice lists these pods without this port, so the Service has no endpoint for {{port}} and connections to it are refused.{{hint}}',
      namedPortPartial:
        'Service port {{port}} targets the container port named "{{target}}": it resolves on {{resolved}}, but not on {{unresolved}}. The EndpointSlice lists those pods without this port, so traffic to {{port}} only reaches {{resolved}}.{{hint}}',
      srvPortUndeclared:
        'Headless Service port {{port}} is named, so cluster DNS publishes the SRV records {{record}} with port {{target}} of each pod, but {{undeclared}}. Peers that find each other through SRV (StatefulSet clusters, gRPC and mesh resolvers) connect to port {{target}}, where nothing declared listens.{{hint}}',
      numericPortUndeclared:
        'Service port {{port}} sends traffic to port {{target}} of the pods, but {{undeclared}}. containerPort is informational, so traffic still goes to port {{target}}, but nothing declared listens there.{{hint}}',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const { graph } = context;
    return {
      Service(resource) {
        const endpoints = graph.endpointsOf(resource);
        // ExternalName Services have no endpoints; selectorless ones get hand-written endpoints with explicit ports.
        if (endpoints.mode !== 'selector' || endpoints.selected.length === 0) return;
        // Some of its pods are created elsewhere (externalPods): their ports are unknown, so no port can be judged.
        if (endpoints.external) return;
        for (const portEndpoints of endpoints.ports) {
          const { servicePort } = portEndpoints;
          const target = servicePort.targetPort;
          if (target === undefined) continue;
          // Report on targetPort when written; otherwise it defaults to port, and port is the line to fix.
          const path: Path = [...servicePort.path, servicePort.targetPortWritten ? 'targetPort' : 'port'];
          // A string that is no valid port name (`"6379"`, `PORT`) makes the API server reject the Service:
          // service-port-names says so; what it would resolve to is moot.
          if (typeof target === 'string' && ianaSvcNameProblem(target) !== undefined) continue;
          if (typeof target === 'string') {
            checkNamedPort(servicePort, target, portEndpoints, path);
          } else if (!endpoints.service.headless) {
            checkNumericPort(servicePort, target, portEndpoints.backends, path);
          } else {
            // Clients of a headless Service connect to pod IPs on ports of their choosing; the API server
            // tolerates targetPort != port there (validateServicePort), so an undeclared number says little.
            // Unless the port is named: then DNS publishes it in SRV records, and SRV clients use it.
            const srv = srvRecordOf(endpoints.service, servicePort);
            if (srv?.carries === 'endpoint-port') checkNumericPort(servicePort, target, portEndpoints.backends, path, srv.name);
          }
        }

        function checkNamedPort(servicePort: ServicePort, target: string, portEndpoints: PortEndpoints, path: Path): void {
          const backends = portEndpoints.backends;
          // When workloads serve the port, the others the selector also reaches are judged with care:
          // - batch pods that share their labels (a CronJob of the same app) simply get no traffic on it;
          // - workloads written farther away than the nearest one that serves it (another app or example of the
          //   same repository, never deployed with this Service) are not what the Service was written for.
          const nearestServing = Math.min(...backends.map((b) => folderDistance(resource, b.template.owner)));
          const unresolved =
            backends.length > 0
              ? portEndpoints.unresolved.filter(
                  (u) => !runsToCompletion(u.template) && folderDistance(resource, u.template.owner) <= nearestServing,
                )
              : portEndpoints.unresolved;
          if (unresolved.length === 0) return;
          const resolvedBy = backends.length > 0 ? backends.map((b) => templateLabel(b.template)).join(', ') : undefined;
          const hinted = unresolved
            .map((u) => namedPortHint(target, servicePort.protocol, u.template, resolvedBy))
            .find((h) => h.hint !== '');
          // An operator may add containers and ports to the pods of a custom resource's template.
          const operatorManaged = unresolved.every((u) => !u.template.builtinOwner);
          const operatorNote = operatorManaged
            ? ` (Only a warning: the operator of ${unresolved.map((u) => templateLabel(u.template)).join(', ')} may add this port to the pods it creates.)`
            : '';
          const data = {
            port: servicePortLabel(servicePort),
            target,
            unresolved: unresolved.map(describeUnresolved).join('; '),
            resolved: backends.map(workloadLabel).join(', '),
            hint: `${hinted?.hint ?? ''}${operatorNote}`,
          };
          context.report({
            resource,
            path,
            messageId: backends.length === 0 ? 'namedPortMissing' : 'namedPortPartial',
            data,
            related: unresolved.map((u) => portsLocation(u.template, hinted?.template === u.template ? hinted.container : undefined)),
            ...(operatorManaged ? { severity: 'warn' as const } : {}),
          });
        }

        function checkNumericPort(
          servicePort: ServicePort,
          target: number,
          backends: readonly Backend[],
          path: Path,
          srvRecord?: string,
        ): void {
          // As for named ports: with workloads that declare the port, batch pods and workloads farther away are not
          // what the Service was written for.
          const declaring = backends.filter((b) => b.declared);
          const nearestDeclaring = Math.min(...declaring.map((b) => folderDistance(resource, b.template.owner)));
          const undeclared = backends
            .filter(
              (b) =>
                !b.declared &&
                !(declaring.length > 0 && (runsToCompletion(b.template) || folderDistance(resource, b.template.owner) > nearestDeclaring)),
            )
            .map((b) => ({ backend: b, ports: servingContainers(b.template).flatMap((c) => c.ports) }))
            // A template that declares no port at all says nothing about where it listens: nothing to compare.
            .filter((u) => u.ports.length > 0);
          if (undeclared.length === 0) return;
          const described = undeclared
            .map((u) => `${workloadLabel(u.backend)} declares only ${u.ports.map(containerPortLabel).join(', ')}`)
            .join('; ');
          const others =
            declaring.length > 0 ? ` (${declaring.map(workloadLabel).join(', ')} declare${declaring.length === 1 ? 's' : ''} it)` : '';
          const first = undeclared[0]!;
          context.report({
            resource,
            path,
            messageId: srvRecord ? 'srvPortUndeclared' : 'numericPortUndeclared',
            severity: 'warn',
            data: {
              port: servicePortLabel(servicePort),
              record: srvRecord ?? '',
              target,
              undeclared: `${described}${others}`,
              hint: numericPortHint(
                target,
                servicePort.protocol,
                undeclared.flatMap((u) => u.ports),
                srvRecord ? servicePort.name : undefined,
              ),
            },
            related: [portsLocation(first.backend.template, undefined)],
          });
        }
      },
    };
  },
});

function workloadLabel(item: Backend | UnresolvedBackend): string {
  return `${templateLabel(item.template)} (${describePods(item.pods)})`;
}

function describeUnresolved(item: UnresolvedBackend): string {
  return `${workloadLabel(item)}: ${item.reason}`;
}

/** The fix for a named targetPort that does not resolve on a template, and the container it concerns. */
function namedPortHint(
  target: string,
  protocol: string,
  template: PodTemplate,
  resolvedBy: string | undefined,
): { hint: string; template: PodTemplate; container?: Container } {
  const serving = servingContainers(template);
  for (const container of serving) {
    const sameName = containerPortByName(container, target);
    if (sameName) {
      return {
        template,
        container,
        hint: ` Set protocol: ${sameName.protocol} on this Service port if the server speaks ${sameName.protocol}, or declare the container port with protocol ${protocol}: a named targetPort only matches a container port of the same name and protocol.`,
      };
    }
  }
  for (const container of template.containers.filter((c) => c.role === 'init')) {
    if (containerPortByName(container, target)) {
      return {
        template,
        container,
        hint: ` Declare the port on the container that listens on it, or give init container "${container.name}" restartPolicy: Always if it is a sidecar meant to keep running.`,
      };
    }
  }
  const candidates = serving.flatMap((c) => c.ports.filter((p) => p.protocol === protocol).map((p) => ({ container: c, port: p })));
  const near = closestPortName(
    target,
    candidates.map((c) => c.port),
  );
  const all = serving.flatMap((c) => c.ports.map((p) => ({ container: c, port: p })));
  const nearPort = near ? candidates.find((c) => c.port === near) : undefined;
  const suggested = nearPort ?? (all.length === 1 ? all[0] : undefined);
  if (!suggested) return { template, hint: '' };
  const { container, port } = suggested;
  const where = `${portNumberLabel(port)} on container "${container.name}"`;
  // When other workloads resolve the name, the Service is right and this workload's port name is the odd one out.
  if (resolvedBy) {
    const fix = port.name
      ? `rename port "${port.name}" (${portNumberLabel(port)}) of container "${container.name}" to "${target}"`
      : `name port ${containerPortLabel(port)} of container "${container.name}" "${target}"`;
    return { template, container, hint: ` In ${templateLabel(template)}, ${fix}, as in ${resolvedBy}.` };
  }
  if (nearPort) return { template, container, hint: ` Did you mean "${port.name}" (${where})?` };
  return {
    template,
    container,
    hint: ` The only container port of ${templateLabel(template)} is ${containerPortLabel(port)} on container "${container.name}": did you mean targetPort: ${port.name ?? port.containerPort ?? '?'}?`,
  };
}

/** `sameNameAs`: the Service port's name, when a container port of that name is the likely target (SRV records). */
function numericPortHint(target: number, protocol: string, ports: readonly ContainerPort[], sameNameAs?: string): string {
  const otherProtocol = ports.find((p) => p.containerPort === target && p.protocol !== protocol);
  if (otherProtocol) {
    return ` Port ${target} is declared with protocol ${otherProtocol.protocol}, not ${protocol}: check the protocol of this Service port.`;
  }
  const sameName =
    sameNameAs === undefined
      ? undefined
      : ports.find((p) => p.name === sameNameAs && p.protocol === protocol && p.containerPort !== undefined);
  if (sameName)
    return ` The pods declare "${sameNameAs}" as ${portNumberLabel(sameName)}: did you mean targetPort: ${sameName.containerPort} (or "${sameNameAs}")?`;
  const numbers = [...new Set(ports.filter((p) => p.protocol === protocol && p.containerPort !== undefined).map((p) => p.containerPort))];
  if (numbers.length === 1) {
    const port = ports.find((p) => p.containerPort === numbers[0])!;
    return ` Did you mean targetPort: ${numbers[0]}${port.name ? ` (or "${port.name}")` : ''}?`;
  }
  return ' Point targetPort at one of the declared ports, or declare the one the server listens on.';
}

/** Where to look in a workload: the container ports (of the container concerned, when one is). */
function portsLocation(template: PodTemplate, container: Container | undefined): RelatedLocation {
  const chosen = container ?? servingContainers(template).find((c) => c.ports.length > 0) ?? servingContainers(template)[0];
  const path: Path = chosen
    ? chosen.ports.length > 0
      ? [...chosen.path, 'ports']
      : chosen.path
    : [...template.path, 'spec', 'containers'];
  const message = chosen ? `ports of container "${chosen.name}" in ${templateLabel(template)}` : `containers of ${templateLabel(template)}`;
  return { resource: template.owner, path, message };
}
