import { createRule, type RelatedLocation, type Path } from '../api/authoring.js';
import { editDistance } from '../model/evidence/nearest-name.js';
import type { Resource } from '../model/objects/resource.js';
import { formatLabel, formatLabels, formatSelector, yamlString } from '../model/pods/selector.js';
import { asArray, asString, asStringMap, getIn } from '../model/objects/values.js';
import {
  expressionProblems,
  isEmptyLabelSelector,
  isExportedJobSelector,
  unmatchedEntries,
  unmatchedMapEntries,
  workloadSelectorOf,
  type UnmatchedEntry,
  type WorkloadSelector,
} from '../model/pods/workload-selector.js';

export const workloadSelector = createRule({
  name: 'workload-selector',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    docs: { description: 'Require every workload selector to be valid and to match its own pod template labels' },
    messages: {
      mismatch:
        '{{kind}} "{{name}}" does not select its own pods: selector {{unmatched}} does not match the pod template labels {{labels}}. The API server rejects it ("`selector` does not match template `labels`").{{hint}}',
      missingSelector:
        '{{kind}} "{{name}}" has no spec.selector. {{why}} Add one that matches the pod template labels, e.g. {{suggestion}}.',
      emptySelector:
        '{{kind}} "{{name}}" has an empty spec.selector, which would select every pod in the namespace: the API server rejects it ("empty selector is invalid"). Select on the pod template labels, e.g. {{suggestion}}.',
      invalidExpression: '{{kind}} "{{name}}": invalid selector expression: {{problem}} The API server rejects the whole {{kind}}.',
      jobSelector:
        'Job "{{name}}" sets spec.selector without spec.manualSelector: true. The API server generates a Job\'s selector from its uid and rejects a hand-written one ("`selector` not auto-generated"). Remove spec.selector (the pods are still labelled job-name: {{name}}), or set manualSelector: true if you really need your own.',
      cronJobSelector:
        'CronJob "{{name}}" sets {{field}}: the API server always generates the selector of a CronJob\'s Jobs and rejects it ({{upstream}}). Remove it.',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const check = (resource: Resource): void => {
      const selector = workloadSelectorOf(resource);
      if (!selector) return;
      const name = resource.name || '(unnamed)';
      const base = { kind: resource.kind, name };
      const { rule, value, path } = selector;
      const present = value !== undefined && value !== null;
      // Only a finding needs it: formatting labels reads each one back through the YAML parser.
      const suggestion = () => suggestSelector(selector, name);

      switch (rule.kind) {
        case 'generated':
          if (rule.owner === 'CronJob') {
            const manualPath: Path = ['spec', 'jobTemplate', 'spec', 'manualSelector'];
            if (present)
              context.report({
                resource,
                path,
                messageId: 'cronJobSelector',
                data: { name, field: 'jobTemplate.spec.selector', upstream: '"`selector` will be auto-generated"' },
              });
            if (getIn(resource.object, manualPath) === true) {
              context.report({
                resource,
                path: manualPath,
                messageId: 'cronJobSelector',
                data: {
                  name,
                  field: 'jobTemplate.spec.manualSelector: true',
                  upstream: 'Unsupported value: spec.jobTemplate.spec.manualSelector, supported values: "nil", "false"',
                },
              });
            }
          } else if (present && !isExportedJobSelector(value)) {
            context.report({ resource, path, messageId: 'jobSelector', data: { name } });
          }
          return;

        case 'equality-map': {
          const written = asStringMap(value) ?? {};
          if (Object.keys(written).length === 0) {
            // Defaulted from the template labels; fails only when those are empty too.
            if (Object.keys(selector.templateLabels).length === 0) {
              context.report({
                resource,
                path,
                messageId: 'missingSelector',
                data: {
                  ...base,
                  why: 'It defaults to the pod template labels, but the template has none, so the API server rejects it (spec.selector: Required value).',
                  suggestion: suggestion(),
                },
              });
            }
            return;
          }
          reportMismatch(resource, selector, unmatchedMapEntries(value, selector.templateLabels), false);
          return;
        }

        case 'label-selector': {
          if (!present) {
            if (rule.required) {
              const why =
                resource.kind === 'Job'
                  ? 'With manualSelector: true the API server does not generate one and rejects the Job (spec.selector: Required value).'
                  : `${resource.apiVersion} requires it (older API versions defaulted it from the template labels), so the API server rejects the ${resource.kind}.`;
              context.report({ resource, path, messageId: 'missingSelector', data: { ...base, why, suggestion: suggestion() } });
            }
            return;
          }
          if (isEmptyLabelSelector(value) && !rule.emptyAllowed) {
            context.report({ resource, path, messageId: 'emptySelector', data: { ...base, suggestion: suggestion() } });
            return;
          }
          const problems = expressionProblems(value);
          for (const problem of problems) {
            context.report({
              resource,
              path: [...path, ...problem.path],
              messageId: 'invalidExpression',
              data: { ...base, problem: problem.problem },
            });
          }
          // The API server checks the match only once the selector parses.
          if (problems.length > 0) return;
          reportMismatch(resource, selector, unmatchedEntries(value, selector.templateLabels), rule.immutable);
        }
      }
    };

    const reportMismatch = (
      resource: Resource,
      selector: WorkloadSelector,
      unmatched: readonly UnmatchedEntry[],
      immutable: boolean,
    ): void => {
      const first = unmatched[0];
      if (!first) return;
      const explained = explain(resource, selector, first, selectorKeysOf(selector));
      const fix = immutable
        ? ` If the ${resource.kind} already exists, change the pod template labels: spec.selector cannot be changed.`
        : ' Make the selector and the pod template labels agree.';
      context.report({
        resource,
        path: [...selector.path, ...first.path],
        messageId: 'mismatch',
        data: {
          kind: resource.kind,
          name: resource.name || '(unnamed)',
          unmatched: formatSelector({ kind: 'requirements', requirements: unmatched.map((u) => u.requirement) }),
          labels: formatLabels(selector.templateLabels),
          hint: `${explained.hint}${fix}`,
        },
        related: [explained.related],
      });
    };

    return {
      Deployment: check,
      ReplicaSet: check,
      StatefulSet: check,
      DaemonSet: check,
      ReplicationController: check,
      Job: check,
      CronJob: check,
    };
  },
});

