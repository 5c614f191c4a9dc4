import type { Resource } from './resource.js';
import { asObject, asString, getIn } from './values.js';

/**
 * Annotations that make a resource a deploy tool's hook: created around a release (a `helm test` Pod, a
 * pre-install Job, an Argo CD PreSync Job), run to completion, and not part of what keeps running. Their pods
 * may carry the release's selector labels (the `helm create` test-connection Pod does), but they are not
 * backends of the release's Services.
 * - Helm: `helm.sh/hook` (https://helm.sh/docs/topics/charts_hooks/, https://helm.sh/docs/topics/chart_tests/)
 * - Argo CD: `argocd.argoproj.io/hook` (https://argo-cd.readthedocs.io/en/stable/user-guide/resource_hooks/)
 */
const HOOK_ANNOTATIONS = ['helm.sh/hook', 'argocd.argoproj.io/hook'] as const;

/** The hook a resource is (`test`, `pre-install`, `PreSync`...), or undefined when it is an ordinary resource. */
export function deployHookOf(resource: Resource): string | undefined {
  const annotations = asObject(getIn(resource.object, ['metadata', 'annotations']));
  for (const key of HOOK_ANNOTATIONS) {
    const value = asString(annotations?.[key])?.trim();
    if (value) return value;
  }
  return undefined;
}
