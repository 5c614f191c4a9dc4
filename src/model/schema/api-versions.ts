import { isBuiltinGroup } from '../objects/resource.js';
import { nearestName } from '../evidence/nearest-name.js';
import {
  describeReleases,
  listKinds,
  newestRelease,
  rangesOf,
  releasesOfKind,
  servesIn,
  versionsOfKind,
  type Minor,
} from './kubernetes-api.js';

/**
 * Whether a release serves a built-in group/version/kind, read from the union of every release's API
 * (schemas/kubernetes.json): removed versions name the release that removed them and the version that replaces
 * them, deprecated ones (served now, removed by a later release) the release that will remove them.
 */
export type ApiVersionStatus =
  | { readonly status: 'served' }
  | { readonly status: 'deprecated'; readonly removedIn: Minor; readonly replacement?: Replacement }
  | { readonly status: 'removed'; readonly removedIn: Minor; readonly served: string; readonly replacement?: Replacement }
  | { readonly status: 'notYet'; readonly addedIn: Minor; readonly replacement?: Replacement }
  /** The kind exists in the group, never under this version. */
  | { readonly status: 'unknownVersion'; readonly versions: readonly Replacement[] }
  /** No release has this kind in this group; `elsewhere` is the kind in another group, `closest` a near name. */
  | { readonly status: 'unknownKind'; readonly closest?: string; readonly elsewhere?: Replacement };

export interface Replacement {
  readonly apiVersion: string;
  readonly kind: string;
  /** The releases that serve it, for messages ("1.19 and later"). */
  readonly served: string;
  /** What changes when moving to it, when something does (from MIGRATIONS). */
  readonly changes?: string;
  /** When this one is itself removed later: the version that lasts, served only by later releases. */
  readonly later?: Replacement;
}

/** The status of an apiVersion and kind in a release; undefined for groups Kubernetes does not serve itself. */
/**
 * Statuses by apiVersion, kind and release: a pure function of the three, asked for every object, and a
 * repository has a few dozen distinct pairs (the ranges of releases are parsed again on each computation).
 */
const statuses = new Map<string, ApiVersionStatus | undefined>();

export function apiVersionStatus(apiVersion: string, kind: string, minor: Minor): ApiVersionStatus | undefined {
  const key = `${apiVersion}\u0000${kind}\u0000${minor}`;
  if (statuses.has(key)) return statuses.get(key);
  const status = computeApiVersionStatus(apiVersion, kind, minor);
  // Bounded: a stream of made-up kinds (a fuzzer's) must not grow it without end.
  if (statuses.size >= 10_000) statuses.clear();
  statuses.set(key, status);
  return status;
}

function computeApiVersionStatus(apiVersion: string, kind: string, minor: Minor): ApiVersionStatus | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  if (!isBuiltinGroup(group)) return undefined;
  const releases = releasesOfKind(group, version, kind);
  if (!releases) {
    const others = versionsOfKind(kind);
    const sameGroup = others.filter((v) => v.group === group);
    if (sameGroup.length > 0)
      return { status: 'unknownVersion', versions: rank(sameGroup, group, version).map((v) => toReplacement(v, kind, apiVersion)) };
    const elsewhere = others.length > 0 ? rank(others, group, version)[0] : undefined;
    if (elsewhere) return { status: 'unknownKind', elsewhere: toReplacement(elsewhere, kind, apiVersion) };
    const closest = closestKind(kind, group);
    return { status: 'unknownKind', ...(closest ? { closest } : {}) };
  }
  // The version to move to: one the target release serves, preferably one no later release removes; when
  // that lasting one comes only in a later release, it is named too.
  const lasting = (v: { releases: string }) => Math.max(...rangesOf(v.releases).map(([, to]) => to)) >= newestRelease();
  const replacementIn = (at: Minor): { replacement?: Replacement } => {
    const others = versionsOfKind(kind).filter((v) => !(v.group === group && v.version === version));
    const inTarget = rank(
      others.filter((v) => servesIn(v.releases, at)),
      group,
      version,
    );
    const best = inTarget.find(lasting) ?? inTarget[0];
    const later = best && lasting(best) ? undefined : rank(others.filter(lasting), group, version)[0];
    if (!best && !later) return {};
    if (!best) return { replacement: toReplacement(later!, kind, apiVersion) };
    return {
      replacement: { ...toReplacement(best, kind, apiVersion), ...(later ? { later: toReplacement(later, kind, apiVersion) } : {}) },
    };
  };
  if (servesIn(releases, minor)) {
    const last = Math.max(...rangesOf(releases).map(([, to]) => to));
    if (last >= newestRelease()) return { status: 'served' };
    return { status: 'deprecated', removedIn: last + 1, ...replacementIn(minor) };
  }
  const first = Math.min(...rangesOf(releases).map(([from]) => from));
  if (minor < first) return { status: 'notYet', addedIn: first, ...replacementIn(minor) };
  const lastBefore = Math.max(
    ...rangesOf(releases)
      .map(([, to]) => to)
      .filter((to) => to < minor),
  );
  return { status: 'removed', removedIn: lastBefore + 1, served: describeReleases(releases), ...replacementIn(minor) };
}

