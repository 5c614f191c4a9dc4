import { createRule, type Path } from '../api/authoring.js';
import { isDns1123Subdomain } from '../model/objects/names.js';
import { headlessPath, isExternallyAccessible, needsHealthCheck } from '../model/services/service.js';
import { asArray, asObject, getIn, textOf } from '../model/objects/values.js';

/** validation.go supportedServiceType; case-sensitive. */
const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
/** validExternalTrafficPolicies and supportedServiceInternalTrafficPolicy. */
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
/** supportedSessionAffinityType. */
const SESSION_AFFINITIES = ['ClientIP', 'None'];
/** core.MaxClientIPServiceAffinitySeconds: one day. */
const MAX_AFFINITY_TIMEOUT_SECONDS = 86400;
/** core.AnnotationLoadBalancerSourceRangesKey: the annotation form of spec.loadBalancerSourceRanges. */
const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

type MessageIds =
  | 'unknownType'
  | 'headlessNotAllowed'
  | 'forbiddenOnExternalName'
  | 'externalNameRequired'
  | 'invalidExternalName'
  | 'externalNameIgnored'
  | 'externalTrafficPolicyNotAllowed'
  | 'invalidTrafficPolicy'
  | 'loadBalancerOnly'
  | 'healthCheckNodePortNotAllowed'
  | 'invalidSessionAffinity'
  | 'invalidSessionAffinityTimeout'
  | 'sessionAffinityConfigIgnored';

