import type { ManifestDocument, Path } from '../loader/parse.js';
import { externalPodsSelectedBy } from './evidence/absence.js';
import { nearestDefinition } from './evidence/apply-scope.js';
import { simulateEndpoints, type ServiceEndpoints } from './services/endpoints.js';
import { deployHookOf } from './objects/hooks.js';
import {
  isKustomizeConfig,
  isKustomizePluginConfig,
  kustomizeBuilds,
  kustomizePatchFiles,
  kustomizePluginConfigFiles,
  unlistedFilesInKustomizationFolders,
  type KustomizeBuilds,
} from './kustomize/builds.js';
import { kustomizePatches, patchesTouching, type BuildPatch } from './kustomize/patches.js';
import { applyBuildTransforms } from './kustomize/transforms.js';
import { NamespaceLabelIndex } from './pods/label-index.js';
import { mayCreatePods } from './objects/operators.js';
import { podTemplatesOf, type PodTemplate } from './pods/pod-template.js';
import { apiGroup, extractResources, isBuiltin, isBuiltinGroup, type MalformedObject, type Resource } from './objects/resource.js';
import { matchTemplate, type Selector, type TemplateMatch } from './pods/selector.js';
import { readService, type ServiceSpec } from './services/service.js';
import { pushTo } from './objects/values.js';

export interface GraphOptions {
  /** Namespace of namespaced resources that name none (`kubectl apply -n`). */
  defaultNamespace: string;
  /** Pods that other systems create (evidence/absence.ts `externalPodsSelectedBy`). */
  externalPods?: readonly ExternalPods[];
}

/**
 * A label set of pods that something outside the input creates (an operator, a chart installed elsewhere), as
 * the configuration's `externalPods` declares them: selecting such pods is selecting something.
 */
export interface ExternalPods {
  readonly labels: Readonly<Record<string, string>>;
  /** The namespace the pods run in; without one, any namespace. */
  readonly namespace?: string;
}

/**
 * Everything kubewire knows about the input: resources by kind/namespace/name, pod templates, label indexes
 * and simulated endpoints. Rules ask it questions; they never scan the resources themselves.
 */
export class ResourceGraph {
  readonly resources: Resource[] = [];
  readonly malformed: MalformedObject[] = [];
  readonly podTemplates: PodTemplate[] = [];
  private readonly byKind = new Map<string, Resource[]>();
  private readonly byIdentity = new Map<string, Resource[]>();
  private readonly templatesByOwner = new Map<Resource, PodTemplate[]>();
  private readonly labelIndexes = new Map<string, NamespaceLabelIndex>();
  private readonly customByNamespace = new Map<string, Resource[]>();
  private readonly services = new Map<Resource, ServiceSpec>();
  private readonly endpoints = new Map<Resource, ServiceEndpoints>();

  /**
   * Objects that are kustomize build inputs, not objects applied to a cluster: kustomization documents and
   * the partial objects of patch files (see kustomize/builds.ts), and the partial objects of kuttl test
   * assertions. Rules never visit them.
   */
  readonly kustomizeInputs: Resource[] = [];

  /** What the kustomize builds of the input do with its files: their namespace, and which builds include them. */
  readonly kustomize: KustomizeBuilds;

