import type { Path } from '../../loader/parse.js';
import type { ResourceGraph } from '../graph.js';
import { stringOnlyValuesOf, stringOnlyValuesOfTemplate } from '../objects/string-fields.js';
import { apiGroup, isBuiltin, type Resource } from '../objects/resource.js';
import { getIn } from '../objects/values.js';
import { workloadSelectorOf } from '../pods/workload-selector.js';
import { customResourcesWithoutSchema, customTypeOf } from './custom-resources.js';
import { newestRelease, parseRelease, type Minor } from './kubernetes-api.js';
import { builtinKindSchema, type ObjectSchema } from './schema.js';
import { validateValue, type SchemaProblem } from './validate.js';

/** The option of the rules that check against a release (schema, api-version); `--kubernetes-version` sets it. */
export const KUBERNETES_VERSION_OPTION = {
  type: 'object',
  additionalProperties: false,
  properties: {
    kubernetesVersion: {
      type: 'string',
      description:
        'The Kubernetes release the objects are applied to ("1.29"); default the newest one kubewire knows. `--kubernetes-version` sets it.',
    },
  },
} as const;

/** The release a rule option names, or the newest one in the data when it names none. */
export function targetRelease(kubernetesVersion: string | undefined): Minor {
  if (kubernetesVersion === undefined || kubernetesVersion === '') return newestRelease();
  const parsed = parseRelease(kubernetesVersion);
  if ('problem' in parsed) throw new Error(parsed.problem);
  return parsed.minor;
}

/** `apps/v1`, `v1` split into group and version. */
export function groupVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The type an object is validated against, and how messages name it (`apps/v1 Deployment`). */
export interface ResourceType {
  readonly schema: ObjectSchema;
  readonly label: string;
  /** True for a built-in kind (whose type depends on the release), false for a CRD's. */
  readonly builtin: boolean;
}

/**
 * The type of a built-in object in a release; undefined when the release does not serve its group/version/kind
 * (the api-version rule says so) or the group is not a built-in one.
 */
export function builtinTypeOf(resource: Resource, minor: Minor): ResourceType | undefined {
  if (!isBuiltin(resource)) return undefined;
  const { group, version } = groupVersion(resource.apiVersion);
  const schema = builtinKindSchema(group, version, resource.kind, minor);
  return schema ? { schema, label: `${resource.apiVersion} ${resource.kind}`, builtin: true } : undefined;
}

/**
 * One line for the user about the custom resources no schema checked (kubewire cannot know their types without
 * their CustomResourceDefinitions), or undefined when every object was checked.
 */
/** `linted`: the resources the run reports on (not those of cross-file context). */
export function uncheckedCustomResourcesNote(
  graph: ResourceGraph,
  kubernetesVersion: string | undefined,
  linted?: (resource: Resource) => boolean,
): string | undefined {
  const { count, kinds } = customResourcesWithoutSchema(graph, targetRelease(kubernetesVersion), linted);
  if (count === 0) return undefined;
  const shown = kinds.length > 5 ? `${kinds.slice(0, 5).join(', ')} and ${kinds.length - 5} more` : kinds.join(', ');
  return `${count} custom resource${count === 1 ? '' : 's'} not checked against a schema: the input has no CustomResourceDefinition for ${shown} (lint ${count === 1 ? 'it' : 'them'} together with the CRDs to check ${count === 1 ? 'it' : 'them'})`;
}

/** The type of an object: its built-in kind's, or its CustomResourceDefinition's when the input has one. */
export function typeOf(resource: Resource, graph: ResourceGraph, minor: Minor): ResourceType | undefined {
  return isBuiltin(resource) ? builtinTypeOf(resource, minor) : customTypeOf(graph, resource, minor);
}

/**
 * Problems of one object against its type. `status` is skipped: it is written by controllers, `kubectl get -o
 * yaml` exports carry it, and the API server ignores it on create and update of the object.
 *
 * A problem that another rule reports in its own, better words is left out, so one mistake gives one finding:
 * - booleans and numbers in string-only fields (labels, env values, args...): yaml-implicit-boolean;
 * - a Service's type, traffic policies and session affinity: service-type-fields;
 * - a Service port's name, port, protocol and targetPort: service-port-names;
 * - a containerPort: container-port-names;
 * - a workload's missing spec.selector and its matchExpressions: workload-selector.
 */
export function problemsOf(resource: Resource, type: ResourceType, graph: ResourceGraph): SchemaProblem[] {
  // Worked out on the first problem only: most objects have none.
  let ownedOnce: OwnedPaths | undefined;
  const ownedElsewhere = (problem: SchemaProblem): boolean => {
    const owned = (ownedOnce ??= ownedPaths(resource, graph));
    const at = problem.code === 'required' ? [...problem.path, problem.field] : problem.path;
    const key = pathKey(at);
    if (owned.all.has(key)) return true;
    if (problem.code === 'required' && owned.required.has(key)) return true;
    for (let i = 1; i < at.length; i++) if (owned.below.has(pathKey(at.slice(0, i)))) return true;
    if (problem.code === 'wrongType' && owned.stringOnly.has(key))
      return typeof problem.value === 'boolean' || typeof problem.value === 'number';
    return false;
  };
  const { status: _status, ...object } = resource.object;
  return validateValue(object, type.schema, [], { ownedElsewhere });
}

function pathKey(path: Path): string {
  return path.join('\u0000');
}

interface OwnedPaths {
  /** Paths whose problems another rule reports. */
  readonly all: Set<string>;
  /** Fields whose absence another rule reports. */
  readonly required: Set<string>;
  /** Paths everything below which another rule reports. */
  readonly below: Set<string>;
  /** String-only fields where yaml-implicit-boolean reports booleans and numbers. */
  readonly stringOnly: Set<string>;
}

function ownedPaths(resource: Resource, graph: ResourceGraph): OwnedPaths {
  const all = new Set<string>();
  const below = new Set<string>();
  const required = new Set<string>();
  const stringOnly = new Set<string>();
  // workload-selector: a missing selector where one is required, and every selector expression.
  const selector = workloadSelectorOf(resource);
  if (selector) {
    required.add(pathKey(selector.path));
    below.add(pathKey([...selector.path, 'matchExpressions']));
  }
  for (const found of stringOnlyValuesOf(resource)) stringOnly.add(pathKey(found.path));
  for (const template of graph.podTemplatesOf(resource)) {
    for (const found of stringOnlyValuesOfTemplate(template)) stringOnly.add(pathKey(found.path));
    for (const container of template.containers) for (const port of container.ports) all.add(pathKey([...port.path, 'containerPort']));
  }
  if (resource.kind === 'Service' && apiGroup(resource.apiVersion) === '') {
    for (const field of ['type', 'externalTrafficPolicy', 'internalTrafficPolicy', 'sessionAffinity']) all.add(pathKey(['spec', field]));
    const ports = getIn(resource.object, ['spec', 'ports']);
    if (Array.isArray(ports)) {
      ports.forEach((_, i) => {
        for (const field of ['name', 'port', 'protocol', 'targetPort']) all.add(pathKey(['spec', 'ports', i, field]));
      });
    }
  }
  return { all, required, below, stringOnly };
}
