import type { Path } from '../../loader/parse.js';
import type { ResourceGraph } from '../graph.js';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain } from '../objects/names.js';
import { placeholderIn } from '../objects/placeholders.js';
import { apiGroup, type Resource } from '../objects/resource.js';
import { asArray, asObject, asString, getIn, isObject } from '../objects/values.js';
import type { PodTemplate } from '../pods/pod-template.js';

/**
 * What the API server's validation functions reject beyond the schema, for the kinds kubewire models. Each
 * check cites the function it follows.
 */
export type ValidationProblem =
  | { readonly code: 'budgetBothSet'; readonly path: Path }
  | { readonly code: 'budgetOverHundred'; readonly path: Path; readonly value: string }
  | { readonly code: 'budgetNegative'; readonly path: Path; readonly value: string }
  | { readonly code: 'budgetNotPercent'; readonly path: Path; readonly value: string }
  | { readonly code: 'duplicateContainerName'; readonly path: Path; readonly name: string; readonly first: Path }
  | { readonly code: 'invalidName'; readonly path: Path; readonly name: string; readonly rule: NameRule }
  | { readonly code: 'missingName'; readonly path: Path }
  | { readonly code: 'ingressEmpty'; readonly path: Path; readonly backendField: string }
  | { readonly code: 'servicePortsRequired'; readonly path: Path };

/**
 * pkg/apis/policy/validation/validation.go ValidatePodDisruptionBudgetSpec: minAvailable and maxUnavailable
 * "cannot be both set"; each must be a non-negative integer or a percentage (ValidatePositiveIntOrPercent)
 * of at most 100% (IsNotMoreThan100Percent).
 */
export function disruptionBudgetProblems(resource: Resource): ValidationProblem[] {
  const spec = asObject(resource.object.spec);
  if (!spec) return [];
  const out: ValidationProblem[] = [];
  const set = (field: string) => spec[field] !== undefined && spec[field] !== null;
  if (set('minAvailable') && set('maxUnavailable')) out.push({ code: 'budgetBothSet', path: ['spec', 'maxUnavailable'] });
  for (const field of ['minAvailable', 'maxUnavailable']) {
    const value = spec[field];
    const path = ['spec', field];
    if (typeof value === 'number' && Number.isInteger(value) && value < 0) out.push({ code: 'budgetNegative', path, value: String(value) });
    if (typeof value !== 'string') continue;
    const percent = /^(-?[0-9]+)%$/.exec(value);
    if (!percent) out.push({ code: 'budgetNotPercent', path, value });
    else if (Number(percent[1]) < 0) out.push({ code: 'budgetNegative', path, value });
    else if (Number(percent[1]) > 100) out.push({ code: 'budgetOverHundred', path, value });
  }
  return out;
}

/**
 * pkg/apis/core/validation/validation.go validateInitContainers and validateContainers: container names are
 * unique across a pod's init containers and containers ("Duplicate value"). Only for built-in owners: an
 * operator may build its pods differently from the template it embeds.
 */
export function duplicateContainerNames(template: PodTemplate): ValidationProblem[] {
  if (!template.builtinOwner) return [];
  const out: ValidationProblem[] = [];
  const first = new Map<string, Path>();
  // Upstream validates init containers first, then containers against them and each other.
  const ordered = [
    ...template.containers.filter((c) => c.role !== 'container'),
    ...template.containers.filter((c) => c.role === 'container'),
  ];
  for (const container of ordered) {
    const name = asString(container.object.name);
    if (!name) continue;
    const path = [...container.path, 'name'];
    const earlier = first.get(name);
    if (earlier) out.push({ code: 'duplicateContainerName', path, name, first: earlier });
    else first.set(name, path);
  }
  return out;
}

/** How a kind's name is validated. */
export type NameRule = 'dns1123Subdomain' | 'dns1123Label' | 'dns1035Label';

/**
 * The name validators of the kinds kubewire models (ValidateObjectMeta's nameFn). Sources:
 * pkg/apis/core/validation/validation.go (ValidateServiceName = NameIsDNS1035Label, ValidateNamespaceName =
 * NameIsDNSLabel, ValidatePodName, ValidateConfigMapName, ValidateSecretName, ValidateServiceAccountName,
 * ValidateReplicationControllerName, ValidateEndpointsName = NameIsDNSSubdomain), pkg/apis/apps/validation
 * (ValidateDeploymentName, ValidateStatefulSetName, ValidateDaemonSetName, ValidateReplicaSetName),
 * pkg/apis/batch/validation, pkg/apis/networking/validation (ValidateIngressName, ValidateNetworkPolicyName),
 * pkg/apis/autoscaling/validation, pkg/apis/policy/validation: NameIsDNSSubdomain. Kinds whose names follow other
 * rules (RBAC path segments, CustomResourceDefinition plural.group) are not checked.
 */
