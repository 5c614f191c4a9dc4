import { parseAllDocuments } from 'yaml';
import { KUBECTL_PARSE_OPTIONS } from '../../loader/yaml-schema.js';
import type { ResourceGraph } from '../graph.js';
import { isKustomization } from './builds.js';
import type { Resource } from '../objects/resource.js';
import { asArray, asObject, asString, getIn } from '../objects/values.js';

/**
 * True when a kustomize patch of the input names this object (same kind and name), so a build may change it
 * in ways kubewire does not apply: a strategic-merge patch adds containers and ports, or deletes a Service's
 * selector (`selector: {$patch: delete}`). Looked at:
 * - patch files, which the graph keeps apart as build inputs (kustomize/builds.ts `kustomizePatchFiles`);
 * - inline patches of a kustomization (`patches[].patch`, multi-line `patchesStrategicMerge` entries), and the
 *   `target` of a `patches` entry (kind and name; sigs.k8s.io/kustomize api/types/patch.go, selector.go).
 */
export function namedByKustomizePatch(graph: ResourceGraph, resource: Resource): boolean {
  if (resource.name === '') return false;
  return patchedObjects(graph).has(`${resource.kind}\u0000${resource.name}`);
}

const patchedByGraph = new WeakMap<ResourceGraph, Set<string>>();

function patchedObjects(graph: ResourceGraph): Set<string> {
  let found = patchedByGraph.get(graph);
  if (found) return found;
  found = new Set();
  const add = (kind: unknown, name: unknown) => {
    if (typeof kind === 'string' && typeof name === 'string' && name !== '') found!.add(`${kind}\u0000${name}`);
  };
  // Patch files (kustomization documents are build inputs too, but name no object they patch).
  for (const input of graph.kustomizeInputs) if (input.kind !== 'Kustomization' && input.kind !== 'Component') add(input.kind, input.name);
  for (const document of graph.documents) {
    const kustomization = isKustomization(document) ? asObject(document.value) : undefined;
    if (!kustomization) continue;
    const inline = (text: string | undefined) => {
      if (!text || !text.includes('\n')) return;
      try {
        for (const patch of parseAllDocuments(text, { ...KUBECTL_PARSE_OPTIONS, logLevel: 'silent' })) {
          const value = asObject(patch.toJS());
          add(value?.kind, getIn(value, ['metadata', 'name']));
        }
      } catch {
        // An inline patch kustomize could not read either: nothing to learn from it.
      }
    };
    for (const entry of asArray(kustomization.patchesStrategicMerge)) inline(asString(entry));
    for (const entry of asArray(kustomization.patches)) {
      inline(asString(entry) ?? asString(getIn(entry, ['patch'])));
      add(getIn(entry, ['target', 'kind']), getIn(entry, ['target', 'name']));
    }
  }
  patchedByGraph.set(graph, found);
  return found;
}
