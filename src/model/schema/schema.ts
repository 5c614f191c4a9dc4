import {
  definition,
  definitionOfKind,
  describeReleases,
  fieldVariants,
  servesIn,
  type CompactDefinition,
  type CompactField,
  type CompactNode,
  type Minor,
} from './kubernetes-api.js';

/**
 * A type as the validator walks it, whether it comes from the built-in API data or from a CustomResourceDefinition's
 * openAPIV3Schema. Children are resolved on demand (definitions are recursive: JSONSchemaProps holds itself).
 */
export type Schema =
  | { readonly type: 'any' }
  | ScalarSchema
  | { readonly type: 'int-or-string' }
  | { readonly type: 'quantity' }
  | { readonly type: 'array'; items(): Schema }
  | { readonly type: 'map'; values(): Schema }
  | ObjectSchema;

export interface ScalarSchema {
  readonly type: 'string' | 'integer' | 'number' | 'boolean';
  /** The values the API server accepts; "" (unset, defaulted before validation) is always accepted too. */
  readonly enum?: readonly unknown[];
  /** `byte`: a []byte, which JSON carries as standard base64. */
  readonly format?: 'byte';
}

export interface ObjectSchema {
  readonly type: 'object';
  /** The type of a field, or undefined when the object has no such field. */
  field(name: string): Schema | undefined;
  fieldNames(): readonly string[];
  readonly required: readonly string[];
  /** x-kubernetes-preserve-unknown-fields: fields not listed are kept, not rejected. */
  readonly open: boolean;
  /** The built-in definition it is (`meta.v1.LabelSelector`), for messages. */
  readonly definition?: string;
  /** Releases that serve a field this release does not ("1.27 and later"), for messages; built-in types only. */
  otherReleasesOf?(name: string): string | undefined;
}

export const ANY: Schema = { type: 'any' };

const SCALARS: Readonly<Record<string, Schema>> = {
  s: { type: 'string' },
  i: { type: 'integer' },
  n: { type: 'number' },
  b: { type: 'boolean' },
  y: { type: 'string', format: 'byte' },
  ios: { type: 'int-or-string' },
  q: { type: 'quantity' },
  '*': ANY,
};

/** The type of a built-in kind in a release, or undefined when the release does not serve that group/version/kind. */
export function builtinKindSchema(group: string, version: string, kind: string, minor: Minor): ObjectSchema | undefined {
  // Asked for every built-in object: kept by kind, as the definitions are (below).
  const key = `${group}/${version}/${kind}@${minor}`;
  if (kindSchemas.has(key)) return kindSchemas.get(key);
  const name = definitionOfKind(group, version, kind, minor);
  const schema = name ? definitionSchema(name, minor) : undefined;
  const found = schema?.type === 'object' ? schema : undefined;
  if (kindSchemas.size >= 10_000) kindSchemas.clear();
  kindSchemas.set(key, found);
  return found;
}

const kindSchemas = new Map<string, ObjectSchema | undefined>();

const cache = new Map<string, Schema>();

/** The type of a named definition (`core.v1.Container`) in a release. */
export function definitionSchema(name: string, minor: Minor): Schema {
  const key = `${name}@${minor}`;
  let schema = cache.get(key);
  if (!schema) {
    const def = definition(name);
    schema = def ? fromDefinition(def, minor, name) : ANY;
    cache.set(key, schema);
  }
  return schema;
}

function fromDefinition(def: CompactDefinition, minor: Minor, name?: string): Schema {
  if (def.n !== undefined) {
    const node = variantIn(def, def.n, minor);
    return node === undefined ? ANY : fromNode(node, minor);
  }
  if (!def.p) return ANY;
  const fields = def.p;
  const names = Object.keys(fields).filter((f) => variantIn(def, fields[f]!, minor) !== undefined);
  const resolved = new Map<string, Schema>();
  const required = (def.r ?? [])
    .filter((r) => typeof r === 'string' || servesIn(r[1], minor))
    .map((r) => (typeof r === 'string' ? r : r[0]));
  return {
    type: 'object',
    open: false,
    ...(name ? { definition: name } : {}),
    required,
    fieldNames: () => names,
    field(name) {
      if (!Object.hasOwn(fields, name)) return undefined;
      let schema = resolved.get(name);
      if (!schema) {
        const node = variantIn(def, fields[name]!, minor);
        if (node === undefined) return undefined;
        schema = fromNode(node, minor);
        resolved.set(name, schema);
      }
      return schema;
    },
    otherReleasesOf(name) {
      if (!Object.hasOwn(fields, name)) return undefined;
      const releases = fieldVariants(def, fields[name]!)
        .map(([, r]) => r)
        .join(',');
      return describeReleases(releases);
    },
  };
}

function variantIn(def: CompactDefinition, field: CompactField, minor: Minor): CompactNode | undefined {
  for (const [node, releases] of fieldVariants(def, field)) if (servesIn(releases, minor)) return node;
  return undefined;
}

function fromNode(node: CompactNode, minor: Minor): Schema {
  if (typeof node === 'string') {
    if (node.startsWith('#')) return definitionSchema(node.slice(1), minor);
    return SCALARS[node] ?? ANY;
  }
  if ('a' in node) {
    let items: Schema | undefined;
    return { type: 'array', items: () => (items ??= fromNode(node.a, minor)) };
  }
  if ('m' in node) {
    let values: Schema | undefined;
    return { type: 'map', values: () => (values ??= fromNode(node.m, minor)) };
  }
  if ('e' in node) return { type: 'string', enum: node.e };
  return fromDefinition({ v: `${minor}`, p: node.p, ...(node.r ? { r: node.r } : {}) }, minor);
}
