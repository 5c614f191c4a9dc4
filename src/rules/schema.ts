import { createRule } from '../engine/rule.js';
import { formatPath } from '../engine/linter.js';
import type { Path } from '../loader/parse.js';
import { scalarSourceOf, type Resource } from '../model/objects/resource.js';
import { releaseName } from '../model/schema/kubernetes-api.js';
import { problemsOf, typeOf, targetRelease, type ResourceType } from '../model/schema/resource-schema.js';
import { describeValue, type SchemaProblem } from '../model/schema/validate.js';

type Options = readonly [{ kubernetesVersion?: string }];
type MessageIds = 'unknownField' | 'wrongType' | 'required' | 'notInEnum' | 'invalidQuantity' | 'notBase64';

export const schema = createRule<Options, MessageIds>({
  name: 'schema',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    docs: { description: 'Require every object to match the schema of its kind in the target Kubernetes release' },
    messages: {
      unknownField:
        '{{path}} is not a field of {{type}}: kubectl apply rejects the object (strict field validation), and with --validate=false the API server drops the field, so the setting does nothing.{{hint}}',
      wrongType: '{{path}} must be {{expected}}, got {{got}}: the API server cannot decode it and rejects the {{kind}}.{{hint}}',
      required: '{{path}} needs "{{field}}": the API server rejects the {{kind}} without it (Required value).',
      notInEnum: '{{path}} is "{{value}}", which the API server rejects: it must be one of {{allowed}} (case matters).{{hint}}',
      invalidQuantity:
        '{{path}} "{{value}}" is not a quantity, so the API server rejects the {{kind}}: write a number with an optional suffix, such as 250m, 512Mi or 2Gi (binary Ki Mi Gi Ti Pi Ei, decimal m k M G T P E; case matters).{{hint}}',
      notBase64:
        '{{path}} is not valid base64, so the API server rejects the {{kind}}: every value under {{field}} must be base64-encoded.{{hint}}',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          kubernetesVersion: {
            type: 'string',
            description: 'The Kubernetes release to validate against ("1.29"); default the newest one kubewire knows. `--kubernetes-version` sets it.',
          },
        },
      },
    ],
    defaultOptions: [{}],
  },
  create(context, [{ kubernetesVersion }]) {
    const minor = targetRelease(kubernetesVersion);
    const report = (resource: Resource, type: ResourceType, problem: SchemaProblem) => {
      const { messageId, data } = describe(problem, type, resource, minor);
      context.report({ resource, path: problem.path, messageId, data });
    };
    return {
      '*'(resource) {
        const type = typeOf(resource, context.graph, minor);
        if (!type) return;
        for (const problem of problemsOf(resource, type, context.graph)) report(resource, type, problem);
      },
    };
  },
});

function describe(problem: SchemaProblem, type: ResourceType, resource: Resource, minor: number): { messageId: MessageIds; data: Record<string, string> } {
  const path = formatPath(problem.path) || '(the object)';
  const kind = resource.kind;
  switch (problem.code) {
    case 'unknownField': {
      let hint = '';
      if (problem.otherReleases) {
        hint = ` ${type.label} has it in Kubernetes ${problem.otherReleases}: check --kubernetes-version against the cluster you deploy to, or remove it.`;
      } else if (problem.elsewhere) {
        hint = ` "${problem.field}" is a field of ${formatPath(problem.elsewhere.slice(0, -1)) || 'the object itself'}: move it to ${formatPath(problem.elsewhere)}.`;
      } else if (problem.closest) {
        hint = ` Did you mean "${problem.closest}"?`;
      }
      return { messageId: 'unknownField', data: { path, type: type.builtin ? `${type.label} in Kubernetes ${releaseName(minor)}` : type.label, hint } };
    }
    case 'wrongType':
      return {
        messageId: 'wrongType',
        data: { path, expected: problem.expected, got: describeWritten(resource, problem.path, problem.value), kind, hint: typeHint(problem.expected, problem.value, problem.definition, scalarSourceOf(resource, problem.path)?.text) },
      };
    case 'required':
      return { messageId: 'required', data: { path: formatPath(problem.path) || 'The object', field: problem.field, kind } };
    case 'notInEnum':
      return {
        messageId: 'notInEnum',
        data: { path, value: problem.value, allowed: problem.allowed.map((v) => String(v)).join(', '), hint: problem.closest ? ` Write "${problem.closest}".` : '' },
      };
    case 'invalidQuantity':
      return { messageId: 'invalidQuantity', data: { path, value: problem.value, kind, hint: quantityHint(problem.value, problem.path[problem.path.length - 1] === 'cpu') } };
    case 'notBase64': {
      const field = formatPath(problem.path.slice(0, -1));
      const hint = kind === 'Secret' && problem.path[0] === 'data'
        ? ` Encode it (printf %s 'value' | base64), or move it to stringData, which takes plain text.`
        : ' Encode it with base64.';
      return { messageId: 'notBase64', data: { path, field, kind, hint } };
    }
  }
}

