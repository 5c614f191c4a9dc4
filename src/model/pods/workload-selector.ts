import type { Path } from '../../loader/parse.js';
import { isQualifiedName } from '../objects/names.js';
import { apiGroup, isBuiltin, type Resource } from '../objects/resource.js';
import { labelSelector, requirementHolds, type Requirement } from './selector.js';
import { asArray, asObject, asString, asStringMap, getIn, isObject } from '../objects/values.js';

/**
 * What the API server requires of a workload's own `spec.selector`, kind by kind:
 *
 * - Deployment, ReplicaSet, StatefulSet (apps/v1, apps/v1beta2): selector required and non-empty, and it must
 *   match the template's labels (kubernetes/kubernetes pkg/apis/apps/validation/validation.go
 *   `ValidateDeploymentSpec`, `ValidateReplicaSetSpec`, `ValidateStatefulSetSpec`, `ValidatePodTemplateSpecForReplicaSet`,
 *   `ValidatePodTemplateSpecForStatefulSet`: "`selector` does not match template `labels`",
 *   "empty selector is invalid for deployment").
 * - DaemonSet (apps/v1): a nil selector matches nothing, so it fails the same match check; `{}` is "empty selector is
 *   invalid for daemonset" (`ValidateDaemonSetSpec`); apps/v1's schema marks it required.
 * - extensions/v1beta1 and apps/v1beta1 defaulted a missing selector from the template labels (removed in
 *   apps/v1beta2); a selector written there is still checked.
 * - ReplicationController (v1): an equality map; when empty it defaults from the template labels
 *   (pkg/apis/core/v1/defaults.go `SetDefaults_ReplicationController`), and must be non-empty after that
 *   (`ValidateNonEmptySelector`); a written one must match (`ValidatePodTemplateSpecForRC`).
 * - Job (batch/v1): generated from the Job's uid unless `manualSelector: true` (pkg/registry/batch/job/strategy.go
 *   `generateSelector`); a selector written without it fails "`selector` not auto-generated"
 *   (pkg/apis/batch/validation/validation.go `validateGeneratedSelector`). With `manualSelector: true` the selector is
 *   required and must match the template labels (`ValidateJobSpec`). A CronJob's jobTemplate must not carry a selector
 *   nor `manualSelector: true` (`ValidateJobTemplateSpec`: "`selector` will be auto-generated").
 * - Matching uses the template's own labels only: `labels.Set(template.Labels)`, no controller-added labels.
 */
export type WorkloadSelectorRule =
  /** A metav1.LabelSelector that must be present, non-empty (unless `emptyAllowed`) and match the template. */
  | { readonly kind: 'label-selector'; readonly required: boolean; readonly emptyAllowed: boolean; readonly immutable: boolean }
  /** ReplicationController: an equality map, defaulted from the template labels when empty. */
  | { readonly kind: 'equality-map' }
  /** The API server generates the selector: writing one is an error. */
  | { readonly kind: 'generated'; readonly owner: 'Job' | 'CronJob' };

export interface WorkloadSelector {
  readonly rule: WorkloadSelectorRule;
  /** Where the selector is (or belongs) in the resource. */
  readonly path: Path;
  readonly value: unknown;
  /** Where the template's labels are, and what they are. */
  readonly templateLabelsPath: Path;
  readonly templateLabels: Readonly<Record<string, string>>;
}

const APPS_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);
/** API versions that defaulted a missing selector from the template labels. */
const DEFAULTING_VERSIONS = new Set(['extensions/v1beta1', 'apps/v1beta1']);

/**
 * The selector rules of a built-in workload, or undefined for kinds that have none to check (Pods, custom
 * resources: their operators have their own rules).
 */
export function workloadSelectorOf(resource: Resource): WorkloadSelector | undefined {
  if (!isBuiltin(resource)) return undefined;
  const templatePath: Path | undefined = resource.kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template'] : ['spec', 'template'];
  const template = asObject(getIn(resource.object, templatePath));
  if (!template) return undefined;
  const templateLabelsPath: Path = [...templatePath, 'metadata', 'labels'];
  const templateLabels = asStringMap(getIn(resource.object, templateLabelsPath)) ?? {};
  const at = (path: Path, rule: WorkloadSelectorRule): WorkloadSelector => ({
    rule,
    path,
    value: getIn(resource.object, path),
    templateLabelsPath,
    templateLabels,
  });

  if (APPS_KINDS.has(resource.kind) && ['apps', 'extensions'].includes(apiGroup(resource.apiVersion))) {
    const defaulting = DEFAULTING_VERSIONS.has(resource.apiVersion);
    return at(['spec', 'selector'], { kind: 'label-selector', required: !defaulting, emptyAllowed: false, immutable: !defaulting });
  }
  if (resource.kind === 'ReplicationController' && resource.apiVersion === 'v1') {
    return at(['spec', 'selector'], { kind: 'equality-map' });
  }
  if (resource.kind === 'Job' && apiGroup(resource.apiVersion) === 'batch') {
    if (getIn(resource.object, ['spec', 'manualSelector']) === true) {
      return at(['spec', 'selector'], { kind: 'label-selector', required: true, emptyAllowed: true, immutable: true });
    }
    return at(['spec', 'selector'], { kind: 'generated', owner: 'Job' });
  }
  if (resource.kind === 'CronJob' && apiGroup(resource.apiVersion) === 'batch') {
    return at(['spec', 'jobTemplate', 'spec', 'selector'], { kind: 'generated', owner: 'CronJob' });
  }
  return undefined;
}

