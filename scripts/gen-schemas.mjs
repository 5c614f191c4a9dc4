#!/usr/bin/env node
// Writes schemas/kubernetes.json, the structure of every built-in Kubernetes API type for every release in
// ../shared/kubernetes-schemas (v1.14 to v1.36, the cdk8s project's JSON Schema definitions derived from each
// release's OpenAPI spec; Apache-2.0), as ONE union: each definition, each of its fields, each required entry and
// each group/version/kind carries the releases that serve it, so the same file answers "is this valid in 1.29?"
// and "which release removed it?". Descriptions are dropped; only structure ships.
//
// The Swagger documents carry no enum lists: the value sets the API server's validation enforces are added from
// ENUMS below, each with its upstream source.
//
// Usage: node scripts/gen-schemas.mjs [--check] [--source <dir>]. `--check` fails (exit 1) when the committed
// file is stale; without the source folder (a published checkout) it only checks that the file is there.
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argSource = process.argv.indexOf('--source');
// The data sits beside the checkout (../shared/kubernetes-schemas), or beside a worktree's parent.
const source =
  argSource > 0
    ? process.argv[argSource + 1]
    : ([join(root, '..', 'shared', 'kubernetes-schemas'), join(root, '..', '..', 'shared', 'kubernetes-schemas')].find((d) =>
        existsSync(d),
      ) ?? join(root, '..', 'shared', 'kubernetes-schemas'));
const target = join(root, 'schemas', 'kubernetes.json');
const check = process.argv.includes('--check');

/**
 * Value sets the API server enforces, by definition and field (`core.v1.Container.imagePullPolicy`). Values are
 * case-sensitive. "" is always accepted by the validator that reads this data (defaulting fills an empty value
 * before validation), so it is not listed.
 */
