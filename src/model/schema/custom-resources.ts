import type { ResourceGraph } from '../graph.js';
import { apiGroup, isBuiltin, type Resource } from '../objects/resource.js';
import { asArray, asObject, asString, getIn, isObject, type JsonObject } from '../objects/values.js';
import type { Minor } from './kubernetes-api.js';
import { ANY, definitionSchema, type ObjectSchema, type Schema } from './schema.js';
import type { ResourceType } from './resource-schema.js';

/**
 * Custom resources validated against the CustomResourceDefinitions of the input, as apiextensions-apiserver does:
 * the `openAPIV3Schema` of the CRD version that matches the object's apiVersion, with its structural-schema
 * extensions (k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/types_jsonschema.go):
 * - `x-kubernetes-preserve-unknown-fields: true`: fields the schema does not list are kept, not rejected (and
 *   a v1beta1 CRD's `spec.preserveUnknownFields`, true by default there, does the same for the whole object);
 * - `x-kubernetes-int-or-string: true`: an integer or a string;
 * - `x-kubernetes-embedded-resource: true`: an object with apiVersion, kind and metadata of its own.
 * `metadata` is always ObjectMeta (the CRD schema may only restrict name), `status` is never checked.
 * Only what the CRD's schema says is checked: types, required fields, enums, unknown fields. An object without
 * a `type` (allowed with the extensions above, or in a non-structural v1beta1 schema) accepts anything.
 */

/** The CRD that defines a custom resource's kind in its group, the last one of the input when there are several. */
export function definingCrd(graph: ResourceGraph, resource: Resource): Resource | undefined {
  let byKind = crdIndexes.get(graph);
  if (!byKind) {
    byKind = new Map();
    for (const crd of graph.ofKind('CustomResourceDefinition')) {
      if (apiGroup(crd.apiVersion) !== 'apiextensions.k8s.io') continue;
      const spec = asObject(crd.object.spec);
      const group = asString(spec?.group);
      const kind = asString(getIn(spec, ['names', 'kind']));
      if (group && kind) byKind.set(`${kind}.${group}`, crd);
    }
    crdIndexes.set(graph, byKind);
  }
  return byKind.get(`${resource.kind}.${apiGroup(resource.apiVersion)}`);
}

const crdIndexes = new WeakMap<ResourceGraph, Map<string, Resource>>();

const compiled = new WeakMap<Resource, Map<string, ObjectSchema | null>>();

/**
 * The type of a custom resource from its CRD in the input; undefined when the input has no CRD for its kind, or
 * the CRD has no schema for its version.
 */
export function customTypeOf(graph: ResourceGraph, resource: Resource, minor: Minor): ResourceType | undefined {
  if (isBuiltin(resource)) return undefined;
  const crd = definingCrd(graph, resource);
  if (!crd) return undefined;
  const version = resource.apiVersion.slice(resource.apiVersion.indexOf('/') + 1);
  let byVersion = compiled.get(crd);
  if (!byVersion) compiled.set(crd, (byVersion = new Map<string, ObjectSchema | null>()));
  let schema = byVersion.get(`${version}@${minor}`);
  if (schema === undefined) {
    schema = compileVersion(crd, version, minor) ?? null;
    byVersion.set(`${version}@${minor}`, schema);
  }
  if (!schema) return undefined;
  return { schema, label: `${resource.apiVersion} ${resource.kind} (CustomResourceDefinition ${crd.name || '(unnamed)'})`, builtin: false };
}

function compileVersion(crd: Resource, version: string, minor: Minor): ObjectSchema | undefined {
  const spec = asObject(crd.object.spec) ?? {};
  const entry = asArray(spec.versions)
    .map(asObject)
    .find((v) => asString(v?.name) === version);
  // apiextensions.k8s.io/v1beta1 had one schema for every version (spec.validation), and a single spec.version.
  const root = asObject(getIn(entry, ['schema', 'openAPIV3Schema'])) ?? asObject(getIn(spec, ['validation', 'openAPIV3Schema']));
  const servesVersion = (entry !== undefined && entry.served !== false) || (entry === undefined && asString(spec.version) === version);
  if (!root || !servesVersion) return undefined;
  const preserveAll =
    apiGroup(crd.apiVersion) === 'apiextensions.k8s.io' && crd.apiVersion.endsWith('/v1beta1') && spec.preserveUnknownFields !== false;
  const schema = fromOpenApi(root, preserveAll, minor, true);
  return schema.type === 'object' ? schema : undefined;
}

