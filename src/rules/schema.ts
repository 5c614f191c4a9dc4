import { createRule, formatPath, type Path } from '../api/authoring.js';
import { scalarSourceOf, type Resource } from '../model/objects/resource.js';
import { releaseName } from '../model/schema/kubernetes-api.js';
import {
  builtinTypeOf,
  KUBERNETES_VERSION_OPTION,
  problemsOf,
  typeOf,
  targetRelease,
  type ResourceType,
} from '../model/schema/resource-schema.js';
import { describeValue, type SchemaProblem } from '../model/schema/validate.js';
import {
  disruptionBudgetProblems,
  duplicateContainerNames,
  ingressProblems,
  nameProblems,
  serviceProblems,
  type NameRule,
  type ValidationProblem,
} from '../model/schema/api-validation.js';
import { getIn } from '../model/objects/values.js';

type Options = readonly [{ kubernetesVersion?: string }];
type MessageIds =
  | 'unknownField'
  | 'ingressV1beta1Backend'
  | 'wrongType'
  | 'required'
  | 'notInEnum'
  | 'invalidQuantity'
  | 'notBase64'
  | ValidationProblem['code'];

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
      required: '{{path}} needs "{{field}}": the API server rejects the {{kind}} without it (Required value).{{hint}}',
      notInEnum: '{{path}} is "{{value}}", which the API server rejects: it must be one of {{allowed}} (case matters).{{hint}}',
      invalidQuantity:
        '{{path}} "{{value}}" is not a quantity, so the API server rejects the {{kind}}: write a number with an optional suffix, such as 250m, 512Mi or 2Gi (binary Ki Mi Gi Ti Pi Ei, decimal m k M G T P E; case matters).{{hint}}',
      notBase64:
        '{{path}} is not valid base64, so the API server rejects the {{kind}}: every value under {{field}} must be base64-encoded.{{hint}}',
      ingressV1beta1Backend:
        '{{path}}: serviceName and servicePort are the backend fields of extensions/v1beta1 and networking.k8s.io/v1beta1, and networking.k8s.io/v1 rejects them (unknown field). Write {{fix}}.',
      budgetBothSet:
        'spec.minAvailable and spec.maxUnavailable are both set: a PodDisruptionBudget takes one of them, so the API server rejects it ("minAvailable and maxUnavailable cannot be both set"). Keep the one you mean.',
      budgetOverHundred:
        '{{path}} is {{value}}, more than 100%, so the API server rejects the PodDisruptionBudget ("must not be greater than 100%").',
      budgetNegative:
        '{{path}} is {{value}}, below zero, so the API server rejects the PodDisruptionBudget ("must be greater than or equal to 0").',
      budgetNotPercent:
        '{{path}} "{{value}}" is neither a whole number nor a percentage such as "50%", so the API server rejects the PodDisruptionBudget ("must be an integer or percentage").{{hint}}',
      duplicateContainerName:
        'Container name "{{name}}" is already used at {{first}}: names must be unique among a pod\'s containers and init containers, so the API server rejects the {{kind}} (Duplicate value). Rename one.',
      invalidName: 'metadata.name "{{name}}" is not a valid {{kind}} name, so the API server rejects it: {{rule}}.{{hint}}',
      missingName:
        'This {{kind}} has no metadata.name (nor generateName), so kubectl apply rejects it ("resource name may not be empty"). Give it a name.',
      ingressEmpty:
        'This Ingress has neither spec.{{backendField}} nor spec.rules, so it routes nothing and the API server rejects it ("either `{{backendField}}` or `rules` must be specified"). Add rules, or a {{backendField}} for all traffic.',
      servicePortsRequired:
        'This Service has no spec.ports, so the API server rejects it (Required value: spec.ports); only a headless Service (clusterIP: None) or an ExternalName Service may have none. Add the port clients connect to.',
    },
    schema: [KUBERNETES_VERSION_OPTION],
    defaultOptions: [{}],
  },
  create(context, [{ kubernetesVersion }]) {
    const minor = targetRelease(kubernetesVersion);
    const report = (resource: Resource, type: ResourceType, problem: SchemaProblem) => {
      const { messageId, data } = describe(problem, type, resource, minor);
      // A custom resource's required field may be set by its operator's mutating webhook, which runs before
      // schema validation (admission order: mutating, then validation), and the CRD in the input may not be the
      // one installed: a warning.
      if (!type.builtin && problem.code === 'required') {
        const hint = `${data.hint ?? ''} This is a warning, not an error: the operator's mutating webhook may set it before validation, and the cluster's CRD may differ from the one in the input.`;
        context.report({ resource, path: problem.path, messageId, data: { ...data, hint }, severity: 'warn' });
        return;
      }
      context.report({ resource, path: problem.path, messageId, data });
    };
    const reportValidation = (resource: Resource, problem: ValidationProblem) =>
      context.report({ resource, path: problem.path, messageId: problem.code, data: describeValidation(problem, resource) });
    const { graph } = context;
    // Checks beyond the schema run on objects of a type the target release serves (else api-version speaks).
    const served = (resource: Resource) => builtinTypeOf(resource, minor) !== undefined;
    return {
      '*'(resource) {
        // A SOPS-encrypted file (`sops:` beside the object) is decrypted before it is applied: what it holds now
        // is ciphertext and SOPS's own metadata.
        if ('sops' in resource.object) return;
        const type = typeOf(resource, graph, minor);
        if (!type) return;
        for (const problem of problemsOf(resource, type, graph)) {
          if (problem.code === 'unknownField' && isSecondV1beta1BackendField(resource, problem)) continue;
          report(resource, type, problem);
        }
        // kustomize's `namespace:` also names the Namespace objects it builds (`name: _` in a shared component).
        const renamedByBuild = resource.kind === 'Namespace' && graph.kustomize.namespaceSetByBuild(resource.document.file.path);
        if (type.builtin && !renamedByBuild) for (const problem of nameProblems(resource)) reportValidation(resource, problem);
      },
      PodDisruptionBudget(resource) {
        if (served(resource)) for (const problem of disruptionBudgetProblems(resource)) reportValidation(resource, problem);
      },
      Ingress(resource) {
        if (served(resource)) for (const problem of ingressProblems(resource)) reportValidation(resource, problem);
      },
      Service(resource) {
        if (served(resource)) for (const problem of serviceProblems(resource, graph)) reportValidation(resource, problem);
      },
      PodTemplate(template) {
        if (!served(template.owner)) return;
        for (const problem of duplicateContainerNames(template)) reportValidation(template.owner, problem);
      },
    };
  },
});