/**
 * The best version to move to first: the same group, then stable (v1, v2) before beta before alpha, then the
 * same major version (v2beta2 → v2), then the newest.
 */
function rank<T extends { group: string; version: string }>(candidates: readonly T[], group: string, version: string): T[] {
  const major = (v: string) => Number(/^v(\d+)/.exec(v)?.[1] ?? 0);
  const stability = (v: string) => (/alpha/.test(v) ? 0 : /beta/.test(v) ? 1 : 2);
  const score = (c: T) => [c.group === group ? 1 : 0, stability(c.version), major(c.version) === major(version) ? 1 : 0, major(c.version)];
  return [...candidates].sort((a, b) => {
    const [x, y] = [score(a), score(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return y[i]! - x[i]!;
    return 0;
  });
}

function toReplacement(v: { group: string; version: string; releases: string }, kind: string, from: string): Replacement {
  const apiVersion = v.group ? `${v.group}/${v.version}` : v.version;
  const changes = MIGRATIONS.find((m) => m.kinds.includes(kind) && m.from.includes(from) && m.to === apiVersion)?.changes;
  return { apiVersion, kind, served: describeReleases(v.releases), ...(changes ? { changes } : {}) };
}

/** A kind name of the group close to a mistyped one (`Deploymnet` → `Deployment`): only a near miss counts. */
function closestKind(kind: string, group: string): string | undefined {
  const kinds = [...new Set(kindNamesOfGroup(group))];
  const sameLetters = kinds.find((k) => k.toLowerCase() === kind.toLowerCase());
  if (sameLetters) return sameLetters;
  // Tighter than field names (same length give or take one, five letters or more): OpenShift's legacy
  // `v1 Template` must not become PodTemplate, nor `v1 Route` Role.
  const near = nearestName(kind, kinds);
  return near && Math.abs(near.length - kind.length) <= 1 && kind.length >= 5 ? near : undefined;
}

function kindNamesOfGroup(group: string): string[] {
  return listKinds()
    .filter((k) => k.group === group)
    .map((k) => k.kind);
}

/**
 * What changes for a manifest moving from one API version to its replacement, where more than the apiVersion
 * line does. Sources: the Deprecated API Migration Guide (kubernetes.io/docs/reference/using-api/
 * deprecation-guide/) and the types of each version (k8s.io/api).
 */
const MIGRATIONS: readonly { kinds: readonly string[]; from: readonly string[]; to: string; changes: string }[] = [
  {
    kinds: ['Ingress'],
    from: ['extensions/v1beta1', 'networking.k8s.io/v1beta1'],
    to: 'networking.k8s.io/v1',
    changes:
      'backend.serviceName and backend.servicePort became backend.service.name and backend.service.port.number (or .port.name), spec.backend became spec.defaultBackend, and every path needs a pathType (Prefix, Exact or ImplementationSpecific)',
  },
  {
    kinds: ['Deployment', 'DaemonSet', 'ReplicaSet', 'StatefulSet'],
    from: ['extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2'],
    to: 'apps/v1',
    changes: 'spec.selector is required (it is no longer defaulted from the template labels) and cannot be changed later',
  },
  {
    kinds: ['PodDisruptionBudget'],
    from: ['policy/v1beta1'],
    to: 'policy/v1',
    changes: 'an empty spec.selector ({}) selects every pod of the namespace (in v1beta1 it selected none)',
  },
  {
    kinds: ['HorizontalPodAutoscaler'],
    from: ['autoscaling/v2beta1'],
    to: 'autoscaling/v2',
    changes:
      'metric targets are written as target: {type: Utilization, averageUtilization: N} (or Value, AverageValue) instead of targetAverageUtilization and targetAverageValue',
  },
  {
    kinds: ['CustomResourceDefinition'],
    from: ['apiextensions.k8s.io/v1beta1'],
    to: 'apiextensions.k8s.io/v1',
    changes:
      'each spec.versions[] entry carries its own schema.openAPIV3Schema, which must be structural, and spec.preserveUnknownFields: true is no longer allowed',
  },
];
