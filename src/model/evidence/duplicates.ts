import { appliedTogether, inSameFolder, surelyAppliedTogether } from './apply-scope.js';
import type { ResourceGraph } from '../graph.js';
import { apiGroup, isBuiltin, type Resource } from '../objects/resource.js';
import { isObject, pushTo } from '../objects/values.js';

/**
 * Objects defined more than once in the input.
 *
 * `kubectl apply` (client- and server-side) identifies an object by API group, kind, namespace and name; the
 * version does not matter (an apps/v1 and an extensions/v1beta1 Deployment are the same object), and a namespaced
 * object without metadata.namespace lands in the namespace kubectl is given (`-n`, else the context's, else
 * `default`), so it is the same object as one that says `namespace: default`. Given several definitions, kubectl
 * applies them in input order and the last one wins (kubernetes/kubectl pkg/cmd/apply/apply.go applies each
 * object of the input in turn). kustomize rejects the repetition ("may not add resource with an already registered
 * id", sigs.k8s.io/kustomize api/resmap), Argo CD reports it (RepeatedResourceWarning).
 *
 * Not duplicates: unnamed objects (`generateName`), copies that only different kustomize builds include (each
 * overlay is built and applied on its own, kustomize/builds.ts `kustomizeBuilds`), and kustomize patches, which name the object they patch; a
 * file is a patch when a kustomization lists it under `patches` / `patchesStrategicMerge` (kustomize/builds.ts; the graph
 * keeps patches out of its resources).
 */
export interface Duplicate {
  /** The earlier definition to point at: the first one in the same folder when there is one, else the first. */
  readonly first: Resource;
  /** The definition that wins when everything is applied together: the last one. */
  readonly winner: Resource;
  /** 1-based position of this definition among all of them, and how many there are. */
  readonly position: number;
  readonly count: number;
  /** True when an earlier definition is in the same folder (or file). */
  readonly sameFolder: boolean;
  /**
   * True when an earlier definition is in the same file or the same kustomize build, so the two are surely
   * applied together. Two files of one folder usually are too (`kubectl apply -f folder/`), but a folder of
   * examples holds alternative versions of one object that are never applied together.
   */
  readonly surelyTogether: boolean;
  /** True when this definition and `first` are the same object field for field. */
  readonly identical: boolean;
}

export function duplicateOf(graph: ResourceGraph, resource: Resource): Duplicate | undefined {
  if (!resource.name) return undefined;
  // Kustomize patches name the object they patch; the graph keeps them out of its resources (kustomize/builds.ts).
  // Copies that only separate kustomize builds include (overlays/dev and overlays/prod) are never applied together.
  const definitions = graph.definitionsOf(resource).filter((r) => r.name && appliedTogether(graph, r, resource) && sameInstallPath(graph, r, resource));
  const index = definitions.indexOf(resource);
  if (index <= 0) return undefined;
  const earlier = definitions.slice(0, index);
  const together = earlier.find((r) => surelyAppliedTogether(graph, r, resource));
  const sameFolder = earlier.find((r) => inSameFolder(r, resource));
  const first = together ?? sameFolder ?? earlier[0]!;
  return {
    first,
    winner: definitions[definitions.length - 1]!,
    position: index + 1,
    count: definitions.length,
    sameFolder: sameFolder !== undefined,
    surelyTogether: together !== undefined,
    identical: stableJson(first.object) === stableJson(resource.object),
  };
}

const resourcesByFile = new WeakMap<ResourceGraph, Map<string, Resource[]>>();

/**
 * The objects of a resource's file that repeat objects of the same other file as this one does, in file order
 * (this one included). Two alternative example files (`drain-support.yaml`, `sticky-sessions.yaml`) repeat many
 * objects of each other: that is one finding about two files, not one per object.
 */
export function repeatsOfSameFile(graph: ResourceGraph, resource: Resource, duplicate: Duplicate): Resource[] {
  let byFile = resourcesByFile.get(graph);
  if (!byFile) {
    byFile = new Map();
    for (const r of graph.resources) pushTo(byFile, r.document.file.path, r);
    resourcesByFile.set(graph, byFile);
  }
  const otherFile = duplicate.first.document.file.path;
  if (otherFile === resource.document.file.path) return [resource];
  return (byFile.get(resource.document.file.path) ?? []).filter((r) => duplicateOf(graph, r)?.first.document.file.path === otherFile);
}

/**
 * A copy inside a kustomize build and a copy outside any build are two ways of installing the same thing
 * (`kubectl apply -k base/` or `kubectl apply -f all-in-one.yaml`), not one install: `kubectl apply -R -f` over
 * both fails on the kustomization file anyway.
 */
function sameInstallPath(graph: ResourceGraph, a: Resource, b: Resource): boolean {
  const inBuild = (r: Resource) => graph.kustomize.buildsOf(r.document.file.path).size > 0;
  return inBuild(a) === inBuild(b);
}

/** `ConfigMap shop/settings`, `ClusterRole reader`, `Rollout.argoproj.io shop/web`: an object's identity for messages. */
export function identityLabel(resource: Resource): string {
  const kind = isBuiltin(resource) ? resource.kind : `${resource.kind}.${apiGroup(resource.apiVersion)}`;
  return resource.namespace ? `${kind} ${resource.namespace}/${resource.name}` : `${kind} ${resource.name}`;
}


/** JSON with object keys sorted, so that two definitions written in a different key order compare equal. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
