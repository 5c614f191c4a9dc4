import type { ManifestDocument, Path, ScalarSource } from '../../loader/parse.js';
import type { SourceRange } from '../../loader/source.js';
import { asObject, asString, asStringMap, isObject, type JsonObject } from './values.js';

/** One Kubernetes object from the input, wherever it came from (a document, or an item of a `kind: List`). */
export interface Resource {
  readonly apiVersion: string;
  readonly kind: string;
  /** metadata.name; '' when absent (e.g. generateName only). */
  readonly name: string;
  /** The namespace the object lands in: metadata.namespace, else the default (`--namespace`); '' when cluster-scoped. */
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly object: JsonObject;
  readonly document: ManifestDocument;
  /** Where the object sits in its document: [] for a plain document, ['items', i] for a List item. */
  readonly basePath: Path;
  /** `Kind/namespace/name`, the identity `kubectl apply` uses (with the API group, see `key`). */
  readonly key: string;
}

/** Built-in kinds that have no namespace; a namespace given on them is ignored by the API server. */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'APIService',
  'PriorityClass',
  'RuntimeClass',
  'IngressClass',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'CertificateSigningRequest',
  'ComponentStatus',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'IPAddress',
  'ServiceCIDR',
  'DeviceClass',
  'ResourceSlice',
  'PodSecurityPolicy',
  'ClusterIssuer',
  'GatewayClass',
]);

/** The API group of an apiVersion: '' for the core group (`v1`). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

const BUILTIN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'apiextensions.k8s.io',
  'admissionregistration.k8s.io',
  'scheduling.k8s.io',
  'node.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'certificates.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'apiregistration.k8s.io',
  'resource.k8s.io',
  'extensions',
]);

/** True for objects of an API group Kubernetes itself serves (not a CRD's). */
export function isBuiltin(resource: Resource): boolean {
  return BUILTIN_GROUPS.has(apiGroup(resource.apiVersion));
}

/** True for an API group Kubernetes itself serves ('' is the core group). */
export function isBuiltinGroup(group: string): boolean {
  return BUILTIN_GROUPS.has(group);
}

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

/** A document that looks like it wants to be a Kubernetes object but is not well-formed. */
export interface MalformedObject {
  readonly document: ManifestDocument;
  readonly path: Path;
  readonly message: string;
}

export interface ExtractedResources {
  resources: Resource[];
  malformed: MalformedObject[];
}

/**
 * The Kubernetes objects in a document. Documents without apiVersion and kind (a values.yaml, a workflow
 * file) are not manifests and are skipped quietly, so pointing kubewire at a whole repository works.
 */
export function extractResources(document: ManifestDocument, defaultNamespace: string, buildNamespace?: string): ExtractedResources {
  const out: ExtractedResources = { resources: [], malformed: [] };
  if (!document.usable) return out;
  collect(document, document.value, [], { defaultNamespace, buildNamespace }, out, true);
  return out;
}

/**
 * Where namespaced objects land: `buildNamespace` (a kustomization's `namespace:`, which replaces the written
 * one, see kustomize/builds.ts), else metadata.namespace, else `defaultNamespace`.
 */
interface NamespaceRule {
  readonly defaultNamespace: string;
  readonly buildNamespace: string | undefined;
}

function collect(
  document: ManifestDocument,
  value: unknown,
  basePath: Path,
  namespaces: NamespaceRule,
  out: ExtractedResources,
  topLevel: boolean,
  itemType?: { apiVersion: string; kind: string },
): void {
  if (!isObject(value)) {
    if (!topLevel) out.malformed.push({ document, path: basePath, message: 'a List item must be an object' });
    return;
  }
  const hasApiVersion = 'apiVersion' in value;
  const hasKind = 'kind' in value;
  if (topLevel && !hasApiVersion && !hasKind) return;
  // A document with only one of the two is a Kubernetes object that lost the other only when it looks like one
  // (a metadata object beside it); otherwise it is another tool's file that happens to use the word: a chart's
  // values.yaml (`kind: DaemonSet`), Grafana provisioning (`apiVersion: 1`). Those are skipped quietly.
  if (topLevel && hasApiVersion !== hasKind && !isObject(value.metadata)) return;
  // Items of a typed list (DeploymentList, as the API returns it) may omit apiVersion and kind: they are the
  // list's type (apimachinery decodes them into the list's item type).
  const apiVersion = hasApiVersion ? asString(value.apiVersion) : itemType?.apiVersion;
  const kind = hasKind ? asString(value.kind) : itemType?.kind;
  if (!apiVersion || !kind) {
    const field = !kind ? 'kind' : 'apiVersion';
    out.malformed.push({
      document,
      path: [...basePath, field],
      message: `"${field}" must be a non-empty string (found ${describe(value[field])})`,
    });
    return;
  }
  // kind: List (kubectl get -o yaml) and typed lists (DeploymentList...) carry their objects in items.
  if (kind === 'List' || (kind.endsWith('List') && Array.isArray(value.items))) {
    const items = Array.isArray(value.items) ? value.items : [];
    const typed = kind === 'List' ? undefined : { apiVersion, kind: kind.slice(0, -'List'.length) };
    items.forEach((item, i) => collect(document, item, [...basePath, 'items', i], namespaces, out, false, typed));
    return;
  }
  if ('metadata' in value && !isObject(value.metadata)) {
    out.malformed.push({
      document,
      path: [...basePath, 'metadata'],
      message: `"metadata" must be an object (found ${describe(value.metadata)})`,
    });
    return;
  }
  const metadata = asObject(value.metadata) ?? {};
  const name = asString(metadata.name) ?? '';
  const namespace = isClusterScoped(kind) ? '' : namespaces.buildNamespace || asString(metadata.namespace) || namespaces.defaultNamespace;
  out.resources.push({
    apiVersion,
    kind,
    name,
    namespace,
    labels: asStringMap(metadata.labels) ?? {},
    object: value,
    document,
    basePath,
    key: `${apiGroup(apiVersion)}/${kind}/${namespace}/${name}`,
  });
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`.slice(0, 60);
}

/** `Deployment/web`, `Service/shop/api`: how messages name a resource. */
export function resourceLabel(resource: Resource, withNamespace = false): string {
  const name = resource.name || '(unnamed)';
  return withNamespace && resource.namespace ? `${resource.kind}/${resource.namespace}/${name}` : `${resource.kind}/${name}`;
}

/** Where a field of a resource is in its file. */
export function locateField(resource: Resource, path: Path): { file: string; range: SourceRange; exact: boolean } {
  const located = resource.document.locate([...resource.basePath, ...path]);
  return { file: resource.document.file.path, ...located };
}

/** How the scalar at a field of a resource was written (quoted or plain, and its text), for YAML-spelling rules. */
export function scalarSourceOf(resource: Resource, path: Path): ScalarSource | undefined {
  return resource.document.scalarSource([...resource.basePath, ...path]);
}
