import { apiGroup, isBuiltin, type Resource } from './resource.js';

/**
 * Custom resources whose operator could be what creates a Service's pods. Many custom kinds only configure
 * something else (monitoring, certificates, routing, policies, secrets, GitOps sources) and never run a pod;
 * naming one of them as "the operator behind these pods" would send a reader the wrong way.
 */
const CONFIGURATION_ONLY_KINDS: Readonly<Record<string, ReadonlySet<string>>> = {
  'monitoring.coreos.com': new Set(['ServiceMonitor', 'PodMonitor', 'Probe', 'PrometheusRule', 'AlertmanagerConfig', 'ScrapeConfig']),
  'cert-manager.io': new Set(['Certificate', 'CertificateRequest', 'Issuer', 'ClusterIssuer']),
  'networking.istio.io': new Set([
    'VirtualService',
    'DestinationRule',
    'ServiceEntry',
    'Sidecar',
    'EnvoyFilter',
    'Gateway',
    'WorkloadEntry',
  ]),
  'security.istio.io': new Set(['PeerAuthentication', 'AuthorizationPolicy', 'RequestAuthentication']),
  'gateway.networking.k8s.io': new Set([
    'Gateway',
    'GatewayClass',
    'HTTPRoute',
    'GRPCRoute',
    'TCPRoute',
    'TLSRoute',
    'UDPRoute',
    'ReferenceGrant',
    'BackendTLSPolicy',
  ]),
  'traefik.io': new Set([
    'IngressRoute',
    'IngressRouteTCP',
    'IngressRouteUDP',
    'Middleware',
    'MiddlewareTCP',
    'TLSOption',
    'TLSStore',
    'ServersTransport',
    'TraefikService',
  ]),
  'traefik.containo.us': new Set([
    'IngressRoute',
    'IngressRouteTCP',
    'IngressRouteUDP',
    'Middleware',
    'TLSOption',
    'TLSStore',
    'TraefikService',
  ]),
  'configuration.konghq.com': new Set(['KongPlugin', 'KongClusterPlugin', 'KongIngress', 'KongConsumer', 'KongUpstreamPolicy']),
  'bitnami.com': new Set(['SealedSecret']),
  'external-secrets.io': new Set(['ExternalSecret', 'ClusterExternalSecret', 'SecretStore', 'ClusterSecretStore']),
  'source.toolkit.fluxcd.io': new Set(['GitRepository', 'HelmRepository', 'OCIRepository', 'Bucket', 'HelmChart']),
  'kustomize.toolkit.fluxcd.io': new Set(['Kustomization']),
  'autoscaling.k8s.io': new Set(['VerticalPodAutoscaler']),
  'keda.sh': new Set(['ScaledObject', 'TriggerAuthentication', 'ClusterTriggerAuthentication']),
  'kyverno.io': new Set(['Policy', 'ClusterPolicy', 'PolicyException']),
  'dapr.io': new Set(['Component', 'Configuration', 'Subscription', 'Resiliency']),
};

/** True for a custom resource whose operator may create pods (anything not known to only configure). */
export function mayCreatePods(resource: Resource): boolean {
  if (isBuiltin(resource) || resource.kind === 'CustomResourceDefinition') return false;
  const group = apiGroup(resource.apiVersion);
  return !(Object.hasOwn(CONFIGURATION_ONLY_KINDS, group) && CONFIGURATION_ONLY_KINDS[group]!.has(resource.kind));
}

/**
 * True when a label value names the custom resource's kind: operators label the pods they create after the
 * kind they create them from (the Prometheus operator's `app.kubernetes.io/name: prometheus` and
 * `alertmanager` on the pods of a Prometheus or Alertmanager resource), so a selector on that value is
 * probably meant for those pods.
 */
export function labelValueNamesKind(value: string, resource: Resource): boolean {
  return value !== '' && value.toLowerCase() === resource.kind.toLowerCase();
}