  constructor(
    readonly documents: readonly ManifestDocument[],
    readonly options: GraphOptions,
  ) {
    const buildInputFiles = new Set([...kustomizePatchFiles(documents), ...kustomizePluginConfigFiles(documents)]);
    const unlistedFiles = unlistedFilesInKustomizationFolders(documents);
    this.kustomize = kustomizeBuilds(documents);
    const extracted: Resource[] = [];
    for (const document of documents) {
      // An object the model cannot read must not stop the run: it becomes a finding on its document, and every
      // other object is still linted.
      try {
        const found = extractResources(document, options.defaultNamespace, this.kustomize.namespaceOf(document.file.path));
        // A patch is a partial object on purpose (no apiVersion, no selector): not malformed.
        if (!buildInputFiles.has(document.file.path) && !isTestAssertion(document.file.path)) this.malformed.push(...found.malformed);
        extracted.push(...found.resources);
      } catch (error) {
        this.malformed.push({
          document,
          path: [],
          message: `kubewire could not read this document (${(error as Error)?.message ?? String(error)}); please report it`,
        });
      }
    }
    // A file beside a kustomization that no kustomization names, whose objects are all defined elsewhere, is a
    // patch nobody listed (see kustomize/builds.ts), not a second definition.
    const filesByIdentity = new Map<string, Set<string>>();
    const objectsByFile = new Map<string, Resource[]>();
    for (const resource of extracted) {
      const key = identity(kindKeyOf(resource), resource.namespace, resource.name);
      let files = filesByIdentity.get(key);
      if (!files) filesByIdentity.set(key, (files = new Set()));
      files.add(resource.document.file.path);
      pushTo(objectsByFile, resource.document.file.path, resource);
    }
    const definedElsewhere = (r: Resource) =>
      [...(filesByIdentity.get(identity(kindKeyOf(r), r.namespace, r.name)) ?? [])].some((f) => f !== r.document.file.path);
    const unlistedPatches = new Set(
      [...unlistedFiles].filter((file) => {
        const objects = objectsByFile.get(file) ?? [];
        return objects.length > 0 && objects.every((r) => r.name && definedElsewhere(r));
      }),
    );
    for (const resource of extracted) {
      const file = resource.document.file.path;
      if (
        buildInputFiles.has(file) ||
        unlistedPatches.has(file) ||
        isTestAssertion(file) ||
        isKustomizeConfig(resource.apiVersion) ||
        isKustomizePluginConfig(resource.apiVersion)
      ) {
        this.kustomizeInputs.push(resource);
      } else {
        const transforms = this.kustomize.transformsOf(file);
        this.add(transforms ? applyBuildTransforms(resource, transforms) : resource);
      }
    }
  }

  private add(resource: Resource): void {
    this.resources.push(resource);
    const kindKey = kindKeyOf(resource);
    pushTo(this.byKind, kindKey, resource);
    pushTo(this.byIdentity, identity(kindKey, resource.namespace, resource.name), resource);
    if (!isBuiltin(resource) && resource.kind !== 'CustomResourceDefinition') pushTo(this.customByNamespace, resource.namespace, resource);
    let templates: PodTemplate[] = [];
    try {
      templates = podTemplatesOf(resource);
    } catch (error) {
      this.malformed.push({
        document: resource.document,
        path: resource.basePath,
        message: `kubewire could not read the pod template (${(error as Error)?.message ?? String(error)}); please report it`,
      });
    }
    this.templatesByOwner.set(resource, templates);
    for (const template of templates) {
      this.podTemplates.push(template);
      let index = this.labelIndexes.get(template.namespace);
      if (!index) this.labelIndexes.set(template.namespace, (index = new NamespaceLabelIndex()));
      index.add(template);
    }
  }

  private patches: BuildPatch[] | undefined;

  /** The kustomize patches that change the resource (at `field`, when given) in some build of the input. */
  patchesTouching(resource: Resource, field?: Path): BuildPatch[] {
    this.patches ??= kustomizePatches(this.documents);
    return this.patches.length === 0 ? [] : patchesTouching(this.patches, this.kustomize, resource, field);
  }

  /** Built-in resources of a kind (`Service`, `Deployment`); custom resources by `Kind.group`. */
  ofKind(kind: string): readonly Resource[] {
    return this.byKind.get(kind) ?? [];
  }

  /** The resource that wins on apply (the last one given) for a kind, namespace and name. */
  find(kind: string, namespace: string, name: string): Resource | undefined {
    const all = this.byIdentity.get(identity(kind, namespace, name));
    return all?.[all.length - 1];
  }

  /**
   * The resource an object reference names (HPA scaleTargetRef, ...): built-in kinds by kind, whatever the
   * version (`apps/v1` or `extensions/v1beta1` Deployment), custom kinds by `Kind.group`.
   */
  findByReference(apiVersion: string, kind: string, namespace: string, name: string): Resource | undefined {
    return this.find(referenceKindKey(apiVersion, kind), namespace, name);
  }

