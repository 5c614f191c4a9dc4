import type { Path } from '../../loader/parse.js';
import type { PodTemplate } from '../pods/pod-template.js';
import { isBuiltin, type Resource } from './resource.js';
import { asArray, asString, getIn, isObject, type JsonObject } from './values.js';

/**
 * Fields where the Kubernetes API accepts only a string (Go `string`, `map[string]string`, `[]string`, or
 * `map[string][]byte`, which JSON carries as a base64 string).
 *
 * kubectl (and Helm, which uses the same client code) turns YAML into JSON with sigs.k8s.io/yaml.YAMLToJSON,
 * without a target type, so a YAML scalar that resolves to a bool or a number reaches the API server as a JSON
 * bool or number. The server decodes the body into the typed object and rejects it:
 * `json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string`
 * (kubernetes/kubernetes#34146). Custom resources go through the same ObjectMeta decoding for their metadata
 * (apiextensions-apiserver, unstructuredSchemaCoercer).
 *
 * A JSON null is not a rejection: encoding/json leaves a string at "" when it decodes null, so `key:` with no
 * value becomes an empty label or annotation value.
 */
export interface StringOnlyValue {
  /** Path from the resource root. */
  readonly path: Path;
  /** The map key (`metrics`), or the list field and index (`args[1]`) of a list item. */
  readonly key: string;
  /** True when the value is an item of a list (`args: [--port, 8080]`), false for a map entry. */
  readonly listItem: boolean;
  /** What the field is, for messages: `a label value`, `the value of env var "DEBUG"`. */
  readonly field: string;
  /** The value as parsed the way kubectl parses YAML: a string unless the YAML spelled something else. */
  readonly value: unknown;
}

/** One step of a field pattern: a literal key, any key of a map (`*`), or any item of a list (`[]`). */
type Step = string | typeof ANY_KEY | typeof ANY_ITEM;
const ANY_KEY = Symbol('any key');
const ANY_ITEM = Symbol('any item');

interface FieldPattern {
  readonly steps: readonly Step[];
  /** Describes one value found by the pattern; `parent` is the map or list item that holds it. */
  readonly field: (parent: JsonObject | undefined) => string;
}

const fixed = (text: string) => () => text;

function stringMap(prefix: readonly Step[], field: string): FieldPattern {
  return { steps: [...prefix, ANY_KEY], field: fixed(field) };
}

function stringList(prefix: readonly Step[], field: string): FieldPattern {
  return { steps: [...prefix, ANY_ITEM], field: fixed(field) };
}

/** A metav1.LabelSelector: matchLabels is map[string]string, matchExpressions[].values is []string. */
function labelSelector(prefix: readonly Step[]): FieldPattern[] {
  return [
    stringMap([...prefix, 'matchLabels'], 'a matchLabels value'),
    stringList([...prefix, 'matchExpressions', ANY_ITEM, 'values'], 'a matchExpressions value'),
  ];
}

function objectMeta(prefix: readonly Step[]): FieldPattern[] {
  return [
    stringMap([...prefix, 'metadata', 'labels'], 'a label value'),
    stringMap([...prefix, 'metadata', 'annotations'], 'an annotation value'),
  ];
}

/** Every object has ObjectMeta. */
const METADATA_FIELDS = objectMeta([]);

/** String-only fields of built-in kinds, outside their pod templates (k8s.io/api core/v1, apps/v1, ... types.go). */
const BUILTIN_FIELDS: Readonly<Record<string, readonly FieldPattern[]>> = {
  ConfigMap: [stringMap(['data'], 'ConfigMap data'), stringMap(['binaryData'], 'ConfigMap binaryData (base64)')],
  Secret: [stringMap(['data'], 'Secret data (base64)'), stringMap(['stringData'], 'Secret stringData')],
  Service: [stringMap(['spec', 'selector'], 'a Service selector value')],
  ReplicationController: [stringMap(['spec', 'selector'], 'a selector value')],
  Deployment: labelSelector(['spec', 'selector']),
  ReplicaSet: labelSelector(['spec', 'selector']),
  DaemonSet: labelSelector(['spec', 'selector']),
  Job: labelSelector(['spec', 'selector']),
  StatefulSet: [...labelSelector(['spec', 'selector']), ...objectMeta(['spec', 'volumeClaimTemplates', ANY_ITEM])],
  CronJob: [...objectMeta(['spec', 'jobTemplate']), ...labelSelector(['spec', 'jobTemplate', 'spec', 'selector'])],
  PodDisruptionBudget: labelSelector(['spec', 'selector']),
  NetworkPolicy: [
    ...labelSelector(['spec', 'podSelector']),
    ...labelSelector(['spec', 'ingress', ANY_ITEM, 'from', ANY_ITEM, 'podSelector']),
    ...labelSelector(['spec', 'ingress', ANY_ITEM, 'from', ANY_ITEM, 'namespaceSelector']),
    ...labelSelector(['spec', 'egress', ANY_ITEM, 'to', ANY_ITEM, 'podSelector']),
    ...labelSelector(['spec', 'egress', ANY_ITEM, 'to', ANY_ITEM, 'namespaceSelector']),
  ],
};

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

