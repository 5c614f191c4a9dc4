import { createRule } from '../api/authoring.js';
import { egressDestinations, namedPortOn, policyPodSelector, policyPorts } from '../model/references/network-policy.js';
import { templateLabel } from '../model/pods/pod-template.js';
import { selectorKeyPath, selectorNearMiss } from '../model/evidence/missing-reference.js';
import { formatSelector } from '../model/pods/selector.js';

export const networkpolicySelectorMatch = createRule({
  name: 'networkpolicy-selector-match',
  meta: {
    type: 'problem',
    defaultSeverity: 'warn',
    docs: { description: 'Require every NetworkPolicy to select pods, and its named ports to exist on the pods they apply to' },
    messages: {
      noPodsSelected:
        'NetworkPolicy "{{name}}" selects no pods: no workload in namespace "{{namespace}}" runs pods labelled {{selector}}, so the policy has no effect: the pods it was written for are neither isolated nor allowed the traffic it lists.{{hint}}',
      namedPortNotDeclared:
        'Named port "{{port}}" resolves against the container ports of the {{side}}, but none of them ({{pods}}) declares a {{protocol}} port named "{{port}}": this rule allows no traffic on it.{{hint}} Declare the port on the container, or use the port number.',
      endPortWithNamedPort:
        'endPort cannot be combined with the named port "{{port}}": the API server rejects the NetworkPolicy ("may not be specified when `port` is non-numeric"). Use a numeric port for a range, or remove endPort.',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const { graph } = context;
    return {
      NetworkPolicy(policy) {
        const selector = policyPodSelector(policy);
        const selected = graph.podTemplatesSelectedBy(selector, policy.namespace);
        // No pod templates at all in the namespace: the workloads are deployed from elsewhere (a platform
        // team's policy repository), so there is nothing to compare with. Operator-created pods: not visible.
        if (
          selected.length === 0 &&
          graph.podTemplatesIn(policy.namespace).length > 0 &&
          !graph.likelyOperatorResource(selector, policy.namespace)
        ) {
          const near = selectorNearMiss(graph, selector, policy.namespace, 'NetworkPolicy', policy);
          context.report({
            resource: policy,
            path: selectorKeyPath(policy, ['spec', 'podSelector'], near?.selectorKey),
            messageId: 'noPodsSelected',
            severity: 'warn',
            data: { name: policy.name, namespace: policy.namespace, selector: formatSelector(selector), hint: near?.hint ?? '' },
            related: near ? [{ resource: near.template.owner, path: near.path, message: 'closest pod template' }] : [],
          });
        }

        for (const port of policyPorts(policy)) {
          if (typeof port.port !== 'string') continue;
          if (port.endPort !== undefined) {
            context.report({ resource: policy, path: [...port.path, 'endPort'], messageId: 'endPortWithNamedPort', data: { port: port.port } });
          }
          const targets = port.direction === 'ingress' ? selected : egressDestinations(graph, policy, port.ruleIndex);
          if (!targets || targets.length === 0) continue;
          const found = targets.map((t) => namedPortOn(t.template, port.port as string, port.protocol));
          if (found.includes('yes')) continue;
          const names = targets.map((t) => templateLabel(t.template));
          context.report({
            resource: policy,
            path: [...port.path, 'port'],
            messageId: 'namedPortNotDeclared',
            severity: 'warn',
            data: {
              port: port.port,
              protocol: port.protocol,
              side: port.direction === 'ingress' ? 'pods this policy selects' : 'destination pods of this egress rule',
              pods: names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', '),
              hint: found.includes('otherProtocol') ? ` A container declares "${port.port}" with another protocol; a named port matches name and protocol.` : '',
            },
            related: targets.slice(0, 3).map((t) => ({ resource: t.template.owner, path: [...t.template.path, 'spec', 'containers'], message: `containers of ${templateLabel(t.template)}` })),
          });
        }
      },
    };
  },
});