  /**
   * The resource `from` refers to by name (a StatefulSet's serviceName, an Ingress backend, an HPA target).
   * When the input defines that object more than once (two examples of one repository both write Service
   * "nginx"), the definition nearest `from` (evidence/apply-scope.ts `nearestDefinition`), not the last one of the
   * whole tree: otherwise a reference is checked against another example's copy.
   */
  findReferencedBy(from: Resource, kind: string, namespace: string, name: string): Resource | undefined {
    const all = this.byIdentity.get(identity(kind, namespace, name));
    if (!all || all.length <= 1) return all?.[0];
    return nearestDefinition(this, from, all);
  }

  /** Every definition of the same object, in input order (more than one is a duplicate). */
  definitionsOf(resource: Resource): readonly Resource[] {
    return this.byIdentity.get(identity(kindKeyOf(resource), resource.namespace, resource.name)) ?? [resource];
  }

  podTemplatesOf(resource: Resource): readonly PodTemplate[] {
    return this.templatesByOwner.get(resource) ?? [];
  }

  podTemplatesIn(namespace: string): readonly PodTemplate[] {
    return this.labelIndexes.get(namespace)?.templates ?? [];
  }

  namespacesWithPodTemplates(): string[] {
    return [...this.labelIndexes.keys()];
  }

  /** Pod templates in a namespace whose pods the selector selects, with pod counts. */
  podTemplatesSelectedBy(selector: Selector, namespace: string): TemplateMatch[] {
    return this.labelIndexes.get(namespace)?.select(selector) ?? [];
  }

  /** Custom resources (CRD instances) in a namespace: operators may create pods from them. */
  customResourcesIn(namespace: string): readonly Resource[] {
    return this.customByNamespace.get(namespace) ?? [];
  }

  /** A Service after defaulting (type, headless, selector, ports with targetPort defaulted). */
  service(resource: Resource): ServiceSpec {
    let spec = this.services.get(resource);
    if (!spec) this.services.set(resource, (spec = readService(resource)));
    return spec;
  }

  /** What `kubectl get endpointslices` would show for a Service once everything is applied. */
  endpointsOf(resource: Resource): ServiceEndpoints {
    let result = this.endpoints.get(resource);
    if (!result) {
      const service = this.service(resource);
      const selected = service.selector
        ? this.oneDefinitionEach(
            resource,
            this.podTemplatesSelectedBy(service.selector, resource.namespace).filter((m) => becomesEndpoint(m.template)),
          )
        : [];
      result = simulateEndpoints(service, selected, service.selector ? [] : this.manualEndpointsFor(resource));
      const external =
        service.selector && service.type !== 'ExternalName' ? externalPodsSelectedBy(this, service.selector, resource.namespace) : [];
      if (external.length > 0) result = { ...result, external };
      if (service.selector && selected.length === 0 && service.type !== 'ExternalName') {
        const operatorResource = this.likelyOperatorResource(service.selector, resource.namespace);
        if (operatorResource) result = { ...result, operatorResource };
      }
      this.endpoints.set(resource, result);
    }
    return result;
  }

  /**
   * One match per object: a workload defined twice (two examples that both write ReplicationController
   * "guestbook") is one object in the cluster, so its pods are counted once, from the definition nearest the
   * Service.
   */
  private oneDefinitionEach(service: Resource, matches: TemplateMatch[]): TemplateMatch[] {
    // Unnamed objects (generateName) are each their own object.
    const byObject = new Map<unknown, TemplateMatch[]>();
    for (const match of matches) {
      const owner = match.template.owner;
      const key = owner.name ? `${identity(kindKeyOf(owner), owner.namespace, owner.name)}\u0000${match.template.path.join('.')}` : match;
      pushTo(byObject, key, match);
    }
    if (byObject.size === matches.length) return matches;
    const kept = new Set<TemplateMatch>();
    for (const group of byObject.values()) {
      const nearest = nearestDefinition(
        this,
        service,
        group.map((m) => m.template.owner),
      );
      kept.add(group.find((m) => m.template.owner === nearest) ?? group[group.length - 1]!);
    }
    return matches.filter((m) => kept.has(m));
  }

  /**
   * Whether the Service selects pods of the template, asked of the labels: a workload defined twice is one object,
   * and each copy gets the same answer (the endpoint simulation counts only the copy nearest the Service).
   */
  selects(serviceResource: Resource, template: PodTemplate): boolean {
    const { selector } = this.service(serviceResource);
    return (
      selector !== undefined &&
      serviceResource.namespace === template.namespace &&
      becomesEndpoint(template) &&
      matchTemplate(selector, template) !== undefined
    );
  }

