import type { ResourceGraph } from '../graph.js';
import type { Resource } from '../objects/resource.js';

/**
 * True when a kustomize patch file of the input names this object (same kind and name): a strategic-merge
 * patch may add containers and ports to it when the build runs (`patchesStrategicMerge`, `patches`), which
 * kubewire does not apply. The graph keeps such patches apart as build inputs (kustomize/builds.ts
 * `kustomizePatchFiles`). Inline patches written in the kustomization itself are not seen here.
 */
export function namedByKustomizePatch(graph: ResourceGraph, resource: Resource): boolean {
  return graph.kustomizeInputs.some((input) => input.kind === resource.kind && input.name === resource.name && input.name !== '');
}
