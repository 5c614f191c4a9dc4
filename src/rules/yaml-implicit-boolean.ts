import { createRule, type ReportDescriptor } from '../api/authoring.js';
import { scalarSourceOf, type Resource } from '../model/objects/resource.js';
import { stringOnlyValuesOf, stringOnlyValuesOfTemplate, type StringOnlyValue } from '../model/objects/string-fields.js';

type MessageId = 'implicitBoolean' | 'nonString';

/**
 * Plain scalars that go-yaml v2 (what kubectl uses) resolves to a boolean although YAML 1.2 and most editors
 * read them as strings. `true`/`false`/`True`/`TRUE`/... are booleans everywhere, so they are `nonString`.
 * Source: gopkg.in/yaml.v2 resolve.go, resolveMapList (vendored in kubernetes/kubernetes).
 */
const YAML11_ONLY_BOOLEANS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);

export const yamlImplicitBoolean = createRule({
  name: 'yaml-implicit-boolean',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    docs: { description: 'Disallow unquoted booleans, numbers and YAML 1.1 yes/no/on/off in fields that must be strings' },
    messages: {
      implicitBoolean:
        '`{{written}}` is read by kubectl as the boolean {{sent}} (YAML 1.1), and the API server rejects a boolean where a string is required ({{field}}), so the apply fails. Quote it: `{{fix}}`.',
      nonString:
        '`{{written}}` is read by kubectl as the {{type}} {{sent}}, and the API server rejects a {{type}} where a string is required ({{field}}), so the apply fails. Quote it: `{{fix}}`.{{note}}',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const check = (resource: Resource, found: StringOnlyValue, severity: 'warn' | undefined) => {
      const report = describe(resource, found);
      if (report) context.report({ ...report, ...(severity ? { severity } : {}) });
    };
    return {
      '*'(resource) {
        for (const found of stringOnlyValuesOf(resource)) check(resource, found, undefined);
      },
      PodTemplate(template) {
        // A custom resource's pod template was found by its shape; its CRD schema or operator may read it
        // differently, so findings there are warnings.
        const severity = template.builtinOwner ? undefined : 'warn';
        for (const found of stringOnlyValuesOfTemplate(template)) check(template.owner, found, severity);
      },
    };
  },
});

function describe(resource: Resource, found: StringOnlyValue): ReportDescriptor<MessageId> | undefined {
  const { value } = found;
  if (typeof value !== 'boolean' && typeof value !== 'number') return undefined;
  const source = scalarSourceOf(resource, found.path);
  // The value as kubectl sends it in JSON (go-yaml v2 value, then encoding/json).
  const sent = String(value);
  // The value as written, when we can see it: a plain scalar (not an alias, not a merged key).
  const literal = source?.plain ? source.text : sent;
  // Show the entry as the file spells it: `metrics: yes` in YAML, `"metrics": true` in JSON.
  const key = /\.json$/i.test(resource.document.file.path) ? JSON.stringify(found.key) : found.key;
  const written = found.listItem ? literal : `${key}: ${literal}`;
  const quoted = JSON.stringify(literal);
  const fix = found.listItem ? quoted : `${key}: ${quoted}`;
  const field = found.listItem ? `${found.field}, ${found.key}` : found.field;
  const data = { key: found.key, literal, sent, field, written, fix };
  const location = { resource, path: found.path };

  if (typeof value === 'boolean' && source?.plain && YAML11_ONLY_BOOLEANS.has(source.text)) {
    return { ...location, messageId: 'implicitBoolean', data };
  }
  const type = typeof value === 'boolean' ? 'boolean' : 'number';
  // `version: 1.10` is sent as 1.1 and `mode: 0755` as 493: say so, since tools that coerce numbers to strings
  // (and readers of `kubectl get -o yaml`) see the changed value.
  const changed = typeof value === 'number' && literal !== sent && (Number.isSafeInteger(value) || !Number.isInteger(value));
  const note = changed ? ` Unquoted, it is sent as ${sent}, not ${literal}: a tool that converts it to a string writes "${sent}".` : '';
  return { ...location, messageId: 'nonString', data: { ...data, type, note } };
}