const NAME_RULES: Readonly<Record<string, NameRule>> = {
  Service: 'dns1035Label',
  Namespace: 'dns1123Label',
  Pod: 'dns1123Subdomain',
  ConfigMap: 'dns1123Subdomain',
  Secret: 'dns1123Subdomain',
  ServiceAccount: 'dns1123Subdomain',
  ReplicationController: 'dns1123Subdomain',
  Endpoints: 'dns1123Subdomain',
  PersistentVolumeClaim: 'dns1123Subdomain',
  Deployment: 'dns1123Subdomain',
  StatefulSet: 'dns1123Subdomain',
  DaemonSet: 'dns1123Subdomain',
  ReplicaSet: 'dns1123Subdomain',
  Job: 'dns1123Subdomain',
  CronJob: 'dns1123Subdomain',
  Ingress: 'dns1123Subdomain',
  NetworkPolicy: 'dns1123Subdomain',
  HorizontalPodAutoscaler: 'dns1123Subdomain',
  PodDisruptionBudget: 'dns1123Subdomain',
};

const CORE_OR_WORKLOAD_GROUPS = new Set(['', 'apps', 'batch', 'extensions', 'networking.k8s.io', 'autoscaling', 'policy']);

/**
 * metadata.name as ValidateObjectMeta checks it: required unless generateName is set ("name or generateName is
 * required"), and valid for the kind. A name holding a template placeholder (`{{ .Release.Name }}`, `${NAME}`)
 * is not judged: it is replaced before apply (objects/placeholders.ts).
 */
export function nameProblems(resource: Resource): ValidationProblem[] {
  const rule = Object.hasOwn(NAME_RULES, resource.kind) ? NAME_RULES[resource.kind] : undefined;
  if (!rule || !CORE_OR_WORKLOAD_GROUPS.has(apiGroup(resource.apiVersion))) return [];
  const metadata = asObject(resource.object.metadata);
  const name = metadata?.name;
  if (name === undefined || name === null || name === '') {
    const generateName = metadata?.generateName;
    return typeof generateName === 'string' && generateName !== '' ? [] : [{ code: 'missingName', path: metadata ? ['metadata'] : [] }];
  }
  if (typeof name !== 'string' || placeholderIn(name, 'name')) return [];
  const valid = rule === 'dns1035Label' ? isDns1035Label(name) : rule === 'dns1123Label' ? isDns1123Label(name) : isDns1123Subdomain(name);
  return valid ? [] : [{ code: 'invalidName', path: ['metadata', 'name'], name, rule }];
}

/**
 * pkg/apis/networking/validation/validation.go ValidateIngressSpec: "either `defaultBackend` or `rules` must be
 * specified" (`backend` in v1beta1).
 */
export function ingressProblems(resource: Resource): ValidationProblem[] {
  const spec = asObject(resource.object.spec);
  const backendField = resource.apiVersion === 'networking.k8s.io/v1' ? 'defaultBackend' : 'backend';
  const hasRules = asArray(spec?.rules).length > 0;
  const hasBackend = isObject(spec?.[backendField]);
  // A v1 Ingress written with v1beta1's `backend` gets one finding, the renamed field (schema, unknownField).
  const hasOldBackend = backendField === 'defaultBackend' && isObject(spec?.backend);
  if (hasRules || hasBackend || hasOldBackend) return [];
  return [{ code: 'ingressEmpty', path: spec ? ['spec'] : [], backendField }];
}

/**
 * pkg/apis/core/validation/validation.go ValidateService: `spec.ports` is required, except for a headless
 * Service (clusterIP: None) and an ExternalName one.
 */
export function serviceProblems(resource: Resource, graph: ResourceGraph): ValidationProblem[] {
  const service = graph.service(resource);
  if (service.headless || service.type === 'ExternalName') return [];
  if (asArray(getIn(resource.object, ['spec', 'ports'])).length > 0) return [];
  return [{ code: 'servicePortsRequired', path: isObject(resource.object.spec) ? ['spec'] : [] }];
}