/**
 * Labels the Job controller puts in a generated selector (k8s.io/api batch/v1 types.go `ControllerUidLabel`,
 * `JobNameLabel` and their legacy forms). A Job exported from a cluster (`kubectl get -o yaml`) carries a selector
 * on these only; it is not something a person wrote.
 */
const GENERATED_JOB_SELECTOR_KEYS = new Set([
  'controller-uid',
  'batch.kubernetes.io/controller-uid',
  'job-name',
  'batch.kubernetes.io/job-name',
]);

/** True when a Job's written selector only uses the keys the API server would generate. */
export function isExportedJobSelector(value: unknown): boolean {
  const selector = labelSelector(value);
  return selector.requirements.length > 0 && selector.requirements.every((r) => GENERATED_JOB_SELECTOR_KEYS.has(r.key));
}

/** True when the selector has neither matchLabels nor matchExpressions (`{}` selects every pod). */
export function isEmptyLabelSelector(value: unknown): boolean {
  if (!isObject(value)) return false;
  return Object.keys(asObject(value.matchLabels) ?? {}).length + asArray(value.matchExpressions).length === 0;
}

export const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/** One invalid matchExpressions entry, as `ValidateLabelSelectorRequirement` (apimachinery) rejects it. */
export interface ExpressionProblem {
  /** Path inside the selector: ['matchExpressions', i, 'values' | 'operator' | 'key']. */
  readonly path: Path;
  readonly problem: string;
}

/**
 * k8s.io/apimachinery pkg/apis/meta/v1/validation/validation.go `ValidateLabelSelectorRequirement`:
 * In/NotIn need values, Exists/DoesNotExist forbid them, any other operator (they are case-sensitive) is
 * unsupported, and the key must be a valid label key.
 */
export function expressionProblems(selector: unknown): ExpressionProblem[] {
  const out: ExpressionProblem[] = [];
  asArray(asObject(selector)?.matchExpressions).forEach((item, i) => {
    const expression = asObject(item);
    if (!expression) return;
    const key = asString(expression.key) ?? '';
    const operator = asString(expression.operator) ?? '';
    const values = asArray(expression.values);
    const at = (field: string): Path => ['matchExpressions', i, field];
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) out.push({ path: at('operator'), problem: `operator ${operator} needs at least one value in \`values\`.` });
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) out.push({ path: at('values'), problem: `operator ${operator} must not have \`values\`.` });
    } else {
      const suggestion = SELECTOR_OPERATORS.find((o) => o.toLowerCase() === operator.replace(/[\s_-]/g, '').toLowerCase());
      out.push({
        path: at('operator'),
        problem: `"${operator}" is not a selector operator (In, NotIn, Exists, DoesNotExist; case-sensitive)${suggestion ? `: did you mean ${suggestion}?` : '.'}`,
      });
    }
    if (!isQualifiedName(key)) out.push({ path: at('key'), problem: `"${key}" is not a valid label key.` });
  });
  return out;
}

/** A selector entry the template labels do not satisfy. */
export interface UnmatchedEntry {
  /** Path inside the selector: ['matchLabels', key] or ['matchExpressions', i]. */
  readonly path: Path;
  readonly requirement: Requirement;
}

/** Every matchLabels entry and matchExpressions item of a LabelSelector that the labels do not satisfy. */
export function unmatchedEntries(selector: unknown, labels: Readonly<Record<string, string>>): UnmatchedEntry[] {
  const out: UnmatchedEntry[] = [];
  const object = asObject(selector);
  if (!object) return out;
  for (const [key, value] of Object.entries(asStringMap(object.matchLabels) ?? {})) {
    if (labels[key] !== value) out.push({ path: ['matchLabels', key], requirement: { key, operator: 'In', values: [value] } });
  }
  asArray(object.matchExpressions).forEach((item, i) => {
    const requirement = labelSelector({ matchExpressions: [item] }).requirements[0];
    if (requirement && !requirementHolds(requirement, labels[requirement.key])) out.push({ path: ['matchExpressions', i], requirement });
  });
  return out;
}

/** The entries of a ReplicationController's equality-map selector that the labels do not satisfy. */
export function unmatchedMapEntries(selector: unknown, labels: Readonly<Record<string, string>>): UnmatchedEntry[] {
  return Object.entries(asStringMap(selector) ?? {})
    .filter(([key, value]) => labels[key] !== value)
    .map(([key, value]) => ({ path: [key], requirement: { key, operator: 'In', values: [value] } }));
}
