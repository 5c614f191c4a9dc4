import { createRule, type Path, type RelatedLocation } from '../api/authoring.js';
import { judgeAbsence, nearReferrer, unsureBecause } from '../model/evidence/absence.js';
import { inSameSubtree } from '../model/evidence/apply-scope.js';
import { locationOf } from '../model/evidence/hints.js';
import type { Resource } from '../model/objects/resource.js';
import {
  endpointPortServes,
  isManualEndpointsKind,
  readManualEndpoints,
  serviceOfManualEndpoints,
  servicePortsWithoutEndpoints,
  unpairedEndpointPorts,
  SERVICE_NAME_LABEL,
  type ManualEndpointPort,
  type ManualEndpoints,
} from '../model/services/manual-endpoints.js';
import { servicePortLabel, type ServicePort, type ServiceSpec } from '../model/services/service.js';

export const manualEndpoints = createRule({
  name: 'manual-endpoints',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    docs: {
      description:
        'Require every hand-written Endpoints and EndpointSlice to belong to a selectorless Service, with the port names of that Service',
    },
    messages: {
      portNotPaired:
        '{{kind}} port {{endpointPort}} has no counterpart in Service "{{service}}" ({{servicePorts}}): kube-proxy pairs endpoint ports with Service ports by name and protocol, so {{consequence}}{{hint}}',
      noPorts:
        '{{kind}} "{{name}}" lists addresses but no ports: kube-proxy gives a Service port only the endpoint ports of its name and protocol, so Service "{{service}}" ({{servicePorts}}) gets no endpoint from it and connections fail. Add ports, named like the Service ports{{example}}.',
      endpointsNameMismatch:
        'Endpoints object "{{name}}" belongs to no Service: Endpoints are tied to the Service of the same name, and namespace "{{namespace}}" has no Service "{{name}}". Service "{{similar}}" ({{where}}) has no selector and no endpoints of its own, so it gets none from this object and connections to it fail. Rename the Endpoints to "{{similar}}" (or the Service to "{{name}}").{{note}}',
      sliceServiceMissing:
        'EndpointSlice "{{name}}" belongs to Service "{{service}}" (label kubernetes.io/service-name), but namespace "{{namespace}}" has no Service "{{service}}" in the input: kube-proxy only sends a Service\'s traffic to the slices labelled with its name, so these endpoints get none.{{hint}}',
      serviceInOtherNamespace:
        '{{kind}} "{{name}}" is in namespace "{{namespace}}", but Service "{{service}}" is in namespace "{{other}}" ({{where}}): endpoints belong to the Service of their name (or label) in their own namespace, so that Service gets nothing from this object. Put both in the same namespace.',
      sliceWithoutService:
        'EndpointSlice "{{name}}" has no kubernetes.io/service-name label: kube-proxy ignores a slice that names no Service, so these endpoints receive no traffic. Label it with the name of its Service.{{hint}}',
      endpointsReplaced:
        'Endpoints object "{{name}}" is written by hand for Service "{{name}}", which has a selector ({{where}}): the endpoints controller writes the Endpoints of a Service with a selector itself, from the pods it selects, and replaces these addresses; they never get traffic. Remove the selector from the Service if it should reach these addresses, or remove this object.',
      sliceBesideSelector:
        'EndpointSlice "{{name}}" is written by hand for Service "{{service}}", which has a selector ({{where}}): kube-proxy uses it next to the slices the EndpointSlice controller builds from the pods, so part of the Service\'s traffic goes to these addresses and part to the pods. Remove the selector from the Service if it should only reach these addresses, or remove this slice.',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const { graph } = context;

    function check(resource: Resource): void {
      if (!isManualEndpointsKind(resource)) return;
      const manual = readManualEndpoints(resource);
      // A copy exported from a cluster, or a leader-election lock: not a Service's hand-written endpoints.
      if (manual.controllerWritten || manual.leaderLock) return;
      if (manual.serviceName === undefined) {
        context.report({
          resource,
          path: ['metadata', 'labels'],
          messageId: 'sliceWithoutService',
          severity: 'warn',
          data: { name: resource.name, hint: unlabelledSliceHint(manual) },
        });
        return;
      }
      const service = serviceOfManualEndpoints(graph, manual);
      if (!service) {
        reportMissingService(manual);
        return;
      }
      const spec = graph.service(service);
      // An ExternalName Service is a DNS CNAME: kube-proxy programs nothing for it, whatever its endpoints.
      if (spec.type === 'ExternalName') return;
      if (spec.selector) {
        // A kustomize patch that deletes the selector (`selector: {$patch: delete}`) touches the related field, so
        // the engine lowers the finding and names the patch (kustomize/patches.ts).
        const data = { name: resource.name, service: service.name, where: locationOf(service, ['spec', 'selector']) };
        const related: RelatedLocation[] = [
          { resource: service, path: ['spec', 'selector'], message: `selector of Service "${service.name}"` },
        ];
        if (manual.kind === 'Endpoints')
          context.report({ resource, path: ['metadata', 'name'], messageId: 'endpointsReplaced', severity: 'warn', data, related });
        else context.report({ resource, path: manual.serviceNamePath, messageId: 'sliceBesideSelector', severity: 'warn', data, related });
        return;
      }
      checkPorts(manual, service, spec);
    }

    function checkPorts(manual: ManualEndpoints, service: Resource, spec: ServiceSpec): void {
      // A headless Service needs no ports: DNS answers with the addresses (an A record per endpoint).
      if (manual.ports.length === 0 && !spec.headless && spec.ports.length > 0) {
        const first = spec.ports[0]!;
        context.report({
          resource: manual.resource,
          path: manual.kind === 'Endpoints' ? ['subsets'] : ['endpoints'],
          messageId: 'noPorts',
          data: {
            kind: manual.kind,
            name: manual.resource.name,
            service: service.name,
            servicePorts: spec.ports.map(servicePortLabel).join(', '),
            example: ` (ports: [{${first.name ? `name: ${first.name}, ` : ''}port: ${first.targetPort ?? first.port ?? '?'}}])`,
          },
          related: [{ resource: service, path: ['spec', 'ports'], message: `ports of Service "${service.name}"` }],
        });
        return;
      }
      const unpaired = unpairedEndpointPorts(spec, manual);
      if (unpaired.length === 0) return;
      // Every hand-written object of the Service counts: a port may get its endpoints from another slice.
      const all = graph.manualEndpointsFor(service).map(readManualEndpoints);
      const starved = servicePortsWithoutEndpoints(spec, all.includes(manual) ? all : [...all, manual]);
      for (const port of unpaired) {
        const candidate = pairCandidate(port, spec, starved);
        // Name the Service port this one was meant for when it stands out, else every port left without endpoints.
        const left = candidate && starved.includes(candidate) ? [candidate] : starved;
        const consequence =
          left.length > 0
            ? `Service port${left.length === 1 ? '' : 's'} ${left.map(servicePortLabel).join(', ')} get${left.length === 1 ? 's' : ''} no endpoint and connections to ${left.length === 1 ? 'it' : 'them'} fail.`
            : 'traffic never reaches these addresses through this port (every Service port already has endpoints).';
        // The field to fix: the protocol when the names agree, else the name (the port object when it has none).
        const sameName = candidate !== undefined && (candidate.name ?? '') === port.name;
        const path: Path = sameName ? [...port.path, 'protocol'] : port.name !== '' ? [...port.path, 'name'] : port.path;
        context.report({
          resource: manual.resource,
          path,
          messageId: 'portNotPaired',
          data: {
            kind: manual.kind,
            endpointPort: endpointPortLabel(port),
            service: service.name,
            servicePorts: spec.ports.map(servicePortLabel).join(', ') || 'no ports',
            consequence,
            hint: candidate ? pairHint(port, candidate) : '',
          },
          related: [{ resource: service, path: ['spec', 'ports'], message: `ports of Service "${service.name}"` }],
          // A port that no Service port needs costs nothing: only a port left without endpoints breaks traffic.
          ...(starved.length === 0 ? { severity: 'warn' as const } : {}),
        });
      }
    }

    function reportMissingService(manual: ManualEndpoints): void {
      const { resource } = manual;
      const name = manual.serviceName!;
      // One policy for every reference (evidence/absence.ts): the close-named Service is the one meant when it is
      // waiting for hand-written endpoints, i.e. it has no selector and no Endpoints or EndpointSlice of its own.
      const verdict = judgeAbsence(graph, {
        from: resource,
        kindKeys: ['Service'],
        namespace: resource.namespace,
        name,
        confirms: (candidate) => (waitingForEndpoints(candidate) ? 'it has no selector and no endpoints of its own' : undefined),
      });
      if (verdict.kind === 'mistake') {
        const candidate = verdict.evidence.candidate;
        const related: RelatedLocation[] = [{ resource: candidate, path: ['metadata', 'name'], message: `Service "${candidate.name}"` }];
        if (verdict.evidence.kind === 'other-namespace') {
          context.report({
            resource,
            path: manual.serviceNamePath,
            messageId: 'serviceInOtherNamespace',
            data: {
              kind: manual.kind,
              name: resource.name,
              service: name,
              namespace: resource.namespace,
              other: candidate.namespace,
              where: locationOf(candidate, ['metadata', 'name']),
            },
            related,
          });
          return;
        }
        reportNameMismatch(manual, name, candidate, '', related);
        return;
      }
      // Unsure: a warning when a close-named Service is waiting for these endpoints, or (for a slice) when the
      // Services applied with it lack this one; silence when nothing near the object says anything.
      const why = ` (This is a warning, not an error, because ${unsureBecause(graph, verdict, resource, 'the Service', `the ${manual.kind}`)}.)`;
      const waiting = verdict.similar && waitingForEndpoints(verdict.similar) ? verdict.similar : undefined;
      if (waiting) {
        // Near the object, only the name keeps it from being the one meant: it adds or drops whole words.
        const because = nearReferrer(graph, resource, waiting)
          ? ` (This is a warning, not an error: "${name}" is not a slip of "${waiting.name}" but a name of its own, and a Service "${name}" may be applied from elsewhere.)`
          : why;
        reportNameMismatch(
          manual,
          name,
          waiting,
          because,
          [{ resource: waiting, path: ['metadata', 'name'], message: `selectorless Service "${waiting.name}"` }],
          'warn',
        );
        return;
      }
      if (manual.kind === 'EndpointSlice' && verdict.reason.kind === 'not-in-input') {
        context.report({
          resource,
          path: manual.serviceNamePath,
          messageId: 'sliceServiceMissing',
          severity: 'warn',
          data: { name: resource.name, service: name, namespace: resource.namespace, hint: why },
        });
      }
    }

    function reportNameMismatch(
      manual: ManualEndpoints,
      name: string,
      service: Resource,
      why: string,
      related: RelatedLocation[],
      severity?: 'warn',
    ): void {
      const { resource } = manual;
      const where = locationOf(service, ['metadata', 'name']);
      if (manual.kind === 'Endpoints') {
        context.report({
          resource,
          path: ['metadata', 'name'],
          messageId: 'endpointsNameMismatch',
          data: { name, namespace: resource.namespace, similar: service.name, where, note: why },
          related,
          ...(severity ? { severity } : {}),
        });
        return;
      }
      context.report({
        resource,
        path: manual.serviceNamePath,
        messageId: 'sliceServiceMissing',
        data: {
          name: resource.name,
          service: name,
          namespace: resource.namespace,
          hint: ` Service "${service.name}" (${where}) has no selector and no endpoints of its own: did you mean ${SERVICE_NAME_LABEL}: ${service.name}?${why}`,
        },
        related,
        ...(severity ? { severity } : {}),
      });
    }

    /** A Service that gets its endpoints by hand and has none in the input yet. */
    function waitingForEndpoints(service: Resource): boolean {
      const spec = graph.service(service);
      return !spec.selector && spec.type !== 'ExternalName' && graph.manualEndpointsFor(service).length === 0;
    }

    /** For a slice without the label: the selectorless Service it was probably written for, when one stands out. */
    function unlabelledSliceHint(manual: ManualEndpoints): string {
      const waiting = graph
        .ofKind('Service')
        .filter((s) => s.namespace === manual.resource.namespace && inSameSubtree(graph, manual.resource, s))
        .filter(waitingForEndpoints)
        .filter((s) => manual.ports.every((p) => graph.service(s).ports.some((sp) => endpointPortServes(p, sp))));
      return waiting.length === 1
        ? ` Service "${waiting[0]!.name}" (${locationOf(waiting[0]!, ['metadata', 'name'])}) has no selector, no endpoints, and the ports of this slice: did you mean ${SERVICE_NAME_LABEL}: ${waiting[0]!.name}?`
        : '';
    }

    return { Endpoints: check, EndpointSlice: check };
  },
});

