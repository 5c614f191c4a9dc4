import { createRule, formatPath } from '../api/authoring.js';
import { appliedTogether, inSameFolder } from '../model/evidence/apply-scope.js';
import {
  DEFAULT_NODE_PORT_RANGE,
  inPortRange,
  nodePortIndexOf,
  nodePortUseLabel,
  parsePortRange,
  type NodePortUse,
} from '../model/services/node-ports.js';
import { allocatesNodePorts, needsHealthCheck } from '../model/services/service.js';
import { asString, getIn } from '../model/objects/values.js';

type Options = readonly [{ range?: string }];
type MessageIds =
  | 'outOfRange'
  | 'forbiddenOnClusterIP'
  | 'ignoredOnExternalName'
  | 'alreadyAllocated'
  | 'alreadyAllocatedBySameName'
  | 'alreadyAllocatedInOtherFolder'
  | 'duplicateInService'
  | 'sharedWithinService';

export const serviceNodePort = createRule<Options, MessageIds>({
  name: 'service-node-port',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    docs: { description: 'Require every nodePort to be allowed for its Service type, in range, and not taken by another Service' },
    messages: {
      outOfRange:
        '{{field}} {{nodePort}} is outside the node-port range {{range}} (the API server\'s --service-node-port-range), so creating the Service fails with "provided port is not in the valid range". Pick a port in {{range}}, or remove it and let Kubernetes choose one.',
      forbiddenOnClusterIP:
        'nodePort is set on a {{what}} Service: only NodePort and LoadBalancer Services open node ports, so the API server rejects it (Forbidden spec.ports[{{index}}].nodePort: may not be used when type is ClusterIP). {{fix}}',
      ignoredOnExternalName:
        'nodePort is set on an ExternalName Service, which is only a DNS CNAME to "{{externalName}}": no port is opened on the nodes and the value is ignored. Remove it, or use type NodePort with a selector if you meant to expose pods.',
      alreadyAllocated:
        '{{field}} {{nodePort}} is also requested by {{other}}: node ports come from one pool for the whole cluster (every namespace, protocol and health check), so the Service created second fails with "provided port is already allocated". Give this Service another port in {{range}}, or remove it and let Kubernetes choose one.',
      alreadyAllocatedBySameName:
        '{{field}} {{nodePort}} is also requested by {{other}}, a Service of the same name in another namespace. If both are applied to one cluster, the second fails with "provided port is already allocated" (node ports are one pool for the whole cluster); if they are copies for different clusters (per-environment overlays), this is fine. Give each copy its own port, or remove it and let Kubernetes choose one.',
      alreadyAllocatedInOtherFolder:
        '{{field}} {{nodePort}} is also requested by {{other}}, in another folder. If both are applied to one cluster, the Service created second fails with "provided port is already allocated" (node ports are one pool for the whole cluster, every namespace included); if the folders are separate apps or examples never deployed together, this is fine. Give each its own port, or remove it and let Kubernetes choose one.',
      duplicateInService:
        'spec.ports[{{index}}] asks for nodePort {{nodePort}}/{{protocol}} again (already spec.ports[{{first}}]): the API server rejects the Service (Duplicate spec.ports[{{index}}].nodePort). Give each port its own nodePort.',
      sharedWithinService:
        '{{field}} {{nodePort}} is already taken by {{first}} of this Service{{why}}, so creating the Service fails with "provided port is already allocated". Use another port, or remove it and let Kubernetes choose one.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          range: {
            type: 'string',
            description:
              'The node-port range of the cluster, as kube-apiserver\'s --service-node-port-range: "min-max", "base+size" or one port. Default "30000-32767".',
          },
        },
      },
    ],
    defaultOptions: [{ range: DEFAULT_NODE_PORT_RANGE }],
  },
  create(context, [options]) {
    const rangeText = options?.range ?? DEFAULT_NODE_PORT_RANGE;
    const range = parsePortRange(rangeText);
    if (!range) throw new Error(`option "range" must look like "30000-32767" (got ${JSON.stringify(rangeText)})`);
    const { graph } = context;
    const index = nodePortIndexOf(graph);

    return {
      Service(resource) {
        const service = graph.service(resource);
        const withNodePort = service.ports.filter((p) => p.nodePort !== undefined);

        if (service.type === 'ExternalName') {
          // Accepted by validation, never allocated (txnAllocNodePorts): harmless but misleading.
          const externalName = asString(getIn(resource.object, ['spec', 'externalName'])) ?? '';
          for (const port of withNodePort) {
            context.report({
              resource,
              path: [...port.path, 'nodePort'],
              messageId: 'ignoredOnExternalName',
              severity: 'warn',
              data: { externalName },
            });
          }
          return;
        }
        if (service.type === 'ClusterIP') {
          const what = service.headless ? 'headless (clusterIP: None)' : 'ClusterIP';
          const fix = service.headless
            ? 'A headless Service has no cluster IP and cannot be NodePort either: remove nodePort, or create a separate NodePort Service for external access.'
            : 'Set type: NodePort (or LoadBalancer) to open the port on every node, or remove nodePort.';
          for (const port of withNodePort) {
            context.report({
              resource,
              path: [...port.path, 'nodePort'],
              messageId: 'forbiddenOnClusterIP',
              data: { what, index: port.index, fix },
            });
          }
          return;
        }
        // Headless NodePort/LoadBalancer and unknown types are rejected before allocation (service-type-fields).
        if (!allocatesNodePorts(service)) return;

        const uses: NodePortUse[] = withNodePort.map((port) => ({
          service: resource,
          nodePort: port.nodePort!,
          servicePort: port,
          path: [...port.path, 'nodePort'],
        }));
        if (needsHealthCheck(service) && service.healthCheckNodePort !== undefined) {
          uses.push({
            service: resource,
            nodePort: service.healthCheckNodePort,
            servicePort: undefined,
            path: ['spec', 'healthCheckNodePort'],
          });
        }
        const allocatable = uses.filter((use) => {
          if (inPortRange(range, use.nodePort)) return true;
          context.report({
            resource,
            path: use.path,
            messageId: 'outOfRange',
            data: { field: fieldOf(use), nodePort: use.nodePort, range: rangeText },
          });
          return false;
        });

        reportWithinService(allocatable);

        for (const use of allocatable) {
          // Services of different kustomize builds (overlays/dev and overlays/prod) are never applied together.
          const owner = index.usesOf(use.nodePort).find((u) => appliedTogether(graph, u.service, resource));
          if (!owner || owner.service.key === resource.key) continue;
          // The same name in another namespace is usually one app per environment, often deployed to different
          // clusters; Services in other folders (a repository of several apps or examples) may never be applied
          // to one cluster either: warnings, not errors.
          const sameName = owner.service.name === resource.name;
          const messageId = sameName
            ? 'alreadyAllocatedBySameName'
            : inSameFolder(owner.service, resource)
              ? 'alreadyAllocated'
              : 'alreadyAllocatedInOtherFolder';
          context.report({
            resource,
            path: use.path,
            messageId,
            ...(messageId !== 'alreadyAllocated' ? { severity: 'warn' as const } : {}),
            data: { field: fieldOf(use), nodePort: use.nodePort, other: nodePortUseLabel(owner), range: rangeText },
            related: [{ resource: owner.service, path: owner.path, message: `nodePort ${use.nodePort} is first requested here` }],
          });
        }

        /**
         * One Service's own requests, as ValidateService and initNodePorts (alloc.go) see them: the same
         * (protocol, nodePort) twice is a Duplicate; entries with the same port number share one node port
         * (53/TCP + 53/UDP), but a node port asked for by two different port numbers, or by a port and the
         * health check, is allocated twice and the second allocation fails.
         */
        function reportWithinService(own: readonly NodePortUse[]): void {
          const firstByProtocol = new Map<string, NodePortUse>();
          const holder = new Map<number, NodePortUse>();
          for (const use of own) {
            const port = use.servicePort;
            if (port) {
              const key = `${port.protocol}/${use.nodePort}`;
              const duplicate = firstByProtocol.get(key);
              if (duplicate?.servicePort) {
                context.report({
                  resource,
                  path: use.path,
                  messageId: 'duplicateInService',
                  data: { index: port.index, nodePort: use.nodePort, protocol: port.protocol, first: duplicate.servicePort.index },
                  related: [
                    { resource, path: duplicate.path, message: `nodePort ${use.nodePort}/${port.protocol} is first requested here` },
                  ],
                });
                continue;
              }
              firstByProtocol.set(key, use);
            }
            const taken = holder.get(use.nodePort);
            if (!taken) {
              holder.set(use.nodePort, use);
              continue;
            }
            if (port && taken.servicePort && taken.servicePort.port === port.port) continue;
            const why =
              taken.servicePort && port
                ? ` for port ${taken.servicePort.port}/${taken.servicePort.protocol}; only entries with the same port number (such as 53/TCP and 53/UDP) may share a nodePort`
                : '; the health check needs a node port of its own';
            context.report({
              resource,
              path: use.path,
              messageId: 'sharedWithinService',
              data: { field: fieldOf(use), nodePort: use.nodePort, first: formatPath(taken.path), why },
              related: [{ resource, path: taken.path, message: `nodePort ${use.nodePort} is first requested here` }],
            });
          }
        }
      },
    };
  },
});

function fieldOf(use: NodePortUse): string {
  return use.servicePort ? 'nodePort' : 'healthCheckNodePort';
}
