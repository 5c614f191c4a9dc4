/**
 * Edges of the port rules that a hand mutation of src/ showed untested (each mutation survived the whole
 * suite before these tests): the 15-character limit of IANA_SVC_NAME, port number 0 of a Service port, the
 * hostIP cases of pkg/api/pod/warnings.go, and the "did you mean" budget for short port names.
 */
import { describe, expect, it } from 'vitest';
import { ianaSvcNameProblem } from '../src/model/objects/names.js';
import { closestPortName } from '../src/model/pods/container-ports.js';
import type { ContainerPort } from '../src/model/pods/pod-template.js';
import { lintFiles, messagesOf } from './helpers.js';

/** `messageId@line` of the findings of one rule on one file. */
function findings(rule: string, yaml: string): string[] {
  return messagesOf(lintFiles({ 'x.yaml': yaml }, { only: rule })).map((m) => `${m.messageId}@${m.line}`);
}

function podWithPorts(ports: string): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: example/app:1\n      ports:\n${ports}`;
}

describe('IANA_SVC_NAME is at most 15 characters (IsValidPortName)', () => {
  it('15 is allowed, 16 is not', () => {
    expect(ianaSvcNameProblem('abcdefghijklmno')).toBeUndefined();
    expect(ianaSvcNameProblem('abcdefghijklmnop')).toMatch(/no more than 15 characters \(it has 16\)/);
  });

  it('container-port-names reports a 16-character port name, not a 15-character one', () => {
    const yaml = podWithPorts(
      '        - name: metrics-export1\n          containerPort: 9100\n        - name: metrics-exporter\n          containerPort: 9101\n',
    );
    expect(findings('container-port-names', yaml)).toEqual(['invalidName@12']);
  });
});

describe('Service port numbers are 1-65535 (IsValidPortNum)', () => {
  it('0 and 65536 are rejected, 1 and 65535 are not', () => {
    const yaml = `apiVersion: v1
kind: Service
metadata:
  name: s
spec:
  selector:
    app: s
  ports:
    - name: zero
      port: 0
    - name: one
      port: 1
    - name: top
      port: 65535
    - name: over
      port: 65536
`;
    expect(findings('service-port-names', yaml)).toEqual(['invalidPort@10', 'invalidPort@16']);
  });
});

describe('repeated container ports and hostIP (pkg/api/pod/warnings.go)', () => {
  it('the same hostPort with and without hostIP is dangerously ambiguous; two different explicit hostIPs are not', () => {
    const yaml = podWithPorts(`        - containerPort: 80
          hostPort: 80
          hostIP: 10.0.0.1
        - containerPort: 80
          hostPort: 80
        - containerPort: 80
          hostPort: 80
          hostIP: 10.0.0.2
`);
    // ports[1] against ports[0] and ports[2] against ports[1]; ports[2] against ports[0] binds another address.
    const messages = messagesOf(lintFiles({ 'x.yaml': yaml }, { only: 'container-port-names' }));
    expect(messages.map((m) => `${m.messageId}@${m.line}`)).toEqual(['repeatedPort@13', 'repeatedPort@15']);
    expect(messages.every((m) => m.message.includes('dangerously ambiguous port definition'))).toBe(true);
  });
});

describe('closestPortName ("did you mean")', () => {
  const port = (name: string): ContainerPort => ({
    name,
    containerPort: 8080,
    protocol: 'TCP',
    path: ['spec', 'containers', 0, 'ports', 0],
  });

  it('a name of up to 3 letters gets a budget of one edit, so `ui` never suggests `db`', () => {
    expect(closestPortName('ui', [port('db')])).toBeUndefined();
    expect(closestPortName('ui', [port('uix')])?.name).toBe('uix');
    expect(closestPortName('htpp', [port('db'), port('http')])?.name).toBe('http');
  });
});