const ENUMS = {
  // pkg/apis/core/validation/validation.go supportedPortProtocols; pkg/apis/core/types.go Protocol.
  'core.v1.ContainerPort.protocol': ['TCP', 'UDP', 'SCTP'],
  'core.v1.ServicePort.protocol': ['TCP', 'UDP', 'SCTP'],
  'core.v1.EndpointPort.protocol': ['TCP', 'UDP', 'SCTP'],
  'discovery.v1.EndpointPort.protocol': ['TCP', 'UDP', 'SCTP'],
  'discovery.v1beta1.EndpointPort.protocol': ['TCP', 'UDP', 'SCTP'],
  'networking.v1.NetworkPolicyPort.protocol': ['TCP', 'UDP', 'SCTP'],
  'extensions.v1beta1.NetworkPolicyPort.protocol': ['TCP', 'UDP', 'SCTP'],
  // validation.go supportedPullPolicies; types.go PullPolicy.
  'core.v1.Container.imagePullPolicy': ['Always', 'Never', 'IfNotPresent'],
  'core.v1.EphemeralContainer.imagePullPolicy': ['Always', 'Never', 'IfNotPresent'],
  // validation.go validateRestartPolicy; types.go RestartPolicy.
  'core.v1.PodSpec.restartPolicy': ['Always', 'OnFailure', 'Never'],
  // validation.go validateContainerRestartPolicy: a sidecar (init container) takes only Always (1.28+); 1.34
  // (KEP-5307, container restart rules) lets regular containers take the pod's three values.
  'core.v1.Container.restartPolicy': ['Always', 'OnFailure', 'Never'],
  // validation.go validateDNSPolicy; types.go DNSPolicy.
  'core.v1.PodSpec.dnsPolicy': ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'],
  // validation.go supportedTerminationMessagePolicies.
  'core.v1.Container.terminationMessagePolicy': ['File', 'FallbackToLogsOnError'],
  'core.v1.EphemeralContainer.terminationMessagePolicy': ['File', 'FallbackToLogsOnError'],
  // validation.go validatePreemptionPolicy; types.go PreemptionPolicy.
  'core.v1.PodSpec.preemptionPolicy': ['PreemptLowerPriority', 'Never'],
  'scheduling.v1.PriorityClass.preemptionPolicy': ['PreemptLowerPriority', 'Never'],
  // validation.go validateTolerations (operator) and validateTaintEffect.
  'core.v1.Toleration.operator': ['Exists', 'Equal'],
  'core.v1.Toleration.effect': ['NoSchedule', 'PreferNoSchedule', 'NoExecute'],
  'core.v1.Taint.effect': ['NoSchedule', 'PreferNoSchedule', 'NoExecute'],
  // validation.go supportedScheduleActions, supportedPodTopologySpreadNodePolicies.
  'core.v1.TopologySpreadConstraint.whenUnsatisfiable': ['DoNotSchedule', 'ScheduleAnyway'],
  'core.v1.TopologySpreadConstraint.nodeAffinityPolicy': ['Honor', 'Ignore'],
  'core.v1.TopologySpreadConstraint.nodeTaintsPolicy': ['Honor', 'Ignore'],
  // validation.go ValidateNodeSelectorRequirement; types.go NodeSelectorOperator.
  'core.v1.NodeSelectorRequirement.operator': ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'],
  // apimachinery/pkg/apis/meta/v1/validation/validation.go ValidateLabelSelectorRequirement.
  'meta.v1.LabelSelectorRequirement.operator': ['In', 'NotIn', 'Exists', 'DoesNotExist'],
  // validation.go supportedServiceType, ValidateService (traffic policies, session affinity, IP families).
  'core.v1.ServiceSpec.type': ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
  'core.v1.ServiceSpec.externalTrafficPolicy': ['Cluster', 'Local'],
  'core.v1.ServiceSpec.internalTrafficPolicy': ['Cluster', 'Local'],
  'core.v1.ServiceSpec.sessionAffinity': ['ClientIP', 'None'],
  'core.v1.ServiceSpec.ipFamilyPolicy': ['SingleStack', 'PreferDualStack', 'RequireDualStack'],
  'core.v1.ServiceSpec.ipFamilies': ['IPv4', 'IPv6'],
  // validation.go validateHTTPGetAction supportedHTTPSchemes.
  'core.v1.HTTPGetAction.scheme': ['HTTP', 'HTTPS'],
  // validation.go validateMountPropagation; types.go MountPropagationMode.
  'core.v1.VolumeMount.mountPropagation': ['None', 'HostToContainer', 'Bidirectional'],
  // validation.go validateHostPathType; types.go HostPathType ("" is HostPathUnset).
  'core.v1.HostPathVolumeSource.type': ['DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'],
  // validation.go supportedAccessModes, supportedVolumeModes.
  'core.v1.PersistentVolumeClaimSpec.accessModes': ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'],
  'core.v1.PersistentVolumeSpec.accessModes': ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'],
  'core.v1.PersistentVolumeClaimSpec.volumeMode': ['Filesystem', 'Block'],
  'core.v1.PersistentVolumeSpec.volumeMode': ['Filesystem', 'Block'],
  'core.v1.PersistentVolumeSpec.persistentVolumeReclaimPolicy': ['Recycle', 'Delete', 'Retain'],
  // validation.go validateSeccompProfileField; types.go SeccompProfileType.
  'core.v1.SeccompProfile.type': ['RuntimeDefault', 'Unconfined', 'Localhost'],
  // validation.go ValidateProcMountType.
  'core.v1.SecurityContext.procMount': ['Default', 'Unmasked'],
  // pkg/apis/apps/validation/validation.go ValidateDeploymentStrategy, ValidateStatefulSetSpec,
  // ValidateDaemonSetUpdateStrategy, ValidatePersistentVolumeClaimRetentionPolicyType.
  'apps.v1.DeploymentStrategy.type': ['Recreate', 'RollingUpdate'],
  'apps.v1beta2.DeploymentStrategy.type': ['Recreate', 'RollingUpdate'],
  'apps.v1beta1.DeploymentStrategy.type': ['Recreate', 'RollingUpdate'],
  'extensions.v1beta1.DeploymentStrategy.type': ['Recreate', 'RollingUpdate'],
  'apps.v1.StatefulSetSpec.podManagementPolicy': ['OrderedReady', 'Parallel'],
  'apps.v1.StatefulSetUpdateStrategy.type': ['RollingUpdate', 'OnDelete'],
  'apps.v1.DaemonSetUpdateStrategy.type': ['RollingUpdate', 'OnDelete'],
  'apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy.whenDeleted': ['Retain', 'Delete'],
  'apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy.whenScaled': ['Retain', 'Delete'],
  // pkg/apis/batch/validation/validation.go: supportedConcurrencyPolicies, completionMode, podReplacementPolicy.
  'batch.v1.CronJobSpec.concurrencyPolicy': ['Allow', 'Forbid', 'Replace'],
  'batch.v1beta1.CronJobSpec.concurrencyPolicy': ['Allow', 'Forbid', 'Replace'],
  'batch.v1.JobSpec.completionMode': ['NonIndexed', 'Indexed'],
  'batch.v1.JobSpec.podReplacementPolicy': ['TerminatingOrFailed', 'Failed'],
  // pkg/apis/policy/validation/validation.go supportedUnhealthyPodEvictionPolicies.
  'policy.v1.PodDisruptionBudgetSpec.unhealthyPodEvictionPolicy': ['IfHealthyBudget', 'AlwaysAllow'],
  // pkg/apis/networking/validation/validation.go supportedPathTypes, ValidateNetworkPolicySpec (policyTypes).
  'networking.v1.HTTPIngressPath.pathType': ['Exact', 'Prefix', 'ImplementationSpecific'],
  'networking.v1beta1.HTTPIngressPath.pathType': ['Exact', 'Prefix', 'ImplementationSpecific'],
  'extensions.v1beta1.HTTPIngressPath.pathType': ['Exact', 'Prefix', 'ImplementationSpecific'],
  'networking.v1.NetworkPolicySpec.policyTypes': ['Ingress', 'Egress'],
  // pkg/apis/autoscaling/validation/validation.go validateMetricSpec, validateMetricTarget,
  // validateScalingRules (selectPolicy), validateHPAScalingPolicy.
  'autoscaling.v2.MetricSpec.type': ['Object', 'Pods', 'Resource', 'ContainerResource', 'External'],
  'autoscaling.v2beta2.MetricSpec.type': ['Object', 'Pods', 'Resource', 'ContainerResource', 'External'],
  'autoscaling.v2.MetricTarget.type': ['Utilization', 'Value', 'AverageValue'],
  'autoscaling.v2beta2.MetricTarget.type': ['Utilization', 'Value', 'AverageValue'],
  'autoscaling.v2.HPAScalingRules.selectPolicy': ['Max', 'Min', 'Disabled'],
  'autoscaling.v2.HPAScalingPolicy.type': ['Pods', 'Percent'],
};

