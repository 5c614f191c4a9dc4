import path from 'node:path';
import type { ManifestDocument } from '../../loader/parse.js';
import { apiGroup } from '../objects/resource.js';
import { asArray, asObject, asString, getIn, textOf } from '../objects/values.js';

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
      if (relative && !relative.includes('\n')) found.add(path.join(folder, relative.trim()));
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
 * Files next to a kustomization, or in a folder below one, that no kustomization of the input names in any field. `kustomize build` reads
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
    if (insideKustomizeTree(kustomizationFolders, file) && !named.has(file) && !isKustomization(document)) unlisted.add(file);
  }
  return unlisted;
}

/**
 * True when the file is in a kustomization's folder or below it (`config/crd/patches/` under `config/crd/`, as
 * kubebuilder lays out patches that the kustomization lists commented out).
 */
function insideKustomizeTree(kustomizationFolders: ReadonlySet<string>, file: string): boolean {
  for (let folder = path.dirname(file); ; folder = path.dirname(folder)) {
    if (kustomizationFolders.has(folder)) return true;
    if (path.dirname(folder) === folder) return false;
  }
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
  /**
   * True when some build that includes the file sets a namespace for it, even where builds disagree and the
   * file keeps its written one: its namespace after the build is not what it says.
   */
  namespaceSetByBuild(file: string): boolean;
  /**
   * The files a kustomization's patches apply to: those it includes, and for a Component (which kustomize merges
   * into the kustomization that lists it) those of every kustomization that lists it.
   */
  filesPatchedBy(kustomizationFile: string): ReadonlySet<string>;
  /** The files a kustomization includes, directly or through the kustomizations it includes. */
  filesUnder(kustomizationFile: string): ReadonlySet<string>;
  /** What every build that includes the file does to its labels, selectors and replicas (see BuildTransforms). */
  transformsOf(file: string): BuildTransforms | undefined;
}

/**
 * The transformers of a kustomization that change wiring, as kustomize applies them (sigs.k8s.io/kustomize
 * api/konfig/builtinpluginconsts commonlabels.go fieldSpecs; kubectl.docs.kubernetes.io/references/kustomize/
 * kustomization/commonlabels/, labels/, replicas/):
 * - `commonLabels` adds its pairs to every object's metadata.labels, to pod template labels, and to selectors:
 *   a Service's spec.selector and a workload's spec.selector.matchLabels, created when absent (`create: true`), so
 *   a base Deployment written without a selector gets one); PodDisruptionBudget and NetworkPolicy selectors only
 *   when they exist;
 * - `labels` entries add their pairs to metadata.labels, and to pod templates with `includeTemplates: true`, and
 *   to templates and selectors as commonLabels does with `includeSelectors: true`;
 * - `replicas` sets spec.replicas of the workloads it names.
 * An outer kustomization runs after the inner ones, so its value for a key wins.
 * A file that several builds include gets what `transformsOf` says of them together.
 */
export interface BuildTransforms {
  /** Added to metadata.labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Added to pod template labels. */
  readonly templateLabels: Readonly<Record<string, string>>;
  /** Added to selectors (and created where kustomize creates them). */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** spec.replicas per workload name. */
  readonly replicas: Readonly<Record<string, number>>;
  /** Workload names whose replicas differ between the builds of a file: `replicas` is then the largest. */
  readonly replicasVary?: ReadonlySet<string>;
}