function fromOpenApi(node: JsonObject, preserveAll: boolean, minor: Minor, isRoot = false): Schema {
  if (node['x-kubernetes-int-or-string'] === true) return { type: 'int-or-string' };
  const preserve = preserveAll || node['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = node['x-kubernetes-embedded-resource'] === true;
  switch (node.type) {
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean': {
      const values = Array.isArray(node.enum) ? node.enum : undefined;
      return { type: node.type, ...(values ? { enum: values } : {}) };
    }
    case 'array': {
      const items = asObject(node.items);
      let resolved: Schema | undefined;
      return { type: 'array', items: () => (resolved ??= items ? fromOpenApi(items, preserveAll, minor) : ANY) };
    }
    case 'object':
      break;
    default:
      return ANY;
  }
  const properties = asObject(node.properties);
  const additional = node.additionalProperties;
  if (!properties) {
    if (isObject(additional)) {
      let values: Schema | undefined;
      return { type: 'map', values: () => (values ??= fromOpenApi(additional, preserveAll, minor)) };
    }
    if (!embedded) return ANY;
  }
  const fields = new Map<string, Schema>();
  const names = Object.keys(properties ?? {});
  const required = asArray(node.required).filter((r): r is string => typeof r === 'string');
  const implicit = isRoot || embedded;
  return {
    type: 'object',
    open: preserve || additional === true,
    required: implicit ? required.filter((r) => r !== 'apiVersion' && r !== 'kind' && r !== 'metadata') : required,
    fieldNames: () => (implicit ? [...new Set([...names, 'apiVersion', 'kind', 'metadata'])] : names),
    field(name) {
      if (implicit && (name === 'apiVersion' || name === 'kind')) return { type: 'string' };
      if (implicit && name === 'metadata') return definitionSchema('meta.v1.ObjectMeta', minor);
      if (!Object.hasOwn(properties ?? {}, name)) return undefined;
      let schema = fields.get(name);
      if (!schema) {
        const child = asObject(properties![name]);
        schema = child ? fromOpenApi(child, preserveAll, minor) : ANY;
        fields.set(name, schema);
      }
      return schema;
    },
  };
}

/**
 * A custom resource whose CRD in the input does not serve its version (absent from spec.versions, or `served:
 * false`): the API server answers "no matches for kind". Undefined when the version is served or the input has
 * no CRD for the kind (then kubewire cannot tell).
 */
export function unservedCustomVersion(
  graph: ResourceGraph,
  resource: Resource,
): { crd: Resource; served: string[]; listed: boolean } | undefined {
  if (isBuiltin(resource)) return undefined;
  const crd = definingCrd(graph, resource);
  if (!crd) return undefined;
  const spec = asObject(crd.object.spec) ?? {};
  const version = resource.apiVersion.slice(resource.apiVersion.indexOf('/') + 1);
  const entries = asArray(spec.versions)
    .map(asObject)
    .filter((v): v is JsonObject => v !== undefined);
  // apiextensions.k8s.io/v1beta1 may name a single spec.version instead of a list.
  const served =
    entries.length > 0
      ? entries
          .filter((v) => v.served !== false)
          .map((v) => asString(v.name))
          .filter((n): n is string => n !== undefined)
      : [asString(spec.version)].filter((n): n is string => n !== undefined);
  if (served.length === 0 || served.includes(version)) return undefined;
  return { crd, served, listed: entries.some((v) => asString(v.name) === version) };
}

/** Custom resources of the input that no CustomResourceDefinition of the input describes, by `Kind.group`. */
export function customResourcesWithoutSchema(
  graph: ResourceGraph,
  minor: Minor,
  linted: (resource: Resource) => boolean = () => true,
): { count: number; kinds: string[] } {
  const kinds = new Set<string>();
  let count = 0;
  for (const resource of graph.resources) {
    if (isBuiltin(resource) || !linted(resource)) continue;
    if (customTypeOf(graph, resource, minor)) continue;
    // api-version reports a version its CRD does not serve.
    if (unservedCustomVersion(graph, resource)) continue;
    count++;
    kinds.add(`${resource.kind}.${apiGroup(resource.apiVersion)}`);
  }
  return { count, kinds: [...kinds].sort() };
}