/** Why the template does not satisfy one selector entry, and where to look. */
function explain(
  resource: Resource,
  selector: WorkloadSelector,
  entry: UnmatchedEntry,
  selectorKeys: ReadonlySet<string>,
): { hint: string; related: RelatedLocation } {
  const { key, operator, values } = entry.requirement;
  const labels = selector.templateLabels;
  const labelsPath = selector.templateLabelsPath;
  const actual = labels[key];
  const wanted = values[0] ?? '';
  const isEquality = operator === 'In' && values.length === 1;
  if (actual !== undefined) {
    const related = { resource, path: [...labelsPath, key], message: `pod template label ${key}` };
    if (!isEquality) return { hint: ` The pod template has \`${formatLabel(key, actual)}\`, which the expression excludes.`, related };
    const close = editDistance(actual, wanted) <= Math.max(2, Math.floor(wanted.length / 3));
    return {
      hint: close
        ? ` The pod template has \`${formatLabel(key, actual)}\`: did you mean the same value on both sides (a typo of \`${yamlString(wanted)}\`)?`
        : ` The pod template has \`${formatLabel(key, actual)}\`.`,
      related,
    };
  }
  if (isEquality) {
    const ownLabels = asStringMap(getIn(resource.object, ['metadata', 'labels'])) ?? {};
    if (ownLabels[key] === wanted) {
      return {
        hint: ` ${resource.kind} "${resource.name}" has \`${formatLabel(key, wanted)}\` in its own metadata.labels, but the selector is matched against the pod template's labels: add it to ${labelsPath.join('.')}.`,
        related: { resource, path: ['metadata', 'labels', key], message: `${resource.kind}'s own label ${key}` },
      };
    }
    // The same value under another key the selector does not already use: a renamed key.
    const otherKey = Object.keys(labels).find((k) => labels[k] === wanted && !selectorKeys.has(k));
    if (otherKey !== undefined) {
      return {
        hint: ` Did you mean \`${formatLabel(otherKey, wanted)}\`? The pod template has it.`,
        related: { resource, path: [...labelsPath, otherKey], message: `pod template label ${otherKey}` },
      };
    }
  }
  const hasLabels = getIn(resource.object, labelsPath) !== undefined;
  return {
    hint: operator === 'DoesNotExist' || operator === 'NotIn' ? '' : ` The pod template has no label \`${key}\`.`,
    related: {
      resource,
      path: hasLabels ? labelsPath : labelsPath.slice(0, -1),
      message: 'pod template labels',
    },
  };
}

/** Keys the selector already uses, so "did you mean" never proposes one of them. */
function selectorKeysOf(selector: WorkloadSelector): Set<string> {
  const map = selector.rule.kind === 'equality-map' ? selector.value : getIn(selector.value, ['matchLabels']);
  const keys = new Set(Object.keys(asStringMap(map) ?? {}));
  for (const expression of asArray(getIn(selector.value, ['matchExpressions']))) {
    const key = asString(getIn(expression, ['key']));
    if (key !== undefined) keys.add(key);
  }
  return keys;
}

/** `matchLabels: {app: web}` from the template labels, or an example to copy onto both when the template has none. */
function suggestSelector(selector: WorkloadSelector, name: string): string {
  const labels = formatLabels(selector.templateLabels);
  if (labels === '(none)') {
    const example =
      selector.rule.kind === 'equality-map' ? `selector: {app: ${yamlString(name)}}` : `matchLabels: {app: ${yamlString(name)}}`;
    return `${example}, with the same label on the pod template (${selector.templateLabelsPath.join('.')})`;
  }
  return selector.rule.kind === 'equality-map' ? `selector: ${labels}` : `matchLabels: ${labels}`;
}