interface KustomizationNode {
  readonly file: string;
  readonly namespace: string | undefined;
  readonly transforms: BuildTransforms;
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
  const components = new Set<string>();
  const raw = new Map<string, { namespace: string | undefined; entries: string[]; transforms: BuildTransforms }>();
  for (const document of documents) {
    const value = asObject(document.value);
    if (!value || !isKustomization(document)) continue;
    const folder = path.dirname(document.file.path);
    kustomizationByFolder.set(folder, document.file.path);
    const entries = ['resources', 'bases', 'components'].flatMap((field) =>
      asArray(value[field])
        .map(asString)
        .filter((e): e is string => !!e && !e.includes('\n') && !isRemote(e))
        .map((e) => path.join(folder, e)),
    );
    if (value.kind === 'Component') components.add(document.file.path);
    raw.set(document.file.path, { namespace: asString(value.namespace) || undefined, entries, transforms: readTransforms(value) });
  }
  const nodes = new Map<string, KustomizationNode>();
  for (const [file, { namespace, entries, transforms }] of raw) {
    const node: KustomizationNode = { file, namespace, transforms, files: [], children: [] };
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
  const transformed = new Map<string, Map<string, BuildTransforms>>();
  for (const root of roots) {
    // `outer`: the transforms of the kustomizations above this one, which run after it and win.
    const visit = (file: string, inherited: NamespaceAssignment | undefined, outer: BuildTransforms, seen: Set<string>) => {
      if (seen.has(file)) return; // a cycle is kustomize's error to report
      seen.add(file);
      const node = nodes.get(file)!;
      const effective = inherited ?? (node.namespace ? { namespace: node.namespace, setBy: file } : undefined);
      const composed = compose(node.transforms, outer);
      for (const member of node.files) {
        let byRoot = assigned.get(member);
        if (!byRoot) assigned.set(member, (byRoot = new Map<string, NamespaceAssignment>()));
        if (!byRoot.has(root)) byRoot.set(root, effective ?? { namespace: UNSET, setBy: undefined });
        let transformsByRoot = transformed.get(member);
        if (!transformsByRoot) transformed.set(member, (transformsByRoot = new Map<string, BuildTransforms>()));
        if (!transformsByRoot.has(root)) transformsByRoot.set(root, composed);
      }
      for (const child of node.children) visit(child, effective, composed, seen);
    };
    visit(root, undefined, NO_TRANSFORMS, new Set());
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
  const filesUnderCache = new Map<string, Set<string>>();
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
    namespaceSetByBuild(file) {
      return [...(assigned.get(file)?.values() ?? [])].some((a) => a.namespace !== UNSET);
    },
    filesPatchedBy(kustomizationFile) {
      if (!components.has(kustomizationFile)) return this.filesUnder(kustomizationFile);
      const files = new Set(this.filesUnder(kustomizationFile));
      for (const includer of includers.get(kustomizationFile) ?? []) for (const f of this.filesUnder(includer)) files.add(f);
      return files;
    },
    filesUnder(kustomizationFile) {
      let files = filesUnderCache.get(kustomizationFile);
      if (!files) {
        files = new Set();
        const seen = new Set<string>();
        const collect = (file: string) => {
          const node = nodes.get(file);
          if (!node || seen.has(file)) return;
          seen.add(file);
          for (const member of node.files) files!.add(member);
          for (const child of node.children) collect(child);
        };
        collect(kustomizationFile);
        filesUnderCache.set(kustomizationFile, files);
      }
      return files;
    },
    transformsOf(file) {
      const byRoot = transformed.get(file);
      if (!byRoot || byRoot.size === 0) return undefined;
      // Builds that transform a shared base differently (overlays with their own labels) are each consistent in
      // themselves, but kubewire sees one copy of the base. It reads them so that no build's wiring looks broken:
      // labels any build adds count as present on the object and its pods, a selector requires only what every
      // build adds (a selector that some build creates is created with the first build's labels), and a replica
      // count that builds set differently is the largest (at least the written one).
      const all = [...byRoot.values()];
      const union = all.reduce(compose);
      const common = all.reduce(intersect);
      const selectorLabels =
        Object.keys(common.selectorLabels).length > 0 || all.some((t) => Object.keys(t.selectorLabels).length === 0)
          ? common.selectorLabels
          : all[0]!.selectorLabels;
      const replicas: Record<string, number> = {};
      const replicasVary = new Set<string>();
      for (const name of new Set(all.flatMap((t) => Object.keys(t.replicas)))) {
        const counts = all.map((t) => t.replicas[name]);
        const set = counts.filter((c): c is number => c !== undefined);
        replicas[name] = Math.max(...set);
        if (set.length < counts.length || new Set(set).size > 1) replicasVary.add(name);
      }
      const merged: BuildTransforms = {
        labels: union.labels,
        templateLabels: union.templateLabels,
        selectorLabels,
        replicas,
        replicasVary,
      };
      return isEmpty(merged) ? undefined : merged;
    },
  };
}

const NO_TRANSFORMS: BuildTransforms = { labels: {}, templateLabels: {}, selectorLabels: {}, replicas: {} };

function readTransforms(kustomization: Record<string, unknown>): BuildTransforms {
  const labels: Record<string, string> = {};
  const templateLabels: Record<string, string> = {};
  const selectorLabels: Record<string, string> = {};
  const replicas: Record<string, number> = {};
  const common = stringPairs(kustomization.commonLabels);
  Object.assign(labels, common);
  Object.assign(templateLabels, common);
  Object.assign(selectorLabels, common);
  for (const entry of asArray(kustomization.labels)) {
    const pairs = stringPairs(asObject(entry)?.pairs);
    const includeSelectors = asObject(entry)?.includeSelectors === true;
    const includeTemplates = includeSelectors || asObject(entry)?.includeTemplates === true;
    Object.assign(labels, pairs);
    if (includeTemplates) Object.assign(templateLabels, pairs);
    if (includeSelectors) Object.assign(selectorLabels, pairs);
  }
  for (const entry of asArray(kustomization.replicas)) {
    const name = asString(asObject(entry)?.name);
    const count = asObject(entry)?.count;
    if (name && typeof count === 'number' && Number.isInteger(count)) replicas[name] = count;
  }
  return { labels, templateLabels, selectorLabels, replicas };
}

/** Label values as kustomize writes them: strings (a number or boolean is its YAML text). */
function stringPairs(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const object = asObject(value);
  if (!object) return out;
  for (const [key, v] of Object.entries(object)) if (v !== null && typeof v !== 'object') out[key] = textOf(v);
  return out;
}

/** `inner` then `outer`: the outer kustomization's values win. */
function compose(inner: BuildTransforms, outer: BuildTransforms): BuildTransforms {
  return {
    labels: { ...inner.labels, ...outer.labels },
    templateLabels: { ...inner.templateLabels, ...outer.templateLabels },
    selectorLabels: { ...inner.selectorLabels, ...outer.selectorLabels },
    replicas: { ...inner.replicas, ...outer.replicas },
  };
}

function intersect(a: BuildTransforms, b: BuildTransforms): BuildTransforms {
  const same = <T>(x: Readonly<Record<string, T>>, y: Readonly<Record<string, T>>) =>
    Object.fromEntries(Object.entries(x).filter(([k, v]) => y[k] === v));
  return {
    labels: same(a.labels, b.labels),
    templateLabels: same(a.templateLabels, b.templateLabels),
    selectorLabels: same(a.selectorLabels, b.selectorLabels),
    replicas: same(a.replicas, b.replicas),
  };
}

function isEmpty(t: BuildTransforms): boolean {
  return [t.labels, t.templateLabels, t.selectorLabels, t.replicas].every((m) => Object.keys(m).length === 0);
}

/** A remote base (`github.com/org/repo//path?ref=v1`, `https://...`): not in the input, never followed. */
function isRemote(entry: string): boolean {
  return entry.includes('://') || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry) || entry.startsWith('git@');
}