/**
 * Fields the Swagger documents list as required but the API server accepts absent (non-pointer structs and
 * scalars that decode to their zero value, checked by no validation function); releases after the ones listed
 * dropped the marker too. Reporting them would be false errors.
 */
const NOT_REQUIRED = new Set([
  // pkg/apis/apps/validation ValidateStatefulSetSpec never required serviceName (optional since 1.33).
  'apps.v1.StatefulSetSpec.serviceName',
  'apps.v1beta1.StatefulSetSpec.serviceName',
  'apps.v1beta2.StatefulSetSpec.serviceName',
  // pkg/apis/networking/validation ValidateNetworkPolicySpec: an empty podSelector selects every pod.
  'networking.v1.NetworkPolicySpec.podSelector',
  'extensions.v1beta1.NetworkPolicySpec.podSelector',
  // pkg/apis/rbac/validation ValidateRoleBindingRoleRef takes an empty apiGroup (defaulted by clients).
  'rbac.v1.RoleRef.apiGroup',
  'rbac.v1beta1.RoleRef.apiGroup',
  'rbac.v1alpha1.RoleRef.apiGroup',
  // pkg/apis/scheduling/validation: value is an int32, 0 when absent.
  'scheduling.v1.PriorityClass.value',
  'scheduling.v1beta1.PriorityClass.value',
  'scheduling.v1alpha1.PriorityClass.value',
  // pkg/apis/discovery/validation: an EndpointSlice may have no endpoints.
  'discovery.v1.EndpointSlice.endpoints',
  'discovery.v1beta1.EndpointSlice.endpoints',
  // pkg/apis/batch/validation: status is defaulted to True, onPodConditions may be empty.
  'batch.v1.PodFailurePolicyOnPodConditionsPattern.status',
  'batch.v1.PodFailurePolicyRule.onPodConditions',
  // pkg/apis/core/validation: sources may be empty; a HostAlias IP is checked only when set before 1.31.
  'core.v1.ProjectedVolumeSource.sources',
  'core.v1.HostAlias.ip',
]);

