import type { Path } from '../../loader/parse.js';
import { isBuiltin, type Resource } from './resource.js';
import { isObject } from './values.js';

/**
 * Fill-in values of manifests that are templates for another tool: envsubst and Flux `postBuild` substitution
 * (`${VAR}`, `${VAR:-default}`, `${VAR:=default}`), kustomize vars and Kubernetes' own dependent variables
 * (`$(VAR)`), token replacement in CI pipelines (`__HOST__`, `#{HOST}#`), Jinja/gomplate/Helm leftovers
 * (`{{ .Values.port }}`), README steps (`<your-domain>`), and an upper-case word where a number belongs
 * (`targetPort: PORT`, which a sed step replaces).
 *
 * A placeholder's value is unknown: kubewire cannot tell what the substituted manifest will say, so no finding
 * may depend on it, and no message may print it as if it were data.
 */
export interface Placeholder {
  readonly path: Path;
  readonly text: string;
}

const TEMPLATE_PATTERNS: readonly RegExp[] = [
  /\$\{[A-Za-z_][A-Za-z0-9_]*(?:[:]?[-=?+][^}]*)?\}/, // ${VAR}, ${VAR:-default}, ${VAR:=x}
  /\$\([A-Za-z_][A-Za-z0-9_]*\)/, // $(VAR)
  /__[A-Za-z][A-Za-z0-9_]*__/, // __HOST__
  /#\{[^}]+\}#?/, // #{VAR}# (Azure Pipelines token replacement)
  /\{\{[^}]*\}\}/, // {{ .Values.x }}, {{ var }}
  /<[A-Za-z][A-Za-z0-9 _.-]{2,}>/, // <your-domain>, <PROJECT_ID> (not an HTML tag such as <b>)
  /@[A-Z][A-Z0-9_]*@/, // @VAR@ (autoconf, Maven resource filtering)
];

/**
 * Fields that hold numbers (ports, replicas): a bare upper-case word there is a placeholder, since no valid
 * value looks like that (a named port is an IANA_SVC_NAME, lower-case only: IsValidPortName in
 * k8s.io/apimachinery/pkg/util/validation).
 */
const NUMERIC_FIELDS = new Set([
  'port',
  'targetPort',
  'containerPort',
  'nodePort',
  'hostPort',
  'servicePort',
  'number',
  'replicas',
  'minReplicas',
  'maxReplicas',
]);
const UPPER_CASE_WORD = /^[A-Z][A-Z0-9_]*$/;

/** A character every template pattern needs: most strings have none, and skip the patterns. */
const PLACEHOLDER_CHARACTER = /[$_#{<@]/;

/** The placeholder a scalar value is or holds, if any. */
export function placeholderIn(value: unknown, key: string | number | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (PLACEHOLDER_CHARACTER.test(value)) {
    for (const pattern of TEMPLATE_PATTERNS) {
      const match = pattern.exec(value);
      if (match) return match[0];
    }
  }
  if (typeof key === 'string' && NUMERIC_FIELDS.has(key) && UPPER_CASE_WORD.test(value)) return value;
  return undefined;
}

/**
 * Parts of an object whose placeholders change nothing kubewire checks: what a container runs and is given,
 * free-form annotations and configuration data. A placeholder there is ordinary templating, not a gap.
 */
const OPAQUE_FIELDS = new Set([
  'env',
  'envFrom',
  'args',
  'command',
  'annotations',
  'data',
  'stringData',
  'binaryData',
  'image',
  'resources',
  'volumes',
  'volumeMounts',
  'securityContext',
  'lifecycle',
  'tls',
  'host',
  'hosts',
]);

const cache = new WeakMap<Resource, readonly Placeholder[]>();

/**
 * The placeholders in the fields of a resource that kubewire reads for wiring and validity (names, labels,
 * selectors, ports, references), with their paths relative to the resource.
 */
export function placeholdersOf(resource: Resource): readonly Placeholder[] {
  let found = cache.get(resource);
  if (!found) {
    const out: Placeholder[] = [];
    // A custom resource's spec is its operator's business (a HelmRelease's chart values, a TaskRun's params):
    // only its metadata is read for wiring.
    if (isBuiltin(resource)) walk(resource.object, [], undefined, out);
    else walk({ metadata: resource.object.metadata }, [], undefined, out);
    cache.set(resource, (found = out));
  }
  return found;
}

/** Walks the value with one path stack, copied only for a placeholder found (most values have none). */
function walk(value: unknown, path: (string | number)[], key: string | number | undefined, out: Placeholder[]): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walk(value[i], path, key, out);
      path.pop();
    }
    return;
  }
  if (isObject(value)) {
    for (const k in value) {
      if (!Object.prototype.hasOwnProperty.call(value, k) || OPAQUE_FIELDS.has(k)) continue;
      path.push(k);
      const keyText = placeholderIn(k, undefined);
      if (keyText) out.push({ path: [...path], text: keyText });
      walk(value[k], path, k, out);
      path.pop();
    }
    return;
  }
  const text = placeholderIn(value, key);
  if (text) out.push({ path: [...path], text });
}

/** True when the field at `path` is, holds or lies inside a placeholder of the resource. */
export function touchesPlaceholder(resource: Resource, path: Path): boolean {
  return placeholdersOf(resource).some((p) => isPrefix(p.path, path) || isPrefix(path, p.path));
}

/** True when the name or namespace the resource is written with is a placeholder: its identity is unknown. */
export function identityIsPlaceholder(resource: Resource): boolean {
  return placeholdersOf(resource).some(
    (p) => p.path.length === 2 && p.path[0] === 'metadata' && (p.path[1] === 'name' || p.path[1] === 'namespace'),
  );
}

function isPrefix(prefix: Path, path: Path): boolean {
  if (prefix.length > path.length) return false;
  return prefix.every((segment, i) => path[i] === segment);
}

/**
 * True when a finding depends on a placeholder: it is reported at one, one of its places lies in or around
 * one, or its message would print one as if it were data ("did you mean targetPort: ${PORT}?").
 */
export function dependsOnPlaceholder(places: readonly { resource: Resource; path: Path }[], message: string): boolean {
  for (const { resource, path } of places) {
    if (touchesPlaceholder(resource, path)) return true;
    if (placeholdersOf(resource).some((p) => message.includes(p.text))) return true;
  }
  return false;
}
