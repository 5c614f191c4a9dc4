import { appliedTogether, inSameFolder, shareABuild } from './apply-scope.js';
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
/**
 * How surely two definitions are applied together: in one kustomize build (which refuses the pair), in one file
 * (`kubectl apply -f file` sends both), in two files of one folder (`kubectl apply -f folder/` sends both, though
 * a folder of examples may hold alternatives), or elsewhere in the tree (folders that are alternatives or
 * environments, applied one at a time: no evidence that they ever meet).
 */
export type DuplicateScope = 'build' | 'file' | 'folder' | 'elsewhere';

export interface Duplicate {
  /** The earlier definition to point at: the one most surely applied with this one. */
  readonly first: Resource;
  /** The definition that wins when everything is applied together: the last one. */
  readonly winner: Resource;
  /** 1-based position of this definition among all of them, and how many there are. */
  readonly position: number;
  readonly count: number;
  /** How surely `first` and this definition are applied together. */
  readonly scope: DuplicateScope;
  /** True when this definition and `first` are the same object field for field. */
  readonly identical: boolean;
}

/** duplicateOf's answers per graph: the rule asks again for every object of a file that repeats another file. */
const duplicates = new WeakMap<ResourceGraph, Map<Resource, Duplicate | undefined>>();

export function duplicateOf(graph: ResourceGraph, resource: Resource): Duplicate | undefined {
  let known = duplicates.get(graph);
  if (!known) duplicates.set(graph, (known = new Map<Resource, Duplicate | undefined>()));
  if (known.has(resource)) return known.get(resource);
  const duplicate = findDuplicate(graph, resource);
  known.set(resource, duplicate);
  return duplicate;
}

function findDuplicate(graph: ResourceGraph, resource: Resource): Duplicate | undefined {
  if (!resource.name) return undefined;
  // Kustomize patches name the object they patch; the graph keeps them out of its resources (kustomize/builds.ts).
  // Copies that only separate kustomize builds include (overlays/dev and overlays/prod) are never applied together.
  const definitions = graph
    .definitionsOf(resource)
    .filter((r) => r.name && appliedTogether(graph, r, resource) && sameInstallPath(graph, r, resource));
  const index = definitions.indexOf(resource);
  if (index <= 0) return undefined;
  const earlier = definitions.slice(0, index);
  const inBuild = earlier.find((r) => shareABuild(graph, r, resource));
  const inFile = earlier.find((r) => r.document.file.path === resource.document.file.path);
  const inFolder = earlier.find((r) => inSameFolder(r, resource));
  const first = inBuild ?? inFile ?? inFolder ?? earlier[0]!;
  return {
    first,
    winner: definitions[definitions.length - 1]!,
    position: index + 1,
    count: definitions.length,
    scope: inBuild ? 'build' : inFile ? 'file' : inFolder && !folderOfAlternatives(definitions, resource) ? 'folder' : 'elsewhere',
    identical: sameDefinition(first, resource),
  };
}

/**
 * True when three or more files of the resource's folder define the object: a folder of samples or variants
 * (`cluster-example.yaml`, `cluster-example-backup.yaml`, `cluster-example-tls.yaml`), each applied on its own,
 * not one app whose files are applied together.
 */
function folderOfAlternatives(definitions: readonly Resource[], resource: Resource): boolean {
  const files = new Set(definitions.filter((r) => inSameFolder(r, resource)).map((r) => r.document.file.path));
  return files.size >= 3;
}

/**
 * Whether a duplicate is evidence of a mistake, and how sure: copies in one kustomize build break the build
 * (kustomize refuses them, identical or not); differing copies in one file lose the earlier one's settings on
 * every apply; identical copies in one file change nothing today. Two files of one folder are applied together by
 * `kubectl apply -f folder/`, but a folder may hold alternatives: differing copies there are a warning, identical
 * ones harmless. Copies in different folders are no evidence at all: repositories keep alternatives, versions and
 * environments side by side, and apply them one at a time.
 */
export function duplicateSeverity(duplicate: Duplicate, anyDiffers = !duplicate.identical): 'error' | 'warn' | undefined {
  switch (duplicate.scope) {
    case 'build':
      return 'error';
    case 'file':
      return anyDiffers ? 'error' : 'warn';
    case 'folder':
      return anyDiffers ? 'warn' : undefined;
    case 'elsewhere':
      return undefined;
  }
}

/** Whether two definitions of one object say the same thing field for field. */
export function sameDefinition(a: Resource, b: Resource): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** stableJson of each object compared once: a big object (a CRD) repeated in many files is serialised once. */
const canonical = new WeakMap<Resource, string>();

function canonicalJson(resource: Resource): string {
  let json = canonical.get(resource);
  if (json === undefined) canonical.set(resource, (json = stableJson(resource.object)));
  return json;
}

const resourcesByFile = new WeakMap<ResourceGraph, Map<string, Resource[]>>();
/** repeatsOfSameFile's answers per graph, by the two files: each object of the file asks the same question. */
const repeatsByFiles = new WeakMap<ResourceGraph, Map<string, Resource[]>>();

/**
 * The objects of a resource's file that repeat objects of the same other file as this one does, in file order
 * (this one included). Two alternative example files (`drain-support.yaml`, `sticky-sessions.yaml`) repeat many
 * objects of each other: that is one finding about two files, not one per object.
 */
export function repeatsOfSameFile(graph: ResourceGraph, resource: Resource, duplicate: Duplicate): readonly Resource[] {
  let byFile = resourcesByFile.get(graph);
  if (!byFile) {
    byFile = new Map();
    for (const r of graph.resources) pushTo(byFile, r.document.file.path, r);
    resourcesByFile.set(graph, byFile);
  }
  const otherFile = duplicate.first.document.file.path;
  const file = resource.document.file.path;
  if (otherFile === file) return [resource];
  let known = repeatsByFiles.get(graph);
  if (!known) repeatsByFiles.set(graph, (known = new Map<string, Resource[]>()));
  const key = `${file}\u0000${otherFile}`;
  let repeats = known.get(key);
  if (!repeats)
    known.set(key, (repeats = (byFile.get(file) ?? []).filter((r) => duplicateOf(graph, r)?.first.document.file.path === otherFile)));
  return repeats;
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