export const serviceTypeFields = createRule<readonly [], MessageIds>({
  name: 'service-type-fields',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    docs: { description: 'Disallow Service fields that the API server rejects for the Service type' },
    messages: {
      unknownType:
        'type "{{value}}" is not a Service type, so the API server rejects the Service: use ClusterIP, NodePort, LoadBalancer or ExternalName (case matters).{{hint}}',
      headlessNotAllowed:
        "A {{type}} Service cannot be headless (clusterIP: None): node ports and load balancers forward to the cluster IP, so the API server rejects it (Invalid spec.clusterIPs[0]: may not be set to 'None' for {{type}} services). Remove clusterIP: None, or keep a separate headless ClusterIP Service for per-pod DNS.",
      forbiddenOnExternalName:
        '{{field}} may not be set on an ExternalName Service, which is only a DNS CNAME and gets no cluster IP: the API server rejects it (Forbidden spec.{{upstreamField}}). Remove it.',
      externalNameRequired:
        'An ExternalName Service needs spec.externalName, the DNS name it aliases: without it the API server rejects the Service (Required spec.externalName). Set it, e.g. externalName: db.example.com.',
      invalidExternalName:
        'externalName "{{value}}" is not a valid DNS name (lower-case letters, digits, "-" and ".", at most 253 characters, one trailing dot allowed), so the API server rejects the Service.{{hint}}',
      externalNameIgnored:
        'externalName is set on a {{type}} Service, where it is ignored (the API server only warns: "spec.externalName is ignored when spec.type is not ExternalName"). Set type: ExternalName if this Service should be a DNS alias, or remove externalName.',
      externalTrafficPolicyNotAllowed:
        'externalTrafficPolicy is set on this {{type}} Service, which takes no traffic from outside the cluster, so the API server rejects it (Invalid spec.externalTrafficPolicy: may only be set for externally-accessible services). Remove it, or use type NodePort or LoadBalancer.',
      invalidTrafficPolicy:
        '{{field}} "{{value}}" is not supported, so the API server rejects the Service: use Cluster or Local (case matters).',
      loadBalancerOnly:
        "{{field}} only applies to LoadBalancer Services and this one is {{type}}, so the API server rejects it (Forbidden {{upstreamField}}: may only be used when `type` is 'LoadBalancer'). Remove it, or set type: LoadBalancer.",
      healthCheckNodePortNotAllowed:
        'healthCheckNodePort is only used by a LoadBalancer Service with externalTrafficPolicy: Local, and this one is {{what}}, so the API server rejects it (Invalid spec.healthCheckNodePort). Remove it, or set type: LoadBalancer and externalTrafficPolicy: Local.',
      invalidSessionAffinity:
        'sessionAffinity "{{value}}" is not supported, so the API server rejects the Service: use None or ClientIP (case matters).',
      invalidSessionAffinityTimeout:
        'sessionAffinityConfig.clientIP.timeoutSeconds {{value}} is outside 1-86400 (one day), so the API server rejects the Service. Use a number of seconds up to 86400, or leave it out for the default of 10800 (3 hours).',
      sessionAffinityConfigIgnored:
        'sessionAffinityConfig is set but sessionAffinity is {{affinity}}, so there are no sticky sessions: the API server drops the config (older API servers reject the Service). Set sessionAffinity: ClientIP if you want clients to stick to one pod, or remove sessionAffinityConfig.',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const { graph } = context;
    return {
      Service(resource) {
        const service = graph.service(resource);
        const spec = asObject(resource.object.spec) ?? {};
        const type = service.type;
        const isSet = (value: unknown) => value !== undefined && value !== null;
        const report = (path: Path, messageId: MessageIds, data: Record<string, string | number> = {}, severity?: 'warn') =>
          context.report({ resource, path, messageId, data, ...(severity ? { severity } : {}) });

        // An empty type defaults to ClusterIP (SetDefaults_Service); anything else must be a known type. The
        // other checks depend on the type, so an unknown one is the only finding.
        const writtenType = spec.type;
        if (isSet(writtenType) && writtenType !== '' && !SERVICE_TYPES.includes(writtenType as string)) {
          const fixed =
            typeof writtenType === 'string' ? SERVICE_TYPES.find((t) => t.toLowerCase() === writtenType.toLowerCase()) : undefined;
          report(['spec', 'type'], 'unknownType', { value: textOf(writtenType), hint: fixed ? ` Write "${fixed}".` : '' });
          return;
        }

        if ((type === 'NodePort' || type === 'LoadBalancer') && service.headless) {
          report(headlessPath(service), 'headlessNotAllowed', { type });
        }

        if (type === 'ExternalName') {
          // clusterIPs is filled from clusterIP before validation (NormalizeClusterIPs), so either one counts.
          const clusterIPWritten = typeof spec.clusterIP === 'string' && spec.clusterIP !== '';
          const clusterIPsWritten = asArray(spec.clusterIPs).some((ip) => ip !== '' && ip !== null);
          if (clusterIPWritten)
            report(['spec', 'clusterIP'], 'forbiddenOnExternalName', { field: 'clusterIP', upstreamField: 'clusterIPs' });
          else if (clusterIPsWritten)
            report(['spec', 'clusterIPs'], 'forbiddenOnExternalName', { field: 'clusterIPs', upstreamField: 'clusterIPs' });
          if (asArray(spec.ipFamilies).length > 0)
            report(['spec', 'ipFamilies'], 'forbiddenOnExternalName', { field: 'ipFamilies', upstreamField: 'ipFamilies' });
          if (isSet(spec.ipFamilyPolicy))
            report(['spec', 'ipFamilyPolicy'], 'forbiddenOnExternalName', { field: 'ipFamilyPolicy', upstreamField: 'ipFamilyPolicy' });

          const externalName = spec.externalName;
          // The value is a CNAME and may end with one dot (fully qualified): ValidateService strips one.
          const cname = typeof externalName === 'string' ? externalName.replace(/\.$/, '') : '';
          if (!isSet(externalName) || externalName === '' || (typeof externalName === 'string' && cname === '')) {
            report(['spec', 'externalName'], 'externalNameRequired');
          } else if (typeof externalName !== 'string' || !isDns1123Subdomain(cname)) {
            report(['spec', 'externalName'], 'invalidExternalName', {
              value: textOf(externalName),
              hint: externalNameHint(textOf(externalName)),
            });
          }
        } else if (typeof spec.externalName === 'string' && spec.externalName !== '') {
          report(['spec', 'externalName'], 'externalNameIgnored', { type }, 'warn');
        }

        // validateServiceExternalTrafficPolicy
        const externalTrafficPolicy = spec.externalTrafficPolicy;
        if (isSet(externalTrafficPolicy) && externalTrafficPolicy !== '') {
          if (!isExternallyAccessible(service)) {
            report(['spec', 'externalTrafficPolicy'], 'externalTrafficPolicyNotAllowed', {
              type: describeType(service.type, service.headless),
            });
          } else if (!TRAFFIC_POLICIES.includes(externalTrafficPolicy as string)) {
            report(['spec', 'externalTrafficPolicy'], 'invalidTrafficPolicy', {
              field: 'externalTrafficPolicy',
              value: textOf(externalTrafficPolicy),
            });
          }
        }
        if (service.healthCheckNodePort !== undefined && !needsHealthCheck(service)) {
          const what =
            type === 'LoadBalancer'
              ? `a LoadBalancer with externalTrafficPolicy ${service.externalTrafficPolicy ?? 'Cluster (the default)'}`
              : `type ${type}`;
          report(['spec', 'healthCheckNodePort'], 'healthCheckNodePortNotAllowed', { what });
        }

        // validateServiceInternalTrafficFieldsValue
        const internalTrafficPolicy = spec.internalTrafficPolicy;
        if (isSet(internalTrafficPolicy) && !TRAFFIC_POLICIES.includes(internalTrafficPolicy as string)) {
          report(['spec', 'internalTrafficPolicy'], 'invalidTrafficPolicy', {
            field: 'internalTrafficPolicy',
            value: textOf(internalTrafficPolicy),
          });
        }

        if (type !== 'LoadBalancer') {
          const loadBalancerOnly = (path: Path, field: string, upstreamField: string) =>
            report(path, 'loadBalancerOnly', { field, type, upstreamField });
          if (asArray(spec.loadBalancerSourceRanges).length > 0) {
            loadBalancerOnly(['spec', 'loadBalancerSourceRanges'], 'loadBalancerSourceRanges', 'spec.loadBalancerSourceRanges');
          } else if (isSet(getIn(resource.object, ['metadata', 'annotations', SOURCE_RANGES_ANNOTATION]))) {
            loadBalancerOnly(
              ['metadata', 'annotations', SOURCE_RANGES_ANNOTATION],
              `The annotation ${SOURCE_RANGES_ANNOTATION}`,
              `metadata.annotations[${SOURCE_RANGES_ANNOTATION}]`,
            );
          }
          if (isSet(spec.allocateLoadBalancerNodePorts)) {
            loadBalancerOnly(
              ['spec', 'allocateLoadBalancerNodePorts'],
              'allocateLoadBalancerNodePorts',
              'spec.allocateLoadBalancerNodePorts',
            );
          }
          if (isSet(spec.loadBalancerClass)) loadBalancerOnly(['spec', 'loadBalancerClass'], 'loadBalancerClass', 'spec.loadBalancerClass');
        }

        // Session affinity, after SetDefaults_Service: "" is None, None drops sessionAffinityConfig, ClientIP
        // fills a missing timeout with 10800; then validateClientIPAffinityConfig checks 0 < timeout <= 86400.
        const affinity = isSet(spec.sessionAffinity) && spec.sessionAffinity !== '' ? spec.sessionAffinity : 'None';
        if (!SESSION_AFFINITIES.includes(affinity as string)) {
          report(['spec', 'sessionAffinity'], 'invalidSessionAffinity', { value: textOf(affinity) });
        } else if (affinity === 'ClientIP') {
          const timeoutPath = ['spec', 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds'];
          const timeout = getIn(resource.object, timeoutPath);
          if (typeof timeout === 'number' && (timeout <= 0 || timeout > MAX_AFFINITY_TIMEOUT_SECONDS)) {
            report(timeoutPath, 'invalidSessionAffinityTimeout', { value: timeout });
          }
        } else if (isSet(spec.sessionAffinityConfig)) {
          report(
            ['spec', 'sessionAffinityConfig'],
            'sessionAffinityConfigIgnored',
            { affinity: isSet(spec.sessionAffinity) ? 'None' : 'None (the default)' },
            'warn',
          );
        }
      },
    };
  },
});

function describeType(type: string, headless: boolean): string {
  return headless && type === 'ClusterIP' ? 'headless ClusterIP' : type;
}

/** The usual mistakes in an externalName: a URL, a host:port, upper case. */
function externalNameHint(value: string): string {
  if (value.includes('://')) return ' Give only the host name, without the scheme (https://) or path.';
  if (/:\d+$/.test(value)) return ' Give only the host name; the port goes in spec.ports.';
  if (/[A-Z]/.test(value)) return ' Write it in lower case.';
  if (value.endsWith('..')) return ' Only one trailing dot is allowed.';
  return '';
}
