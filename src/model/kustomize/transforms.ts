import type { Path } from '../../loader/parse.js';
import { apiGroup, type Resource } from '../objects/resource.js';
import { asStringMap, getIn, isObject, type JsonObject } from '../objects/values.js';
import type { BuildTransforms } from './builds.js';

/**
 * A resource as `kustomize build` emits it, for the transformers that change wiring (builds.ts
 * `BuildTransforms`): the labels, selectors and replicas the build adds. Linting a base that relies on them (a
 * Deployment written without a selector, for `commonLabels` to inject) must not report what the build fixes.
 * Added fields have no position of their own: findings on them point at the nearest written ancestor.
 *
 * Field specs from sigs.k8s.io/kustomize api/konfig/builtinpluginconsts/commonlabels.go: Service and
 * ReplicationController `spec/selector` and workload `spec/selector/matchLabels` are created when absent
 * (`create: true`); Job, CronJob, PodDisruptionBudget and NetworkPolicy selectors are only extended when written.
 */
export function applyBuildTransforms(resource: Resource, transforms: BuildTransforms): Resource {
  let object: JsonObject = resource.object;
  const set = (path: Path, add: Readonly<Record<string, string>>, create: boolean) => {
    if (Object.keys(add).length === 0) return;
    // `matchLabels:` with nothing after it is null, which kustomize fills like an absent field.
    const written = getIn(object, path);
    const current = written === null ? undefined : written;
    if (current === undefined ? !create : !isObject(current)) return;
    object = setIn(object, path, { ...(isObject(current) ? current : {}), ...add });
  };
  set(['metadata', 'labels'], transforms.labels, true);
  const core = apiGroup(resource.apiVersion) === '';
  switch (resource.kind) {
    case 'Service':
      if (core) set(['spec', 'selector'], transforms.selectorLabels, true);
      break;
    case 'ReplicationController':
      if (core) {
        set(['spec', 'selector'], transforms.selectorLabels, true);
        set(['spec', 'template', 'metadata', 'labels'], transforms.templateLabels, true);
      }
      break;
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet':
    case 'StatefulSet':
      set(['spec', 'selector', 'matchLabels'], transforms.selectorLabels, true);
      set(['spec', 'template', 'metadata', 'labels'], transforms.templateLabels, true);
      break;
    case 'Job':
      set(['spec', 'selector', 'matchLabels'], transforms.selectorLabels, false);
      set(['spec', 'template', 'metadata', 'labels'], transforms.templateLabels, true);
      break;
    case 'CronJob':
      set(['spec', 'jobTemplate', 'spec', 'selector', 'matchLabels'], transforms.selectorLabels, false);
      set(['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels'], transforms.templateLabels, true);
      break;
    case 'PodDisruptionBudget':
      set(['spec', 'selector', 'matchLabels'], transforms.selectorLabels, false);
      break;
    case 'NetworkPolicy':
      set(['spec', 'podSelector', 'matchLabels'], transforms.selectorLabels, false);
      break;
  }
  let replicas = transforms.replicas[resource.name];
  const written = getIn(object, ['spec', 'replicas']);
  if (replicas !== undefined && transforms.replicasVary?.has(resource.name))
    replicas = Math.max(replicas, typeof written === 'number' ? written : 1);
  if (replicas !== undefined && ['Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet'].includes(resource.kind)) {
    object = setIn(object, ['spec', 'replicas'], replicas);
  }
  if (object === resource.object) return resource;
  return { ...resource, object, labels: asStringMap(getIn(object, ['metadata', 'labels'])) ?? {} };
}

/** A copy of `root` with `value` at `path`, copying only the objects along the path. */
function setIn(root: JsonObject, path: Path, value: unknown): JsonObject {
  const [head, ...rest] = path;
  if (typeof head !== 'string') return root;
  const child = root[head];
  const next = rest.length === 0 ? value : setIn(isObject(child) ? child : {}, rest, value);
  return { ...root, [head]: next };
}
