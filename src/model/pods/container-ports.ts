import { editDistance } from '../evidence/nearest-name.js';
import type { Container, ContainerPort, PodTemplate } from './pod-template.js';
import { asArray, asInteger, asObject, asString } from '../objects/values.js';

/**
 * The containers that run while the pod serves traffic: spec.containers[], then restartable (sidecar) init
 * containers. It is the set FindPort searches for a Service's named targetPort (see find-port.ts); plain init
 * containers have exited before the pod is ready.
 */
export function servingContainers(template: PodTemplate): Container[] {
  return template.containers.filter((c) => c.role === 'container').concat(template.containers.filter((c) => c.role === 'sidecar'));
}

/**
 * A port of one container by name, as the kubelet resolves the named port of a probe or a lifecycle hook:
 * the first port of that same container with that name, whatever its protocol. Other containers of the pod
 * are never searched.
 * - probes: kubernetes/kubernetes pkg/probe/util.go (ResolveContainerPort, findPortByName), called from
 *   pkg/kubelet/prober/prober.go with the probe's own container;
 * - postStart/preStop hooks: pkg/kubelet/lifecycle/handlers.go (resolvePort).
 */
export function containerPortByName(container: Container, name: string): ContainerPort | undefined {
  return container.ports.find((p) => p.name === name);
}

/**
 * The declaration that shows a probe or hook port is not a TCP port, when the input shows it: the kubelet's
 * httpGet, tcpSocket and grpc probes, and httpGet hooks, always connect over TCP to the port number, whatever
 * protocol the port is declared with (pkg/probe/tcp/tcp.go `DoTCPProbe`: net.DialTimeout("tcp", ...); the
 * HTTP and gRPC probers dial TCP as well; pkg/kubelet/prober/tcp_runner.go resolves the port with
 * `probe.ResolveContainerPort`, which takes a named port's number and ignores its protocol).
 * - a name: the port the kubelet resolves it to (containerPortByName) is declared UDP or SCTP;
 * - a number: the probe's own container declares that number, only with UDP or SCTP.
 * Either way, only when no container of the pod declares that number with TCP (containers share the pod's
 * network, and a DNS server declares 53/UDP and 53/TCP): then nothing declared accepts the connection.
 */
export function nonTcpProbeTarget(template: PodTemplate, container: Container, port: number | string): ContainerPort | undefined {
  const declared =
    typeof port === 'string'
      ? [containerPortByName(container, port)].filter((p): p is ContainerPort => p !== undefined)
      : container.ports.filter((p) => p.containerPort === port);
  const first = declared[0];
  if (!first || first.containerPort === undefined || declared.some((p) => p.protocol === 'TCP')) return undefined;
  const number = first.containerPort;
  const tcpElsewhere = template.containers.some((c) => c.ports.some((p) => p.containerPort === number && p.protocol === 'TCP'));
  return tcpElsewhere ? undefined : first;
}

/**
 * A port string made only of digits (`port: "8080"`). Where the API takes an IntOrString, a string is a port
 * name, and a port name must contain a letter (IsValidPortName, enforced by ValidatePortNumOrName for probe
 * and hook ports and by validateServicePort for targetPort), so a quoted number is rejected or never resolves.
 */
export function isQuotedNumber(value: string): boolean {
  return /^[0-9]+$/.test(value);
}

/**
 * The declared port name a mistyped one was probably meant to be: same name in another case, or the nearest by
 * edit distance within a budget that grows with the name's length (`htpp` → `http`, `metric` → `metrics`).
 * Short names get a budget of 1, so `ui` never suggests `db`.
 */