/** `"web" (9376/TCP)` or `9376/TCP (unnamed)`. */
function endpointPortLabel(port: ManualEndpointPort): string {
  const number = `${port.port ?? '?'}/${port.protocol}`;
  return port.name !== '' ? `"${port.name}" (${number})` : `${number} (unnamed)`;
}

/**
 * The Service port this endpoint port was probably written for: the port of the same name with another
 * protocol, else the only Service port left without endpoints.
 */
function pairCandidate(port: ManualEndpointPort, spec: ServiceSpec, starved: readonly ServicePort[]): ServicePort | undefined {
  const sameName = spec.ports.find((sp) => (sp.name ?? '') === port.name);
  if (sameName) return sameName;
  if (starved.length === 1) return starved[0];
  // A selectorless Service's targetPort is not used, but it is usually written as the endpoints' port.
  const sameNumber = starved.filter(
    (sp) => sp.protocol === port.protocol && port.port !== undefined && (sp.port === port.port || sp.targetPort === port.port),
  );
  return sameNumber.length === 1 ? sameNumber[0] : undefined;
}

function pairHint(port: ManualEndpointPort, candidate: ServicePort): string {
  if ((candidate.name ?? '') === port.name)
    return ` Service port ${servicePortLabel(candidate)} has this name with protocol ${candidate.protocol}: set protocol: ${candidate.protocol} here, or change the Service port's protocol.`;
  if (candidate.name === undefined)
    return ` The Service port ${servicePortLabel(candidate)} has no name: remove name: ${port.name} from this port (or name the Service port "${port.name}").`;
  return ` Did you mean name: ${candidate.name}?`;
}
