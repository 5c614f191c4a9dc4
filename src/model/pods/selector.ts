import { parse } from 'yaml';
import { KUBECTL_PARSE_OPTIONS } from '../../loader/yaml-schema.js';
import type { PodTemplate } from './pod-template.js';
import { asArray, asObject, asString, asStringMap, isObject } from '../objects/values.js';

/**
 * Label selectors with upstream semantics (k8s.io/apimachinery pkg/labels/selector.go and
 * pkg/apis/meta/v1/helpers.go LabelSelectorAsSelector):
 * - a Service selector is an equality map: every key=value must hold;
 * - a LabelSelector ANDs matchLabels and matchExpressions; `In` needs the key with one of the values,
 *   `NotIn` holds when the key is absent or its value is not listed, `Exists`/`DoesNotExist` test the key;
 * - a nil LabelSelector matches nothing, an empty one ({}) matches everything.
 */
export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface Requirement {
  readonly key: string;
  // eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- the literals document the known values; a manifest may hold any string
  readonly operator: Operator | string;
  readonly values: readonly string[];
}

export interface Selector {
  /** `nothing`: nil LabelSelector; `everything`: {}; otherwise the requirements decide. */
  readonly kind: 'nothing' | 'everything' | 'requirements';
  readonly requirements: readonly Requirement[];
}

export const SELECTS_NOTHING: Selector = { kind: 'nothing', requirements: [] };

/**
 * A Service's spec.selector. Returns undefined for a Service without a selector: the endpoint controllers
 * leave such a Service alone (its Endpoints/EndpointSlices are managed by hand). An empty map is treated the
 * same: the API server drops empty maps when it stores the object, so `selector: {}` reads back as nil.
 */
export function serviceSelector(value: unknown): Selector | undefined {
  const map = asStringMap(value);
  if (!map || Object.keys(map).length === 0) return undefined;
  return {
    kind: 'requirements',
    requirements: Object.entries(map).map(([key, v]) => ({ key, operator: 'In', values: [v] })),
  };
}

/** A metav1.LabelSelector (workloads, PDB, NetworkPolicy). */
export function labelSelector(value: unknown): Selector {
  if (value === null || value === undefined || !isObject(value)) return SELECTS_NOTHING;
  const requirements: Requirement[] = [];
  const matchLabels = asStringMap(value.matchLabels) ?? {};
  for (const [key, v] of Object.entries(matchLabels)) requirements.push({ key, operator: 'In', values: [v] });
  for (const item of asArray(value.matchExpressions)) {
    const expression = asObject(item);
    if (!expression) continue;
    requirements.push({
      key: asString(expression.key) ?? '',
      operator: asString(expression.operator) ?? '',
      values: asArray(expression.values).map((v) => String(v)),
    });
  }
  return requirements.length === 0 ? { kind: 'everything', requirements } : { kind: 'requirements', requirements };
}

/** What a label looks like on the pods of a template: absent, a known value, a value per ordinal, or unknown. */
type PodLabel =
  | { kind: 'absent' }
  | { kind: 'value'; value: string }
  | { kind: 'any' }
  | { kind: 'ordinal'; valueFor: (ordinal: number) => string; parse: (value: string) => number | undefined };

function podLabel(template: PodTemplate, key: string): PodLabel {
  const written = template.labels[key];
  if (written !== undefined) return { kind: 'value', value: written };
  const added = template.controllerLabels.find((l) => l.key === key);
  if (!added) return { kind: 'absent' };
  if (added.kind === 'fixed') return { kind: 'value', value: added.value };
  if (added.kind === 'any') return { kind: 'any' };
  return { kind: 'ordinal', valueFor: added.valueFor, parse: added.parse };
}

export interface TemplateMatch {
  readonly template: PodTemplate;
  /** Pods of the template the selector selects; null when the count is not fixed (DaemonSet). */
  readonly pods: number | null;
}

/**
 * Whether the selector selects pods of the template, and how many. Controller-added labels count as present
 * (a Service on statefulset.kubernetes.io/pod-name: db-0 selects one pod of StatefulSet db).
 */