/**
 * Group/version/kinds that the OpenAPI documents kept listing after the API server stopped serving them by
 * default (their types stayed registered for --runtime-config), with the last release that served them. Source:
 * the Kubernetes 1.16 release notes and the Deprecated API Migration Guide (kubernetes.io/docs/reference/
 * using-api/deprecation-guide/#v1-16): "The v1.16 release stopped serving" these versions.
 */
const LAST_SERVED = {
  'extensions/v1beta1/Deployment': 15,
  'extensions/v1beta1/DaemonSet': 15,
  'extensions/v1beta1/ReplicaSet': 15,
  'extensions/v1beta1/NetworkPolicy': 15,
  'extensions/v1beta1/PodSecurityPolicy': 15,
  'apps/v1beta1/Deployment': 15,
  'apps/v1beta1/StatefulSet': 15,
  'apps/v1beta2/Deployment': 15,
  'apps/v1beta2/DaemonSet': 15,
  'apps/v1beta2/ReplicaSet': 15,
  'apps/v1beta2/StatefulSet': 15,
};

/** How a definition name is shortened: the Go package path prefix is dropped. */
function shortName(name) {
  return name
    .replace(/^io\.k8s\.api\./, '')
    .replace(/^io\.k8s\.apimachinery\.pkg\.apis\./, '')
    .replace(/^io\.k8s\.apiextensions-apiserver\.pkg\.apis\./, '')
    .replace(/^io\.k8s\.kube-aggregator\.pkg\.apis\./, '');
}

/** Definitions that are scalars with a format of their own, inlined as that scalar. */
const INLINE = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': 'ios',
  'io.k8s.apimachinery.pkg.api.resource.Quantity': 'q',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': 's',
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': 's',
};

/**
 * The compact form of one schema node:
 * "s" string, "i" integer, "n" number, "b" boolean, "y" base64 bytes, "ios" int-or-string, "q" quantity,
 * "*" anything (free-form objects: RawExtension, JSON, FieldsV1), "#name" a definition;
 * { a: node } a list, { m: node } a map, { e: [...] } a string from a set,
 * { p: { field: node | [[node, releases], ...] }, r: [field | [field, releases]] } an object.
 */
function compact(node) {
  if (node.$ref) {
    const name = node.$ref.replace('#/definitions/', '');
    return INLINE[name] ?? `#${shortName(name)}`;
  }
  if (node.oneOf) return '*';
  if (node.properties) {
    const p = {};
    for (const [field, child] of Object.entries(node.properties)) p[field] = compact(child);
    const out = { p };
    if (node.required?.length) out.r = [...node.required].sort();
    return out;
  }
  switch (node.type) {
    case 'string':
      return node.format === 'byte' ? 'y' : 's';
    case 'integer':
      return 'i';
    case 'number':
      return 'n';
    case 'boolean':
      return 'b';
    case 'array':
      return { a: node.items ? compact(node.items) : '*' };
    case 'object':
      return node.additionalProperties && typeof node.additionalProperties === 'object' ? { m: compact(node.additionalProperties) } : '*';
    default:
      return '*';
  }
}

/** "16-21,23-36": the releases (minor versions) in a set, as ranges. */
function ranges(minors) {
  const sorted = [...minors].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    out.push(sorted[i] === sorted[j] ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j;
  }
  return out.join(',');
}