function nodeSelectorTerm(prefix: readonly Step[]): FieldPattern[] {
  return [
    stringList([...prefix, 'matchExpressions', ANY_ITEM, 'values'], 'a node affinity value'),
    stringList([...prefix, 'matchFields', ANY_ITEM, 'values'], 'a node affinity value'),
  ];
}

function podAffinityTerm(prefix: readonly Step[]): FieldPattern[] {
  return [...labelSelector([...prefix, 'labelSelector']), ...labelSelector([...prefix, 'namespaceSelector'])];
}

/** String-only fields of a PodSpec (core/v1 types.go: PodSpec, Container, EnvVar, Toleration, Affinity). */
const POD_SPEC_FIELDS: readonly FieldPattern[] = [
  stringMap(['nodeSelector'], 'a nodeSelector value'),
  ...CONTAINER_LISTS.flatMap((list): FieldPattern[] => [
    {
      steps: [list, ANY_ITEM, 'env', ANY_ITEM, 'value'],
      field: (env) => {
        const name = asString(env?.name);
        return name ? `the value of env var "${name}"` : 'an env value';
      },
    },
    stringList([list, ANY_ITEM, 'args'], 'a container argument'),
    stringList([list, ANY_ITEM, 'command'], 'a container command'),
  ]),
  { steps: ['tolerations', ANY_ITEM, 'value'], field: fixed('a toleration value') },
  ...nodeSelectorTerm(['affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms', ANY_ITEM]),
  ...nodeSelectorTerm(['affinity', 'nodeAffinity', 'preferredDuringSchedulingIgnoredDuringExecution', ANY_ITEM, 'preference']),
  ...(['podAffinity', 'podAntiAffinity'] as const).flatMap((kind) => [
    ...podAffinityTerm(['affinity', kind, 'requiredDuringSchedulingIgnoredDuringExecution', ANY_ITEM]),
    ...podAffinityTerm(['affinity', kind, 'preferredDuringSchedulingIgnoredDuringExecution', ANY_ITEM, 'podAffinityTerm']),
  ]),
  ...labelSelector(['topologySpreadConstraints', ANY_ITEM, 'labelSelector']),
];

/**
 * Booleans and numbers in string-only fields of a resource, outside its pod templates: metadata labels and
 * annotations of every object, and the string maps and selectors of built-in kinds. Strings (nearly every
 * value), nulls and collections are left out: no caller asks about them (an object where a string belongs is
 * the schema rule's wrongType).
 */
export function stringOnlyValuesOf(resource: Resource): StringOnlyValue[] {
  const patterns = [
    ...METADATA_FIELDS,
    ...(isBuiltin(resource) && Object.hasOwn(BUILTIN_FIELDS, resource.kind) ? BUILTIN_FIELDS[resource.kind]! : []),
  ];
  return patterns.flatMap((pattern) => expand(resource.object, [], pattern));
}

/**
 * Booleans and numbers in string-only fields of a pod template: its labels and annotations (a Pod's own metadata is the
 * resource's, see stringOnlyValuesOf), nodeSelector, env values, args and command of every container, tolerations,
 * affinity and topology spread selectors.
 */
export function stringOnlyValuesOfTemplate(template: PodTemplate): StringOnlyValue[] {
  const out: StringOnlyValue[] = [];
  if (template.path.length > 0) {
    const templateObject = getIn(template.owner.object, template.path);
    for (const pattern of objectMeta([])) out.push(...expand(templateObject, template.path, pattern));
  }
  for (const pattern of POD_SPEC_FIELDS) out.push(...expand(template.spec, [...template.path, 'spec'], pattern));
  return out;
}

/** A value YAML made a boolean or a number: what a string-only field must not get. */
function isMisread(value: unknown): boolean {
  return typeof value === 'boolean' || typeof value === 'number';
}

function expand(root: unknown, basePath: Path, pattern: FieldPattern): StringOnlyValue[] {
  const out: StringOnlyValue[] = [];
  const leaf = pattern.steps.length;
  const visit = (value: unknown, path: Path, step: number, parent: JsonObject | undefined, lastLiteral: string): void => {
    if (step === leaf) {
      if (!isMisread(value)) return;
      const last = path[path.length - 1];
      const listItem = typeof last === 'number';
      const key = listItem ? `${lastLiteral}[${last}]` : String(last);
      out.push({ path, key, listItem, field: pattern.field(parent), value });
      return;
    }
    const current = pattern.steps[step]!;
    if (current === ANY_KEY) {
      if (!isObject(value)) return;
      // The path is copied only for a value that may be reported (most are strings).
      for (const key in value) {
        const child = value[key];
        if (Object.hasOwn(value, key) && (step + 1 < leaf || isMisread(child))) visit(child, [...path, key], step + 1, value, lastLiteral);
      }
    } else if (current === ANY_ITEM) {
      asArray(value).forEach((child, i) => {
        if (step + 1 < leaf || isMisread(child)) visit(child, [...path, i], step + 1, parent, lastLiteral);
      });
    } else {
      if (!isObject(value) || !Object.prototype.hasOwnProperty.call(value, current)) return;
      visit(value[current], [...path, current], step + 1, value, current);
    }
  };
  visit(root, basePath, 0, undefined, '');
  return out;
}