export function matchTemplate(selector: Selector, template: PodTemplate): TemplateMatch | undefined {
  if (selector.kind === 'nothing') return undefined;
  const ordinalTests: ((ordinal: number) => boolean)[] = [];
  for (const requirement of selector.requirements) {
    const label = podLabel(template, requirement.key);
    if (label.kind === 'ordinal') {
      ordinalTests.push((ordinal) => requirementHolds(requirement, label.valueFor(ordinal)));
      continue;
    }
    if (label.kind === 'any') {
      // A hash or uid we cannot know: present, with a value that may be the one asked for.
      if (requirement.operator === 'DoesNotExist') return undefined;
      continue;
    }
    if (!requirementHolds(requirement, label.kind === 'value' ? label.value : undefined)) return undefined;
  }
  if (ordinalTests.length === 0) return { template, pods: template.replicas };
  if (template.replicas === null) return { template, pods: null };
  let pods = 0;
  for (let i = 0; i < template.replicas; i++) {
    const ordinal = template.firstOrdinal + i;
    if (ordinalTests.every((test) => test(ordinal))) pods++;
  }
  return pods > 0 ? { template, pods } : undefined;
}

/** One requirement against one label value (undefined = label absent). */
export function requirementHolds(requirement: Requirement, value: string | undefined): boolean {
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && requirement.values.includes(value);
    case 'NotIn':
      return value === undefined || !requirement.values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    default:
      // An unknown operator is rejected by the API server; it selects nothing.
      return false;
  }
}

/** Whether the selector selects a plain label set (no controller labels involved), e.g. a Pod's own labels. */
export function matchesLabels(selector: Selector, labels: Readonly<Record<string, string>>): boolean {
  if (selector.kind === 'nothing') return false;
  return selector.requirements.every((r) => requirementHolds(r, labels[r.key]));
}

/**
 * `app=web,tier in (api,worker)`: how messages show a selector. An empty value is shown as `app=""`, not as a
 * bare `app=` that reads as a cut-off sentence.
 */
export function formatSelector(selector: Selector): string {
  if (selector.kind === 'nothing') return '(null selector: matches nothing)';
  if (selector.kind === 'everything') return '{} (every pod)';
  const value = (v: string) => (v === '' ? '""' : v);
  return selector.requirements
    .map((r) => {
      switch (r.operator) {
        case 'In':
          return r.values.length === 1 ? `${r.key}=${value(r.values[0]!)}` : `${r.key} in (${r.values.map(value).join(',')})`;
        case 'NotIn':
          return `${r.key} notin (${r.values.map(value).join(',')})`;
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
        default:
          return `${r.key} ${r.operator} (${r.values.map(value).join(',')})`;
      }
    })
    .join(',');
}

/**
 * A label (or annotation) key or value as a message prints it in YAML form: as written when kubectl would read it
 * back as the same string, otherwise double-quoted. An empty value is `""` (never a bare `key: `), and `yes`,
 * `1.10`, `null` or `on` are quoted, since unquoted go-yaml v2 reads them as a boolean, a number or null.
 */
export function yamlString(value: string): string {
  return readsBackAsString(value) ? value : JSON.stringify(value);
}

/** `app: web`, `tier: ""`, `managed: "yes"`: one label in YAML form, for messages. */
export function formatLabel(key: string, value: string): string {
  return `${yamlString(key)}: ${yamlString(value)}`;
}

/** `{app: web, tier: ""}`, or `(none)`: a label set in YAML flow form, for messages. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '(none)' : `{${entries.map(([k, v]) => formatLabel(k, v)).join(', ')}}`;
}

/**
 * Whether a plain scalar reads back as this very string in the YAML kubectl speaks (loader/yaml-schema.ts),
 * in flow context too (`{app: web}`), where `,` `[` `]` `{` `}` end a scalar.
 */
function readsBackAsString(value: string): boolean {
  if (value === '') return false;
  try {
    const read: unknown = parse(`[${value}]`, { ...KUBECTL_PARSE_OPTIONS, logLevel: 'silent' });
    return Array.isArray(read) && read.length === 1 && read[0] === value;
  } catch {
    return false;
  }
}
