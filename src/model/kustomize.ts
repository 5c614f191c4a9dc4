import path from 'node:path';
import type { ManifestDocument } from '../loader/parse.js';
import { apiGroup } from './resource.js';
import { asArray, asObject, asString, getIn } from './values.js';

/**
 * What kustomize does with the files of a kustomization tree, so that linting the unbuilt tree of a
 * repository does not treat build inputs as objects that get applied.
 *
 * - A kustomization (`kustomization.yaml`, `kustomization.yml`, `Kustomization`, or a document of kind
 *   `Kustomization` / `Component` in the `kustomize.config.k8s.io` group) is build configuration: kustomize
 *   reads it and never emits it (sigs.k8s.io/kustomize api/konfig `RecognizedKustomizationFileNames`,
 *   api/types/kustomization.go).
 * - A file listed under `patches` (`path:`) or `patchesStrategicMerge` is a patch: a partial object that
 *   kustomize merges into the resource of the same kind and name (api/internal/builtins PatchTransformer,
 *   PatchStrategicMergeTransformer). It usually lacks required fields (selector, labels, images) on purpose,
 *   and it is not a second definition of the object.
 */
export const KUSTOMIZATION_FILE_NAMES: ReadonlySet<string> = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

const KUSTOMIZE_CONFIG_GROUP = 'kustomize.config.k8s.io';

/**
 * True for a kustomize build-configuration object (`kustomize.config.k8s.io` Kustomization, Component):
 * kustomize reads it and never sends it to a cluster. (Flux's `kustomize.toolkit.fluxcd.io` Kustomization is a
 * real custom resource and is not one of these.)
 */
export function isKustomizeConfig(apiVersion: string): boolean {
  return apiGroup(apiVersion) === KUSTOMIZE_CONFIG_GROUP;
}

function isKustomization(document: ManifestDocument): boolean {
  const value = asObject(document.value);
  if (!value) return false;
  if (KUSTOMIZATION_FILE_NAMES.has(path.basename(document.file.path))) return true;
  const apiVersion = asString(value.apiVersion);
  return (apiVersion !== undefined && isKustomizeConfig(apiVersion)) || value.kind === 'Kustomization';
}

/** Files that kustomizations in the input use as patches, as paths comparable with `document.file.path`. */
export function kustomizePatchFiles(documents: readonly ManifestDocument[]): Set<string> {
  const found = new Set<string>();
  for (const document of documents) {
    const value = asObject(document.value);
    if (!value || !isKustomization(document)) continue;
    const folder = path.dirname(document.file.path);
    const add = (relative: string | undefined) => {
      // patchesStrategicMerge entries may also be inline YAML; only single-line entries are file paths.
      if (relative && !relative.includes('\n')) found.add(path.join(folder, relative));
    };
    for (const entry of asArray(value.patchesStrategicMerge)) add(asString(entry));
    for (const entry of asArray(value.patches)) add(asString(entry) ?? asString(getIn(entry, ['path'])));
  }
  return found;
}
