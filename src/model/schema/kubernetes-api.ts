import { existsSync, readFileSync } from 'node:fs';

/**
 * The built-in Kubernetes API of every release from v1.14 to the newest, as scripts/gen-schemas.mjs writes it to
 * schemas/kubernetes.json: one union in which each definition, field, required entry and group/version/kind
 * carries the releases (minor versions, "16-21,23-36") that serve it. Read once, on first use, so that runs
 * with no built-in object never parse it.
 *
 * The file sits at the package root; this module is three levels below it both as source (src/model/schema)
 * and as built code (dist/model/schema).
 */
/**
 * The shipped data, `schemas/kubernetes.json` at the package root: found by walking up from this module, which
 * runs from `dist/model/schema/` in the package and from `action/dist/` in the Action's bundle.
 */
function dataFile(): URL {
  for (let folder = new URL('./', import.meta.url); ; folder = new URL('../', folder)) {
    const candidate = new URL('schemas/kubernetes.json', folder);
    if (existsSync(candidate)) return candidate;
    if (folder.pathname === '/') throw new Error('kubewire cannot find its schemas/kubernetes.json; reinstall the package');
  }
}

/** A compact schema node; see scripts/gen-schemas.mjs `compact` for the forms. */
export type CompactNode =
  string | { readonly a: CompactNode } | { readonly m: CompactNode } | { readonly e: readonly string[] } | CompactObject;
export interface CompactObject {
  readonly p: Readonly<Record<string, CompactField>>;
  readonly r?: readonly (string | readonly [string, string])[];
}
/** A field that every release of its definition serves, or its variants with the releases of each. */
export type CompactField = CompactNode | readonly (readonly [CompactNode, string])[];

export interface CompactDefinition {
  /** The releases that have this definition. */
  readonly v: string;
  readonly p?: Readonly<Record<string, CompactField>>;
  readonly r?: readonly (string | readonly [string, string])[];
  /** A definition that is not an object with fields (a list, a map, a scalar), per release. */
  readonly n?: CompactField;
}

interface KubernetesApiData {
  /** "1.14" ... "1.36". */
  readonly releases: readonly string[];
  /** "group/version/Kind" ("" group for core) -> definition and releases, or several such pairs. */
  readonly kinds: Readonly<Record<string, readonly [string, string] | readonly (readonly [string, string])[]>>;
  readonly defs: Readonly<Record<string, CompactDefinition>>;
}

let data: KubernetesApiData | undefined;

function api(): KubernetesApiData {
  data ??= JSON.parse(readFileSync(dataFile(), 'utf8')) as KubernetesApiData;
  return data;
}

/** A Kubernetes release by its minor version: 29 is v1.29. */
export type Minor = number;

/** Every release in the data, oldest first. */
let releases: readonly Minor[] | undefined;

export function knownReleases(): readonly Minor[] {
  releases ??= api().releases.map((r) => Number(r.split('.')[1]));
  return releases;
}

export function newestRelease(): Minor {
  const all = knownReleases();
  return all[all.length - 1]!;
}

/**
 * The release a `--kubernetes-version` names ("1.29", "v1.29", "1.29.3"), or a sentence saying why it is not one
 * kubewire knows.
 */
export function parseRelease(text: string): { minor: Minor } | { problem: string } {
  const match = /^v?1\.(\d+)(\.\d+)?$/.exec(text.trim());
  const all = knownReleases();
  const span = `1.${all[0]} to 1.${all[all.length - 1]}`;
  if (!match) return { problem: `"${text}" is not a Kubernetes version (write it as 1.${all[all.length - 1]}; kubewire knows ${span})` };
  const minor = Number(match[1]);
  if (!all.includes(minor)) return { problem: `Kubernetes ${text} is not one kubewire knows (it knows ${span})` };
  return { minor };
}

export function releaseName(minor: Minor): string {
  return `1.${minor}`;
}

const parsedRanges = new Map<string, readonly (readonly [number, number])[]>();

/** The [from, to] pairs of a release set written "16-21,23-36". */
export function rangesOf(text: string): readonly (readonly [number, number])[] {
  let ranges = parsedRanges.get(text);
  if (!ranges) {
    ranges = text.split(',').map((part) => {
      const [from, to] = part.split('-');
      return [Number(from), Number(to ?? from)] as const;
    });
    parsedRanges.set(text, ranges);
  }
  return ranges;
}

export function servesIn(releases: string, minor: Minor): boolean {
  return rangesOf(releases).some(([from, to]) => minor >= from && minor <= to);
}

/** "1.16 to 1.21", "1.27 and later", "1.14 to 1.15 and 1.18". */
export function describeReleases(releases: string): string {
  const newest = newestRelease();
  return rangesOf(releases)
    .map(([from, to]) =>
      from === to ? releaseName(from) : to === newest ? `${releaseName(from)} and later` : `${releaseName(from)} to ${releaseName(to)}`,
    )
    .join(', ');
}

/** The definition a group/version/kind has in a release, or undefined when that release does not serve it. */
export function definitionOfKind(group: string, version: string, kind: string, minor: Minor): string | undefined {
  for (const [name, releases] of kindEntries(`${group}/${version}/${kind}`)) if (servesIn(releases, minor)) return name;
  return undefined;
}

/** Every release that serves a group/version/kind, as a release set ("14-21"), or undefined when none does. */
export function releasesOfKind(group: string, version: string, kind: string): string | undefined {
  const entries = kindEntries(`${group}/${version}/${kind}`);
  if (entries.length === 0) return undefined;
  return entries.map(([, releases]) => releases).join(',');
}

function kindEntries(key: string): readonly (readonly [string, string])[] {
  const entry = Object.hasOwn(api().kinds, key) ? api().kinds[key] : undefined;
  if (!entry) return [];
  return typeof entry[0] === 'string' ? [entry as readonly [string, string]] : (entry as readonly (readonly [string, string])[]);
}

/** Every group/version serving a kind name in any release: `[{ group: 'networking.k8s.io', version: 'v1', releases }]`. */
export function versionsOfKind(kind: string): { group: string; version: string; releases: string }[] {
  const out: { group: string; version: string; releases: string }[] = [];
  for (const key of Object.keys(api().kinds)) {
    const [group, version, k] = key.split('/') as [string, string, string];
    if (k !== kind) continue;
    out.push({
      group,
      version,
      releases: kindEntries(key)
        .map(([, r]) => r)
        .join(','),
    });
  }
  return out;
}

/** Every group/version/kind of the data, in any release. */
export function listKinds(): { group: string; version: string; kind: string }[] {
  return Object.keys(api().kinds).map((key) => {
    const [group, version, kind] = key.split('/') as [string, string, string];
    return { group, version, kind };
  });
}

export function definition(name: string): CompactDefinition | undefined {
  const defs = api().defs;
  return Object.hasOwn(defs, name) ? defs[name] : undefined;
}

/** The variants of a field with the releases of each (the definition's own releases when the field has one form). */
export function fieldVariants(def: CompactDefinition, field: CompactField): readonly (readonly [CompactNode, string])[] {
  return Array.isArray(field) ? (field as readonly (readonly [CompactNode, string])[]) : [[field as CompactNode, def.v]];
}
