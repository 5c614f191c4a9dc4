import { createRule } from '../api/authoring.js';
import {
  egressDestinations,
  likelyOperatorFor,
  namedPortOn,
  policyPodSelector,
  policyPorts,
  sameNamespacePodPeers,
} from '../model/references/network-policy.js';
import { templateLabel } from '../model/pods/pod-template.js';
import { externalPodsSelectedBy } from '../model/evidence/absence.js';
import { locationOf, selectorKeyPath, selectorNearMiss } from '../model/evidence/hints.js';
import { closestPodTemplate } from '../model/evidence/near-miss.js';
import { formatSelector, type Selector } from '../model/pods/selector.js';

export const networkpolicySelectorMatch = createRule({
  name: 'networkpolicy-selector-match',
  meta: {
    type: 'problem',
    defaultSeverity: 'warn',
    docs: {
      description:
        'Require every NetworkPolicy, and every podSelector peer of its rules, to select pods, and its named ports to exist on the pods they apply to',
    },
    messages: {
      noPodsSelected:
        'NetworkPolicy "{{name}}" selects no pods: no workload in namespace "{{namespace}}" runs pods labelled {{selector}}, so the policy has no effect: the pods it was written for are neither isolated nor allowed the traffic it lists.{{hint}}',
      peerSelectsNoPods:
        '{{direction}} rule {{rule}} allows traffic {{fromTo}} pods labelled {{selector}}, but no workload in namespace "{{namespace}}" runs such pods: a podSelector peer without a namespaceSelector only matches pods of the policy\'s own namespace, so this peer allows nothing and that traffic stays blocked.{{hint}}',
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
        // Pods the configuration says other systems create (externalPods): selecting them is selecting something,
        // and their ports are unknown.
        const comparable = (s: Selector) =>
          graph.podTemplatesIn(policy.namespace).length > 0 &&
          !likelyOperatorFor(graph, s, policy.namespace) &&
          externalPodsSelectedBy(graph, s, policy.namespace).length === 0;
        const policySelectsNothing = selected.length === 0 && comparable(selector);
        if (policySelectsNothing) {
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

        // The same question for the peers, unless the policy itself selects nothing: then nothing it lists matters,
        // and one finding says so.
        if (!policySelectsNothing) {
          for (const peer of sameNamespacePodPeers(policy)) {
            if (peer.selector.kind !== 'requirements' || !comparable(peer.selector)) continue;
            if (graph.podTemplatesSelectedBy(peer.selector, policy.namespace).length > 0) continue;
            const near = closestPodTemplate(graph, peer.selector, policy.namespace, policy);
            const otherNamespace = near && near.template.namespace !== policy.namespace ? near.template.namespace : undefined;
            const hint = otherNamespace
              ? ` ${templateLabel(near!.template)} in namespace "${otherNamespace}" (${locationOf(near!.template.owner, near!.path)}) has these labels: to allow it, add namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ${otherNamespace}}} to this peer.`
              : (near?.hint ?? '');
            context.report({
              resource: policy,
              path: selectorKeyPath(policy, peer.path, otherNamespace ? undefined : near?.selectorKey),
              messageId: 'peerSelectsNoPods',
              severity: 'warn',
              data: {
                direction: peer.direction === 'ingress' ? 'Ingress' : 'Egress',
                rule: `${peer.direction}[${peer.ruleIndex}]`,
                fromTo: peer.direction === 'ingress' ? 'from' : 'to',
                selector: formatSelector(peer.selector),
                namespace: policy.namespace,
                hint,
              },
              related: near ? [{ resource: near.template.owner, path: near.path, message: 'closest pod template' }] : [],
            });
          }
        }

        for (const port of policyPorts(policy)) {
          if (typeof port.port !== 'string') continue;
          if (port.endPort !== undefined) {
            context.report({
              resource: policy,
              path: [...port.path, 'endPort'],
              messageId: 'endPortWithNamedPort',
              data: { port: port.port },
            });
          }
          const targets = port.direction === 'ingress' ? selected : egressDestinations(graph, policy, port.ruleIndex);
          if (!targets || targets.length === 0) continue;
          if (port.direction === 'ingress' && externalPodsSelectedBy(graph, selector, policy.namespace).length > 0) continue;
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
              hint: found.includes('otherProtocol')
                ? ` A container declares "${port.port}" with another protocol; a named port matches name and protocol.`
                : '',
            },
            related: targets.slice(0, 3).map((t) => ({
              resource: t.template.owner,
              path: [...t.template.path, 'spec', 'containers'],
              message: `containers of ${templateLabel(t.template)}`,
            })),
          });
        }
      },
    };
  },
});