  private servicesByTemplate: Map<PodTemplate, Resource[]> | undefined;

  /** The Services whose simulated endpoints include pods of the template. */
  servicesSelecting(template: PodTemplate): readonly Resource[] {
    if (!this.servicesByTemplate) {
      this.servicesByTemplate = new Map();
      for (const service of this.ofKind('Service')) {
        for (const match of this.endpointsOf(service).selected) pushTo(this.servicesByTemplate, match.template, service);
      }
    }
    return this.servicesByTemplate.get(template) ?? [];
  }

  /** Hand-written Endpoints (same name) and EndpointSlices (label kubernetes.io/service-name) of a Service. */
  manualEndpointsFor(service: Resource): Resource[] {
    const out: Resource[] = [];
    const endpoints = this.find('Endpoints', service.namespace, service.name);
    if (endpoints) out.push(endpoints);
    for (const slice of this.ofKind('EndpointSlice')) {
      if (slice.namespace === service.namespace && slice.labels['kubernetes.io/service-name'] === service.name) out.push(slice);
    }
    return out;
  }

  /**
   * The custom resource an operator probably creates a Service's pods from: one in the namespace whose name
   * is a value of the selector, or whose API group shares its domain with a selector key's prefix
   * (`strimzi.io/cluster` and `kafka.strimzi.io`).
   */
  likelyOperatorResource(selector: Selector, namespace: string): Resource | undefined {
    const custom = this.podCreatingCustomResourcesIn(namespace);
    if (custom.length === 0) return undefined;
    const values = new Set(selector.requirements.flatMap((r) => r.values));
    const domains = selector.requirements.map((r) => keyDomain(r.key)).filter((d): d is string => d !== undefined);
    const byName = custom.find((r) => values.has(r.name));
    if (byName) return byName;
    return custom.find((r) => domains.some((d) => groupDomain(apiGroup(r.apiVersion)) === d));
  }

  /** Custom resources in a namespace whose operator may create pods (not monitoring, routing or policy kinds). */
  podCreatingCustomResourcesIn(namespace: string): readonly Resource[] {
    return this.customResourcesIn(namespace).filter(mayCreatePods);
  }
}

/**
 * kuttl and chainsaw test steps: `00-assert.yaml` / `01-errors.yaml` hold partial objects that the test runner
 * compares with the cluster's state; they are never applied (kuttl.dev docs, "Test steps").
 */
function isTestAssertion(file: string): boolean {
  return /^\d+-(assert|errors)(-[\w.-]+)?\.ya?ml$/.test(file.slice(file.lastIndexOf('/') + 1));
}

/**
 * A deploy tool's hook (a `helm test` Pod carrying the chart's labels) runs to completion, and pods that have
 * Succeeded are not endpoints (EndpointSlice controller, podutil.ShouldPodBeInEndpoints).
 */
function becomesEndpoint(template: PodTemplate): boolean {
  return deployHookOf(template.owner) === undefined;
}

/** The key ofKind/find use for the kind an object reference names: `Deployment`, `Rollout.argoproj.io`. */
export function referenceKindKey(apiVersion: string, kind: string): string {
  const group = apiGroup(apiVersion);
  return isBuiltinGroup(group) ? kind : `${kind}.${group}`;
}

function kindKeyOf(resource: Resource): string {
  return isBuiltin(resource) ? resource.kind : `${resource.kind}.${apiGroup(resource.apiVersion)}`;
}

function identity(kindKey: string, namespace: string, name: string): string {
  return `${kindKey}\u0000${namespace}\u0000${name}`;
}

/** `cnpg.io` for `cnpg.io/cluster`, `strimzi.io` for `strimzi.io/kind`. */
function keyDomain(key: string): string | undefined {
  const slash = key.indexOf('/');
  return slash < 0 ? undefined : groupDomain(key.slice(0, slash));
}

/** The registrable part of an API group: `kafka.strimzi.io` → `strimzi.io`, `postgresql.cnpg.io` → `cnpg.io`. */
function groupDomain(group: string): string {
  const parts = group.split('.');
  return parts.slice(-2).join('.');
}
