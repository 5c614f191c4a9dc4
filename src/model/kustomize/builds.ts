import path from 'node:path';
import type { ManifestDocument } from '../../loader/parse.js';
import { apiGroup } from '../objects/resource.js';
import { asArray, asObject, asString, getIn } from '../objects/values.js';

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

export function isKustomization(document: ManifestDocument): boolean {
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

/**
 * Files that kustomize plugins read as their configuration (`transformers`, `generators`, `validators`): a
 * `LabelTransformer` or `NamespaceTransformer` with `apiVersion: builtin` is an instruction to kustomize, not an
 * object it emits (sigs.k8s.io/kustomize api/types/kustomization.go; kubectl.docs.kubernetes.io/references/
 * kustomize/builtins/). Same rule as patches: only single-line entries are file paths.
 */
export function kustomizePluginConfigFiles(documents: readonly ManifestDocument[]): Set<string> {
  const found = new Set<string>();
  for (const document of documents) {
    const value = asObject(document.value);
    if (!value || !isKustomization(document)) continue;
    const folder = path.dirname(document.file.path);
    for (const field of ['transformers', 'generators', 'validators']) {
      for (const entry of asArray(value[field])) {
        const relative = asString(entry);
        if (relative && !relative.includes('\n')) found.add(path.join(folder, relative));
      }
    }
  }
  return found;
}

/**
 * Files next to a kustomization that no kustomization of the input names in any field. `kustomize build` reads
 * only the files a kustomization names, so no build applies them, and `kubectl apply -f` on that folder fails on
 * the kustomization itself. The graph treats those that only repeat objects defined elsewhere as patches
 * nobody listed (kubeflow keeps `patch-deployment.yaml` beside an overlay that names it in another branch).
 */
export function unlistedFilesInKustomizationFolders(documents: readonly ManifestDocument[]): Set<string> {
  const kustomizationFolders = new Set<string>();
  const named = new Set<string>();
  const collect = (folder: string, value: unknown) => {
    if (typeof value === 'string') {
      if (!value.includes('\n')) named.add(path.join(folder, value));
    } else if (Array.isArray(value)) {
      for (const item of value) collect(folder, item);
    } else if (value && typeof value === 'object') {
      for (const item of Object.values(value)) collect(folder, item);
    }
  };
  for (const document of documents) {
    if (!isKustomization(document)) continue;
    const folder = path.dirname(document.file.path);
    kustomizationFolders.add(folder);
    // Any string of the kustomization may name a file (resources, patches, components, generators' files...):
    // erring towards "named" keeps a file linted.
    collect(folder, document.value);
  }
  const unlisted = new Set<string>();
  for (const document of documents) {
    const file = document.file.path;
    if (kustomizationFolders.has(path.dirname(file)) && !named.has(file) && !isKustomization(document)) unlisted.add(file);
  }
  return unlisted;
}

/** kustomize's builtin plugins are configured with `apiVersion: builtin` (LabelTransformer, PatchTransformer...). */
export function isKustomizePluginConfig(apiVersion: string): boolean {
  return apiVersion === 'builtin';
}

/**
 * What `kustomize build` of each top-level kustomization in the input would do to the namespace of the files
 * it includes, and which builds include which files.
 *
 * - `namespace:` in a kustomization sets metadata.namespace on every namespaced object it includes, replacing a
 *   namespace written in the file ("Will override the existing namespace if it is set on a resource, or add it
 *   if it is not set", kubectl.docs.kubernetes.io/references/kustomize/kustomization/namespace/; builtin
 *   NamespaceTransformer, sigs.k8s.io/kustomize api/filters/namespace). An outer kustomization runs its
 *   transformer after the inner ones, so the outermost `namespace:` wins.
 * - A build is a kustomization no other kustomization of the input includes (an overlay, or a lone base);
 *   `resources`, `bases` (deprecated) and `components` entries that are folders include that folder's
 *   kustomization. Remote bases and files outside the input are not followed.
 *
 * A base shared by builds that put it in different namespaces (overlays dev/ and prod/ with their own
 * `namespace:`) has no single namespace: its files keep the namespace they are written with, and so do the files
 * whose namespace comes from a kustomization that includes the base (moving only those would separate a base's
 * Service from the overlay's Ingress that routes to it). Other parts of the same builds are still moved: an app's
 * `ui/` kustomization with `namespace: ui` moves its files even when a workshop module reuses the app's
 * `checkout/` base in a namespace of its own.
 */
export interface KustomizeBuilds {
  /** The namespace the build gives a file's objects, when every build that includes the file agrees on one. */
  namespaceOf(file: string): string | undefined;
  /** The top-level kustomizations whose build includes the file (empty: not part of any kustomize build). */
  buildsOf(file: string): ReadonlySet<string>;
}

interface KustomizationNode {
  readonly file: string;
  readonly namespace: string | undefined;
  /** Included files (not kustomizations) and included kustomization files. */
  readonly files: string[];
  readonly children: string[];
}

const UNSET = '\u0000unset';

/** The namespace a build gives a file, and the kustomization whose `namespace:` it is (undefined: none sets one). */
interface NamespaceAssignment {
  readonly namespace: string;
  readonly setBy: string | undefined;
}

export function kustomizeBuilds(documents: readonly ManifestDocument[]): KustomizeBuilds {
  const inputFiles = new Set(documents.map((d) => d.file.path));
  const kustomizationByFolder = new Map<string, string>();
  const raw = new Map<string, { namespace: string | undefined; entries: string[] }>();
  for (const document of documents) {
    const value = asObject(document.value);
    if (!value || !isKustomization(document)) continue;
    const folder = path.dirname(document.file.path);
    kustomizationByFolder.set(folder, document.file.path);
    const entries = ['resources', 'bases', 'components'].flatMap((field) =>
      asArray(value[field]).map(asString).filter((e): e is string => !!e && !e.includes('\n') && !isRemote(e)).map((e) => path.join(folder, e)),
    );
    raw.set(document.file.path, { namespace: asString(value.namespace) || undefined, entries });
  }
  const nodes = new Map<string, KustomizationNode>();
  for (const [file, { namespace, entries }] of raw) {
    const node: KustomizationNode = { file, namespace, files: [], children: [] };
    for (const entry of entries) {
      const child = kustomizationByFolder.get(entry);
      if (child && child !== file) node.children.push(child);
      else if (inputFiles.has(entry)) node.files.push(entry);
    }
    nodes.set(file, node);
  }
  const included = new Set([...nodes.values()].flatMap((n) => n.children));
  const roots = [...nodes.keys()].filter((file) => !included.has(file));

  // Per file: the namespace each build gives it (UNSET when no kustomization on the way sets one), and the
  // kustomization whose `namespace:` that is.
  const assigned = new Map<string, Map<string, NamespaceAssignment>>();
  for (const root of roots) {
    const visit = (file: string, inherited: NamespaceAssignment | undefined, seen: Set<string>) => {
      if (seen.has(file)) return; // a cycle is kustomize's error to report
      seen.add(file);
      const node = nodes.get(file)!;
      const effective = inherited ?? (node.namespace ? { namespace: node.namespace, setBy: file } : undefined);
      for (const member of node.files) {
        let byRoot = assigned.get(member);
        if (!byRoot) assigned.set(member, (byRoot = new Map()));
        if (!byRoot.has(root)) byRoot.set(root, effective ?? { namespace: UNSET, setBy: undefined });
      }
      for (const child of node.children) visit(child, effective, seen);
    };
    visit(root, undefined, new Set());
  }

  // A file that builds put in different namespaces keeps the namespace it is written with, and so does every file
  // whose namespace comes from a kustomization that includes such a file, directly or through its bases (the
  // overlay's own Ingress stays with the shared base's Service it routes to). A kustomization whose whole tree has
  // one namespace per file still moves it, even when another part of the same build is ambiguous.
  const ambiguous = (byRoot: Map<string, NamespaceAssignment>) => new Set([...byRoot.values()].map((a) => a.namespace)).size > 1;
  const includers = new Map<string, string[]>();
  for (const node of nodes.values()) {
    for (const included of [...node.files, ...node.children]) includers.set(included, [...(includers.get(included) ?? []), node.file]);
  }
  const holdsAmbiguousFile = new Set<string>();
  const markIncluders = (included: string) => {
    for (const kustomization of includers.get(included) ?? []) {
      if (holdsAmbiguousFile.has(kustomization)) continue;
      holdsAmbiguousFile.add(kustomization);
      markIncluders(kustomization);
    }
  };
  for (const [file, byRoot] of assigned) if (ambiguous(byRoot)) markIncluders(file);
  return {
    namespaceOf(file) {
      const byRoot = assigned.get(file);
      if (!byRoot || byRoot.size === 0 || ambiguous(byRoot)) return undefined;
      const assignments = [...byRoot.values()];
      if (assignments.some((a) => a.setBy !== undefined && holdsAmbiguousFile.has(a.setBy))) return undefined;
      const namespace = assignments[0]!.namespace;
      return namespace === UNSET ? undefined : namespace;
    },
    buildsOf(file) {
      return new Set(assigned.get(file)?.keys() ?? []);
    },
  };
}

/** A remote base (`github.com/org/repo//path?ref=v1`, `https://...`): not in the input, never followed. */
function isRemote(entry: string): boolean {
  return entry.includes('://') || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry) || entry.startsWith('git@');
}
