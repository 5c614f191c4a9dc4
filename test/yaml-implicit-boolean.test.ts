/**
 * Edge cases of yaml-implicit-boolean that fixtures do not pin well: which spelling gets which messageId,
 * JSON input, YAML aliases and merge keys, null values, and no double report of a Pod's own metadata.
 */
import { describe, expect, it } from 'vitest';
import { stringOnlyValuesOf, stringOnlyValuesOfTemplate } from '../src/model/objects/string-fields.js';
import { lintFiles, messagesOf, projectOf } from './helpers.js';

const RULE = 'yaml-implicit-boolean';

function findings(files: Record<string, string>) {
  return messagesOf(lintFiles(files, { only: RULE })).map((m) => ({
    line: m.line,
    column: m.column,
    messageId: m.messageId,
    severity: m.severity,
    path: m.path,
  }));
}

const configMap = (value: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: c
data:
  KEY: ${value}
`;

describe('yaml-implicit-boolean', () => {
  it.each(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF'])(
    'plain %s is an implicitBoolean (gopkg.in/yaml.v2 resolve table)',
    (spelling) => {
      expect(findings({ 'c.yaml': configMap(spelling) })).toEqual([
        { line: 6, column: 8, messageId: 'implicitBoolean', severity: 2, path: 'data.KEY' },
      ]);
    },
  );

  it.each(['true', 'True', 'TRUE', 'false', 'False', 'FALSE', '8080', '1.10', '0755', '0x1F', '1e3', '-1'])(
    'plain %s is a nonString',
    (spelling) => {
      expect(findings({ 'c.yaml': configMap(spelling) }).map((f) => f.messageId)).toEqual(['nonString']);
    },
  );

  it.each(['"yes"', "'on'", '!!str off', 'yES', 'yes please', '2024-05-01', '22:22', '1.2.3', '0o8', '|\n    on', 'e2', '.'])(
    '%s stays a string',
    (spelling) => {
      expect(findings({ 'c.yaml': configMap(spelling) })).toEqual([]);
    },
  );

  it('does not report null: the API server decodes it as an empty string', () => {
    expect(findings({ 'c.yaml': configMap('') })).toEqual([]);
    expect(findings({ 'c.yaml': configMap('~') })).toEqual([]);
    expect(findings({ 'c.yaml': configMap('null') })).toEqual([]);
  });

  it('shows float values as kubectl sends them', () => {
    const [message] = messagesOf(lintFiles({ 'c.yaml': configMap('1.10') }, { only: RULE }));
    expect(message?.message).toContain('the number 1.1,');
    expect(message?.message).toContain('Quote it: `KEY: "1.10"`');
    expect(message?.message).toContain('sent as 1.1, not 1.10');
  });

  it('in JSON, true is a nonString and can never be an implicitBoolean', () => {
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: true, b: 'yes' } } });
    const [message, ...rest] = messagesOf(lintFiles({ 'c.json': json }, { only: RULE }));
    expect(rest).toEqual([]);
    expect(message?.messageId).toBe('nonString');
    expect(message?.message).toContain('`"a": true`');
    expect(message?.message).toContain('`"a": "true"`');
  });

  it('reports a Pod label once, on the Pod (its metadata is also its pod template metadata)', () => {
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    debug: on
spec:
  containers:
    - name: c
      image: busybox
`;
    const project = projectOf({ 'p.yaml': pod });
    const resource = project.graph.resources[0]!;
    const template = project.graph.podTemplatesOf(resource)[0]!;
    const fromResource = stringOnlyValuesOf(resource).map((v) => v.path.join('.'));
    const fromTemplate = stringOnlyValuesOfTemplate(template).map((v) => v.path.join('.'));
    expect(fromResource).toEqual(['metadata.labels.debug']);
    expect(fromTemplate.filter((p) => fromResource.includes(p))).toEqual([]);
    expect(findings({ 'p.yaml': pod })).toEqual([
      { line: 6, column: 12, messageId: 'implicitBoolean', severity: 2, path: 'metadata.labels.debug' },
    ]);
  });

  it('checks ephemeral containers and node affinity values', () => {
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
          - matchExpressions:
              - key: gpu
                operator: In
                values: [true]
  containers:
    - name: c
      image: busybox
  ephemeralContainers:
    - name: debug
      image: busybox
      env:
        - name: TRACE
          value: on
`;
    expect(findings({ 'p.yaml': pod }).map((f) => f.path)).toEqual([
      'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values[0]',
      'spec.ephemeralContainers[0].env[0].value',
    ]);
  });

  it('reports values that come through an alias or a merge key as nonString (their spelling is elsewhere)', () => {
    const yaml = `apiVersion: v1
kind: ConfigMap
metadata:
  name: c
  labels: &common
    team: shop
    canary: &flag true
  annotations:
    <<: *common
    owner: shop
data:
  FLAG: *flag
`;
    expect(findings({ 'c.yaml': yaml })).toEqual([
      { line: 7, column: 19, messageId: 'nonString', severity: 2, path: 'metadata.labels.canary' },
      { line: 8, column: 3, messageId: 'nonString', severity: 2, path: 'metadata.annotations.canary' },
      { line: 12, column: 3, messageId: 'nonString', severity: 2, path: 'data.FLAG' },
    ]);
  });

  it('is silenced by kubewire.io/ignore on the resource', () => {
    const yaml = `apiVersion: v1
kind: ConfigMap
metadata:
  name: c
  annotations:
    kubewire.io/ignore: yaml-implicit-boolean
data:
  KEY: yes
`;
    expect(findings({ 'c.yaml': yaml })).toEqual([]);
  });

  it('does not check fields of a custom resource outside its metadata and pod templates', () => {
    const yaml = `apiVersion: example.com/v1
kind: Feature
metadata:
  name: f
spec:
  data:
    KEY: yes
  selector:
    matchLabels:
      on: yes
`;
    expect(findings({ 'f.yaml': yaml })).toEqual([]);
  });
});