/**
 * The value as the message shows it; for a plain scalar that YAML 1.1 resolves to something else than its
 * text (`n`, `on`, `0777`), the text too, since that is what the reader sees in the file.
 */
function describeWritten(resource: Resource, path: Path, value: unknown): string {
  const described = describeValue(value);
  if (typeof value !== 'boolean' && typeof value !== 'number') return described;
  const source = scalarSourceOf(resource, path);
  if (!source?.plain || source.text === String(value)) return described;
  return `${described} (YAML 1.1, as kubectl reads it, takes \`${source.text}\` for ${String(value)})`;
}

function typeHint(expected: string, value: unknown, definition: string | undefined, written: string | undefined): string {
  if (definition === 'meta.v1.LabelSelector') return ' A label selector is an object: matchLabels (label: value pairs) and/or matchExpressions, e.g. selector: {matchLabels: {app: web}}.';
  if (expected === 'a map' && typeof value !== 'object') return ' Write it as key: value pairs on the lines below, indented.';
  if (typeof value === 'string' && /^-?[0-9]+$/.test(value) && expected.startsWith('an integer')) return ' Write it without quotes.';
  if (typeof value === 'string' && (value === 'true' || value === 'false') && expected === 'true or false') return ' Write it without quotes.';
  if ((typeof value === 'number' || typeof value === 'boolean') && expected === 'a string') return ` Quote it: ${JSON.stringify(written ?? String(value))}.`;
  if (expected === 'a list' && value !== null && typeof value === 'object') return ' Write it as a list: put "- " before the entry.';
  if (expected === 'an object' && typeof value === 'string') return ' It takes fields on the lines below, indented.';
  return '';
}

/** Suffixes people write for a quantity, and the one they meant. */
function quantityHint(value: string, cpu: boolean): string {
  const match = /^\s*([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))\s*([A-Za-z]*)\s*$/.exec(value);
  if (!match) return '';
  const [, number, suffix] = match as unknown as [string, string, string];
  const known = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'm', 'k', 'M', 'G', 'T', 'P', 'E'];
  // CPU is counted in cores and millicores: `500mi` meant 500m.
  if (cpu && /^mi?$/i.test(suffix)) return ` Write "${number}m" (millicores).`;
  const sameLetters = known.find((k) => k.length === 2 && k.toLowerCase() === suffix.toLowerCase());
  if (sameLetters) return ` Write "${number}${sameLetters}".`;
  const bytes = /^([kmgtpe])i?b$/i.exec(suffix);
  if (bytes) {
    const letter = bytes[1]!.toUpperCase();
    return ` Write "${number}${letter}i" (powers of 1024) or "${number}${letter === 'K' ? 'k' : letter}" (powers of 1000).`;
  }
  if (value !== value.trim() || /\s/.test(value)) return ` Write it without spaces: "${number}${suffix}".`;
  return '';
}
