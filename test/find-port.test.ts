/**
 * FindPort (src/model/services/find-port.ts), as kubernetes/kubernetes pkg/api/v1/pod/util.go resolves a Service's
 * targetPort on a pod: numbers as they are, names by name and protocol, regular containers first, then
 * restartable (sidecar) init containers; plain init and ephemeral containers never.
 */
import { describe, expect, it } from 'vitest';
import { findPort, type PortResolution } from '../src/model/services/find-port.js';
import type { PodTemplate } from '../src/model/pods/pod-template.js';
import { projectOf } from './helpers.js';

function podTemplate(spec: string): PodTemplate {
  const yaml = `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: {app: p}
spec:
${spec}`;
  const templates = projectOf({ 'pod.yaml': yaml }).graph.podTemplates;
  expect(templates).toHaveLength(1);
  return templates[0]!;
}

/** `container/port` for a resolution, or `unresolved: reason`. */
function describeResolution(resolution: PortResolution): string {
  if (resolution.kind === 'unresolved') return `unresolved: ${resolution.reason}`;
  return `${resolution.container?.name ?? '(none)'}/${resolution.containerPort}${resolution.port ? ` ${resolution.port.path.join('.')}` : ''}`;
}

const pod = podTemplate(`  initContainers:
  - name: setup
    image: setup
    ports:
    - {name: setup-http, containerPort: 9000}
    - {name: metrics, containerPort: 9001}
  - name: proxy
    image: envoy
    restartPolicy: Always
    ports:
    - {name: admin, containerPort: 15000}
    - {name: http, containerPort: 15001}
  containers:
  - name: app
    image: app
    ports:
    - {name: http, containerPort: 8080}
    - {name: dns, containerPort: 5353, protocol: UDP}
  - name: second
    image: second
    ports:
    - {name: http, containerPort: 8081}
    - {name: dns, containerPort: 5354, protocol: TCP}
    - {name: metrics, containerPort: 9090}
    - {name: stats, containerPort: 7070, protocol: SCTP}
  ephemeralContainers:
  - name: debug
    image: busybox
    ports:
    - {name: debug, containerPort: 4000}
`);

describe('numeric targetPort', () => {
  it('is used as it is, naming the container that declares it', () => {
    expect(describeResolution(findPort(pod, 8081, 'TCP'))).toBe('second/8081 spec.containers.1.ports.0');
  });

  it('needs no containerPort declaration', () => {
    expect(describeResolution(findPort(pod, 3000, 'TCP'))).toBe('(none)/3000');
    // Declared for UDP only: still used as is for TCP, with no declaring container.
    expect(describeResolution(findPort(pod, 5353, 'TCP'))).toBe('(none)/5353');
    expect(describeResolution(findPort(pod, 5353, 'UDP'))).toBe('app/5353 spec.containers.0.ports.1');
  });
});

describe('named targetPort', () => {
  it('resolves in the first container, in container order', () => {
    expect(describeResolution(findPort(pod, 'http', 'TCP'))).toBe('app/8080 spec.containers.0.ports.0');
    expect(describeResolution(findPort(pod, 'metrics', 'TCP'))).toBe('second/9090 spec.containers.1.ports.2');
  });

  it('matches the name AND the protocol (TCP by default)', () => {
    // app's dns is UDP; second's dns is TCP: a TCP Service port gets second's.
    expect(describeResolution(findPort(pod, 'dns', 'TCP'))).toBe('second/5354 spec.containers.1.ports.1');
    expect(describeResolution(findPort(pod, 'dns', 'UDP'))).toBe('app/5353 spec.containers.0.ports.1');
    expect(describeResolution(findPort(pod, 'stats', 'SCTP'))).toBe('second/7070 spec.containers.1.ports.3');
  });

  it('does not resolve a name declared with another protocol, and says so', () => {
    const udpOnly = podTemplate(`  containers:
  - name: dns
    image: coredns
    ports:
    - {name: dns, containerPort: 53, protocol: UDP}
`);
    const resolution = findPort(udpOnly, 'dns', 'TCP');
    expect(resolution.kind).toBe('unresolved');
    expect(describeResolution(resolution)).toBe('unresolved: port "dns" is declared with protocol UDP, not TCP');
    expect(resolution.kind === 'unresolved' ? resolution.otherProtocol?.containerPort : undefined).toBe(53);
    expect(describeResolution(findPort(pod, 'stats', 'TCP'))).toBe('unresolved: port "stats" is declared with protocol SCTP, not TCP');
  });

  it('searches sidecar init containers (restartPolicy: Always) after the regular containers', () => {
    expect(describeResolution(findPort(pod, 'admin', 'TCP'))).toBe('proxy/15000 spec.initContainers.1.ports.0');
    // `http` is on the sidecar too, but the regular containers come first.
    expect(describeResolution(findPort(pod, 'http', 'TCP'))).toBe('app/8080 spec.containers.0.ports.0');
    expect(describeResolution(findPort(pod, 15001, 'TCP'))).toBe('proxy/15001 spec.initContainers.1.ports.1');
  });

  it('never searches plain init containers, and says why', () => {
    expect(describeResolution(findPort(pod, 'setup-http', 'TCP'))).toBe(
      'unresolved: port "setup-http" is only declared by an init container, which has exited before the pod serves traffic',
    );
    // A name on both a plain init container and a regular one resolves to the regular one.
    expect(describeResolution(findPort(pod, 'metrics', 'TCP'))).toBe('second/9090 spec.containers.1.ports.2');
  });

  it('never searches ephemeral containers', () => {
    expect(describeResolution(findPort(pod, 'debug', 'TCP'))).toBe('unresolved: no container declares a port named "debug"');
    expect(pod.containers.map((c) => `${c.name}:${c.role}`)).toEqual(['app:container', 'second:container', 'setup:init', 'proxy:sidecar']);
  });

  it('reports a name nobody declares', () => {
    expect(describeResolution(findPort(pod, 'grpc', 'TCP'))).toBe('unresolved: no container declares a port named "grpc"');
  });
});
