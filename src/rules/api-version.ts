import { createRule } from '../api/authoring.js';
import { apiVersionStatus, type Replacement } from '../model/schema/api-versions.js';
import { unservedCustomVersion } from '../model/schema/custom-resources.js';
import { releaseName } from '../model/schema/kubernetes-api.js';
import { KUBERNETES_VERSION_OPTION, targetRelease } from '../model/schema/resource-schema.js';

type Options = readonly [{ kubernetesVersion?: string }];
type MessageIds =
  'removed' | 'notYetServed' | 'deprecated' | 'unknownVersion' | 'unknownKind' | 'unknownKindUnsure' | 'customVersionNotServed';

export const apiVersion = createRule<Options, MessageIds>({
  name: 'api-version',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    docs: { description: 'Require every built-in object to use an API version that the target Kubernetes release serves' },
    messages: {
      removed:
        '{{apiVersion}} {{kind}} is not served by Kubernetes {{release}}: it was removed in {{removedIn}} (served in {{served}}), so the API server rejects the object (no matches for kind "{{kind}}" in version "{{apiVersion}}").{{replacement}}',
      notYetServed:
        '{{apiVersion}} {{kind}} is not served by Kubernetes {{release}}: it was added in {{addedIn}}, so the API server rejects the object.{{replacement}} If the cluster runs a newer release, set --kubernetes-version to it.',
      deprecated:
        '{{apiVersion}} {{kind}} is deprecated: Kubernetes {{removedIn}} no longer serves it, so the object stops applying once the cluster is upgraded to {{removedIn}}.{{replacement}}',
      unknownVersion:
        'No Kubernetes release serves {{kind}} as {{apiVersion}}, so the API server rejects the object (no matches for kind "{{kind}}" in version "{{apiVersion}}"). {{kind}} is served as {{versions}}.',
      unknownKind:
        'No Kubernetes release has a kind "{{kind}}" in {{apiVersion}}, so the API server rejects the object (no matches for kind "{{kind}}").{{hint}}',
      customVersionNotServed:
        'CustomResourceDefinition {{crd}} in this input does not serve {{apiVersion}} (it serves {{served}}), so the API server rejects the {{kind}} (no matches for kind "{{kind}}" in version "{{apiVersion}}"). Use one of the served versions, or {{fix}}.',
      unknownKindUnsure:
        'kubewire knows no kind "{{kind}}" in {{apiVersion}} in any Kubernetes release: unless the cluster serves it through an API kubewire cannot see (an aggregated API, OpenShift\'s legacy v1 kinds), the API server rejects the object (no matches for kind "{{kind}}"). Check the kind and apiVersion.',
    },
    schema: [KUBERNETES_VERSION_OPTION],
    defaultOptions: [{}],
  },
  create(context, [{ kubernetesVersion }]) {
    const minor = targetRelease(kubernetesVersion);
    const release = releaseName(minor);
    return {
      '*'(resource) {
        const unserved = unservedCustomVersion(context.graph, resource);
        if (unserved) {
          const group = resource.apiVersion.slice(0, resource.apiVersion.indexOf('/'));
          context.report({
            resource,
            path: ['apiVersion'],
            messageId: 'customVersionNotServed',
            data: {
              crd: unserved.crd.name || '(unnamed)',
              apiVersion: resource.apiVersion,
              kind: resource.kind,
              served: unserved.served.map((v) => `${group}/${v}`).join(', '),
              fix: unserved.listed
                ? `set served: true on the ${resource.apiVersion.slice(group.length + 1)} entry of the CRD's spec.versions`
                : `add ${resource.apiVersion.slice(group.length + 1)} to the CRD's spec.versions with served: true`,
            },
            related: [
              {
                resource: unserved.crd,
                path: ['spec', 'versions'],
                message: `the versions CustomResourceDefinition ${unserved.crd.name} serves`,
              },
            ],
          });
          return;
        }
        const found = apiVersionStatus(resource.apiVersion, resource.kind, minor);
        if (!found || found.status === 'served') return;
        const base = { apiVersion: resource.apiVersion, kind: resource.kind, release };
        const path = ['apiVersion'];
        switch (found.status) {
          case 'removed':
            context.report({
              resource,
              path,
              messageId: 'removed',
              data: {
                ...base,
                removedIn: releaseName(found.removedIn),
                served: found.served,
                replacement: useInstead(found.replacement, release, 'Use'),
              },
            });
            return;
          case 'notYet':
            context.report({
              resource,
              path,
              messageId: 'notYetServed',
              data: {
                ...base,
                addedIn: releaseName(found.addedIn),
                replacement: found.replacement ? useInstead(found.replacement, release, 'Kubernetes ' + release + ' serves') : '',
              },
            });
            return;
          case 'deprecated':
            context.report({
              resource,
              path,
              messageId: 'deprecated',
              severity: 'warn',
              data: { ...base, removedIn: releaseName(found.removedIn), replacement: useInstead(found.replacement, release, 'Move to') },
            });
            return;
          case 'unknownVersion':
            context.report({
              resource,
              path,
              messageId: 'unknownVersion',
              data: { ...base, versions: found.versions.map((v) => `${v.apiVersion} (${v.served})`).join(', ') },
            });
            return;
          case 'unknownKind': {
            const hint = found.elsewhere
              ? ` ${resource.kind} is served as ${found.elsewhere.apiVersion} (${found.elsewhere.served}): write apiVersion: ${found.elsewhere.apiVersion}.`
              : found.closest
                ? ` Did you mean kind: ${found.closest}?`
                : '';
            // Without a near name, the kind may come from an aggregated API kubewire cannot see: say it, softly.
            if (!hint) context.report({ resource, path: ['kind'], messageId: 'unknownKindUnsure', severity: 'warn', data: base });
            else
              context.report({
                resource,
                path: found.elsewhere ? ['apiVersion'] : ['kind'],
                messageId: 'unknownKind',
                data: { ...base, hint },
              });
          }
        }
      },
    };
  },
});

/** " Use networking.k8s.io/v1 (1.19 and later): backend.serviceName ... ." or a note that nothing replaces it. */
function useInstead(replacement: Replacement | undefined, release: string, verb: string): string {
  if (!replacement) return ` No other API version serves this kind in Kubernetes ${release}.`;
  const describe = (r: Replacement) =>
    `${r.apiVersion} (served in ${r.served})${r.changes ? `; what changes: ${r.changes}` : ', with the same fields'}`;
  const then = replacement.later ? ` It is removed later too: the lasting version is ${describe(replacement.later)}.` : '';
  return ` ${verb} ${describe(replacement)}.${then}`;
}