export function closestPortName(name: string, ports: readonly ContainerPort[]): ContainerPort | undefined {
  const named = ports.filter((p): p is ContainerPort & { name: string } => p.name !== undefined && p.name !== name);
  const sameLetters = named.find((p) => p.name.toLowerCase() === name.toLowerCase());
  if (sameLetters) return sameLetters;
  const budget = name.length <= 3 ? 1 : name.length <= 6 ? 2 : 3;
  let best: { port: ContainerPort; distance: number } | undefined;
  for (const port of named) {
    const distance = editDistance(name.toLowerCase(), port.name);
    if (distance <= budget && (!best || distance < best.distance)) best = { port, distance };
  }
  return best?.port;
}

/** `8080/TCP`: a container port's number and protocol, for messages that already say its name. */
export function portNumberLabel(port: ContainerPort): string {
  return `${port.containerPort ?? '?'}/${port.protocol}`;
}

/** `8080/TCP ("http")` or `8080/TCP`: how messages name a container port. */
export function containerPortLabel(port: ContainerPort): string {
  return port.name ? `${portNumberLabel(port)} ("${port.name}")` : portNumberLabel(port);
}

/** `3 pods`, `1 pod`, or `one pod per node` (DaemonSet). */
export function describePods(pods: number | null): string {
  if (pods === null) return 'one pod per node';
  return `${pods} pod${pods === 1 ? '' : 's'}`;
}

/**
 * How kubectl words a second declaration of the same containerPort/protocol in one pod
 * (pkg/api/pod/warnings.go, GetWarningsForPodTemplate: "duplicate", "overlapping" or "dangerously ambiguous"
 * port definition). The API server only warns; it accepts the pod.
 */
export type PortDefinitionOverlap = 'duplicate' | 'overlapping' | 'dangerously ambiguous';

export interface RepeatedPortDefinition {
  readonly port: ContainerPort;
  readonly container: Container;
  /** The earlier declaration, in the order upstream visits containers (init containers first). */
  readonly previous: ContainerPort;
  readonly previousContainer: Container;
  readonly overlap: PortDefinitionOverlap;
}

/**
 * Every containerPort/protocol pair declared more than once across the containers of a pod, init containers
 * included, as pkg/api/pod/warnings.go finds them (it walks containers with VisitContainersWithPath: init
 * containers, then containers). Two declarations with different non-zero hostPorts, or the same hostPort on
 * different explicit hostIPs, do not conflict.
 */
export function repeatedPortDefinitions(template: PodTemplate): RepeatedPortDefinition[] {
  const ordered = template.containers
    .filter((c) => c.role !== 'container')
    .concat(template.containers.filter((c) => c.role === 'container'));
  const seen = new Map<string, { port: ContainerPort; container: Container; host: HostBinding }[]>();
  const out: RepeatedPortDefinition[] = [];
  for (const container of ordered) {
    for (const port of container.ports) {
      if (port.containerPort === undefined) continue;
      const key = `${port.containerPort}/${port.protocol}`;
      const host = hostBindingOf(container, port);
      const others = seen.get(key) ?? [];
      for (const other of others) {
        const overlap = overlapOf(host, other.host);
        if (overlap) out.push({ port, container, previous: other.port, previousContainer: other.container, overlap });
      }
      others.push({ port, container, host });
      seen.set(key, others);
    }
  }
  return out;
}

interface HostBinding {
  readonly hostPort: number;
  readonly hostIP: string;
}

function hostBindingOf(container: Container, port: ContainerPort): HostBinding {
  const index = port.path[port.path.length - 1];
  const raw = typeof index === 'number' ? asObject(asArray(container.object.ports)[index]) : undefined;
  return { hostPort: asInteger(raw?.hostPort) ?? 0, hostIP: asString(raw?.hostIP) ?? '' };
}

function overlapOf(a: HostBinding, b: HostBinding): PortDefinitionOverlap | undefined {
  if (a.hostIP === b.hostIP && a.hostPort === b.hostPort) return 'duplicate';
  if (a.hostPort === 0 || b.hostPort === 0) return 'overlapping';
  if (a.hostPort === b.hostPort && (a.hostIP === '') !== (b.hostIP === '')) return 'dangerously ambiguous';
  return undefined;
}