function describe(
  problem: SchemaProblem,
  type: ResourceType,
  resource: Resource,
  minor: number,
): { messageId: MessageIds; data: Record<string, string> } {
  const path = formatPath(problem.path) || '(the object)';
  const kind = resource.kind;
  switch (problem.code) {
    case 'unknownField': {
      if (problem.definition === 'networking.v1.IngressBackend' && (problem.field === 'serviceName' || problem.field === 'servicePort')) {
        return {
          messageId: 'ingressV1beta1Backend',
          data: { path: formatPath(problem.path.slice(0, -1)), fix: v1BackendFix(resource, problem.path.slice(0, -1)) },
        };
      }
      let hint = '';
      const renamed = problem.definition ? RENAMED_FIELDS[`${problem.definition}.${problem.field}`] : undefined;
      if (renamed) {
        hint = ` ${renamed}`;
      } else if (problem.otherReleases) {
        hint = ` ${type.label} has it in Kubernetes ${problem.otherReleases}: check --kubernetes-version against the cluster you deploy to, or remove it.`;
      } else if (problem.elsewhere) {
        hint = ` "${problem.field}" is a field of ${formatPath(problem.elsewhere.slice(0, -1)) || 'the object itself'}: move it to ${formatPath(problem.elsewhere)}.`;
      } else if (problem.closest) {
        hint = ` Did you mean "${problem.closest}"?`;
      }
      return {
        messageId: 'unknownField',
        data: { path, type: type.builtin ? `${type.label} in Kubernetes ${releaseName(minor)}` : type.label, hint },
      };
    }
    case 'wrongType':
      return {
        messageId: 'wrongType',
        data: {
          path,
          expected: problem.expected,
          got: describeWritten(resource, problem.path, problem.value),
          kind,
          hint: typeHint(problem.expected, problem.value, problem.definition, scalarSourceOf(resource, problem.path)?.text),
        },
      };
    case 'required': {
      const hint = problem.definition ? REQUIRED_HINTS[`${problem.definition}.${problem.field}`] : undefined;
      return {
        messageId: 'required',
        data: { path: formatPath(problem.path) || 'The object', field: problem.field, kind, hint: hint ? ` ${hint}` : '' },
      };
    }
    case 'notInEnum':
      return {
        messageId: 'notInEnum',
        data: {
          path,
          value: problem.value,
          allowed: problem.allowed.map((v) => String(v)).join(', '),
          hint: problem.closest ? ` Write "${problem.closest}".` : '',
        },
      };
    case 'invalidQuantity':
      return {
        messageId: 'invalidQuantity',
        data: { path, value: problem.value, kind, hint: quantityHint(problem.value, problem.path[problem.path.length - 1] === 'cpu') },
      };
    case 'notBase64': {
      const field = formatPath(problem.path.slice(0, -1));
      const hint =
        kind === 'Secret' && problem.path[0] === 'data'
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

/**
 * Fields renamed between API versions, under the name a manifest written for the older version uses. Sources:
 * k8s.io/api networking/v1 types.go (IngressSpec.DefaultBackend), autoscaling/v2 types.go (MetricTarget).
 */
const RENAMED_FIELDS: Readonly<Record<string, string>> = {
  'networking.v1.IngressSpec.backend': 'networking.k8s.io/v1 calls it defaultBackend (with service: {name, port: {number}}).',
  'autoscaling.v2.ResourceMetricSource.targetAverageUtilization':
    'autoscaling/v2 writes it as target: {type: Utilization, averageUtilization: N}.',
  'autoscaling.v2.ResourceMetricSource.targetAverageValue': 'autoscaling/v2 writes it as target: {type: AverageValue, averageValue: N}.',
};

/** What to write for a missing required field, where the choice is not obvious. */
const REQUIRED_HINTS: Readonly<Record<string, string>> = {
  // pkg/apis/networking/validation validateHTTPIngressPath: pathType is required in networking.k8s.io/v1.
  'networking.v1.HTTPIngressPath.pathType':
    'networking.k8s.io/v1 has no default: write pathType: Prefix (matches the path and everything below it, by path segment), Exact, or ImplementationSpecific (the controller decides, as v1beta1 did).',
};

/** Only one finding for a v1beta1 backend: on serviceName, or on servicePort when it stands alone. */
function isSecondV1beta1BackendField(resource: Resource, problem: SchemaProblem & { code: 'unknownField' }): boolean {
  if (problem.definition !== 'networking.v1.IngressBackend' || problem.field !== 'servicePort') return false;
  return getIn(resource.object, [...problem.path.slice(0, -1), 'serviceName']) !== undefined;
}

/** The networking.k8s.io/v1 form of a v1beta1 backend, with its values. */
function v1BackendFix(resource: Resource, backendPath: Path): string {
  const name = getIn(resource.object, [...backendPath, 'serviceName']);
  const port = getIn(resource.object, [...backendPath, 'servicePort']);
  const portPart = typeof port === 'number' ? `{number: ${port}}` : typeof port === 'string' ? `{name: ${port}}` : '{number: 80}';
  return `service: {name: ${typeof name === 'string' ? name : 'my-service'}, port: ${portPart}}`;
}

function describeValidation(problem: ValidationProblem, resource: Resource): Record<string, string> {
  const path = formatPath(problem.path);
  switch (problem.code) {
    case 'budgetBothSet':
    case 'missingName':
    case 'servicePortsRequired':
      return { kind: resource.kind };
    case 'budgetOverHundred':
    case 'budgetNegative':
      return { path, value: problem.value };
    case 'budgetNotPercent':
      return { path, value: problem.value, hint: /^[0-9]+$/.test(problem.value) ? ` Write it without quotes: ${problem.value}.` : '' };
    case 'duplicateContainerName':
      return { name: problem.name, first: formatPath(problem.first.slice(0, -1)), kind: resource.kind };
    case 'invalidName':
      return { name: problem.name, kind: resource.kind, rule: NAME_RULE_TEXT[problem.rule], hint: nameHint(problem.name, problem.rule) };
    case 'ingressEmpty':
      return { backendField: problem.backendField };
  }
}

const NAME_RULE_TEXT = {
  dns1035Label:
    'a Service name must be a DNS-1035 label, at most 63 lower-case letters, digits and "-", starting with a letter and ending with a letter or digit',
  dns1123Label: 'it must be a DNS-1123 label, at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit',
  dns1123Subdomain:
    'it must be a DNS-1123 subdomain, at most 253 lower-case letters, digits, "-" and ".", each part between dots starting and ending with a letter or digit',
} as const;

function nameHint(name: string, rule: NameRule): string {
  const fixed = name.toLowerCase().replace(/[_\s]+/g, '-');
  if (rule === 'dns1035Label' && /^[0-9]/.test(name))
    return ' It may not start with a digit (the Service gets a DNS name and environment variables in every pod).';
  if (fixed !== name && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(fixed) && !(rule !== 'dns1123Subdomain' && fixed.includes('.')))
    return ` Write "${fixed}".`;
  return '';
}

function typeHint(expected: string, value: unknown, definition: string | undefined, written: string | undefined): string {
  if (definition === 'meta.v1.LabelSelector')
    return ' A label selector is an object: matchLabels (label: value pairs) and/or matchExpressions, e.g. selector: {matchLabels: {app: web}}.';
  if (expected === 'a map' && typeof value !== 'object') return ' Write it as key: value pairs on the lines below, indented.';
  if (typeof value === 'string' && /^-?[0-9]+$/.test(value) && expected.startsWith('an integer')) return ' Write it without quotes.';
  if (typeof value === 'string' && (value === 'true' || value === 'false') && expected === 'true or false')
    return ' Write it without quotes.';
  if ((typeof value === 'number' || typeof value === 'boolean') && expected === 'a string')
    return ` Quote it: ${JSON.stringify(written ?? String(value))}.`;
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