function generate() {
  const releases = readdirSync(source)
    .map((d) => /^v1\.(\d+)\.0$/.exec(d))
    .filter(Boolean)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  /** def name -> { in: Set<minor>, fields: Map<field, Map<nodeJson, Set<minor>>>, required: Map<field, Set>, other: Map<json, Set> } */
  const defs = new Map();
  /** "group/version/Kind" -> Map<defName, Set<minor>> */
  const kinds = new Map();
  const add = (map, key, minor) => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(minor);
  };
  for (const minor of releases) {
    const { definitions } = JSON.parse(readFileSync(join(source, `v1.${minor}.0`, '_definitions.json'), 'utf8'));
    for (const [longName, schema] of Object.entries(definitions)) {
      if (INLINE[longName]) continue;
      const name = shortName(longName);
      const gvks = schema['x-kubernetes-group-version-kind'];
      const isKind = gvks?.length === 1 && !gvks[0].kind.endsWith('List') && schema.properties?.metadata;
      if (isKind) {
        const { group, version, kind } = gvks[0];
        const lastServed = LAST_SERVED[`${group}/${version}/${kind}`];
        let byDef = kinds.get(`${group}/${version}/${kind}`);
        if (!byDef) kinds.set(`${group}/${version}/${kind}`, (byDef = new Map()));
        if (lastServed === undefined || minor <= lastServed) add(byDef, name, minor);
      }
      const node = compact(schema);
      let def = defs.get(name);
      if (!def) defs.set(name, (def = { in: new Set(), fields: new Map(), required: new Map(), other: new Map() }));
      def.in.add(minor);
      if (typeof node === 'object' && node.p) {
        for (const [field, child] of Object.entries(node.p)) {
          // The status of a kind is written by its controllers, never validated from manifests: kubectl get
          // exports carry it, and the API server drops it on create.
          let value =
            isKind && (field === 'status' || field === 'kind' || field === 'apiVersion') ? (field === 'status' ? '*' : 's') : child;
          if (ENUMS[`${name}.${field}`]) {
            const e = ENUMS[`${name}.${field}`];
            value = value === 's' ? { e } : typeof value === 'object' && value.a === 's' ? { a: { e } } : value;
          }
          let variants = def.fields.get(field);
          if (!variants) def.fields.set(field, (variants = new Map()));
          add(variants, JSON.stringify(value), minor);
        }
        for (const field of node.r ?? []) if (!NOT_REQUIRED.has(`${name}.${field}`)) add(def.required, field, minor);
      } else {
        add(def.other, JSON.stringify(node), minor);
      }
    }
  }
  for (const key of Object.keys(ENUMS)) {
    const [defName, field] = [key.slice(0, key.lastIndexOf('.')), key.slice(key.lastIndexOf('.') + 1)];
    if (!defs.get(defName)?.fields.has(field)) throw new Error(`ENUMS names ${key}, which no release has`);
  }

  // Keep only what a kind reaches.
  const reachable = new Set();
  const visit = (json) => {
    for (const m of json.matchAll(/"#([^"]+)"/g)) {
      if (reachable.has(m[1])) continue;
      reachable.add(m[1]);
      const def = defs.get(m[1]);
      if (!def) continue;
      for (const variants of def.fields.values()) for (const v of variants.keys()) visit(v);
      for (const v of def.other.keys()) visit(v);
    }
  };
  for (const byDef of kinds.values()) for (const name of byDef.keys()) visit(`"#${name}"`);

  const out = { releases: releases.map((m) => `1.${m}`), kinds: {}, defs: {} };
  for (const key of [...kinds.keys()].sort()) {
    const byDef = kinds.get(key);
    const entries = [...byDef].map(([name, set]) => [name, ranges(set)]);
    out.kinds[key] = entries.length === 1 ? entries[0] : entries;
  }
  for (const name of [...reachable].sort()) {
    const def = defs.get(name);
    if (!def) continue;
    const all = ranges(def.in);
    const entry = { v: all };
    if (def.fields.size > 0) {
      entry.p = {};
      for (const field of [...def.fields.keys()].sort()) {
        const variants = [...def.fields.get(field)].map(([json, set]) => [JSON.parse(json), ranges(set)]);
        entry.p[field] = variants.length === 1 && variants[0][1] === all ? variants[0][0] : variants;
      }
      const required = [...def.required].map(([field, set]) => (ranges(set) === all ? field : [field, ranges(set)]));
      if (required.length) entry.r = required;
    }
    if (def.other.size > 0) {
      const variants = [...def.other].map(([json, set]) => [JSON.parse(json), ranges(set)]);
      entry.n = variants.length === 1 ? variants[0][0] : variants;
    }
    out.defs[name] = entry;
  }
  return `${JSON.stringify(out)}\n`;
}

if (!existsSync(source)) {
  if (check && existsSync(target)) process.exit(0);
  console.error(`gen-schemas: source folder ${source} not found (pass --source <dir>)`);
  process.exit(check ? 0 : 1);
}
const text = generate();
if (check) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    /* not generated yet */
  }
  if (current !== text) {
    console.error('schemas/kubernetes.json is stale: run `npm run gen:schemas`');
    process.exit(1);
  }
} else {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
  console.log(`schemas/kubernetes.json: ${text.length} bytes`);
}
