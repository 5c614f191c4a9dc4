/**
 * The node-port range, at its edges: kube-apiserver's --service-node-port-range is parsed by
 * k8s.io/apimachinery/pkg/util/net/port_range.go (PortRange.Set): "min-max", "min+offset" (min to min+offset)
 * or one port, inclusive at both ends (Contains: p >= Base && p-Base < Size, Size = 1+high-low). Each boundary
 * is tested on both sides, so `<` for `<=` (or the reverse) at either end of the range fails a test.
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../src/engine/linter.js';
import { inPortRange, parsePortRange } from '../src/model/services/node-ports.js';
import { allRules } from '../src/rules/index.js';
import { messagesOf, projectOf } from './helpers.js';

/** The node ports service-node-port reports as out of range, given the `range` option (undefined: the default). */
function outOfRange(nodePorts: readonly number[], range?: string): number[] {
  const ports = nodePorts.map((n, i) => `    - name: p${i}\n      port: ${8000 + i}\n      nodePort: ${n}`).join('\n');
  const project = projectOf({
    'svc.yaml': `apiVersion: v1\nkind: Service\nmetadata:\n  name: edge\nspec:\n  type: NodePort\n  selector:\n    app: edge\n  ports:\n${ports}\n`,
  });
  const severities = Object.fromEntries(allRules.filter((r) => r.name !== 'service-node-port').map((r) => [r.name, 'off' as const]));
  const results = lint({
    graph: project.graph,
    inputProblems: project.inputProblems,
    rules: allRules,
    severities,
    ...(range === undefined ? {} : { ruleOptions: { 'service-node-port': [{ range }] } }),
    filePaths: project.files.map((f) => f.path),
  });
  const messages = messagesOf(results);
  expect(
    messages.every((m) => m.messageId === 'outOfRange'),
    messages.map((m) => m.message).join('\n'),
  ).toBe(true);
  return messages.map((m) => nodePorts[Number(/spec\.ports\[(\d+)\]/.exec(m.path ?? '')?.[1])]!);
}

describe('parsePortRange, as PortRange.Set', () => {
  it('reads min-max, min+offset and a single port, inclusive at both ends', () => {
    expect(parsePortRange('30000-32767')).toEqual({ base: 30000, max: 32767 });
    expect(parsePortRange('30000+2767')).toEqual({ base: 30000, max: 32767 });
    expect(parsePortRange(' 20000+0 ')).toEqual({ base: 20000, max: 20000 });
    expect(parsePortRange('31000')).toEqual({ base: 31000, max: 31000 });
    expect(parsePortRange('0-65535')).toEqual({ base: 0, max: 65535 });
  });

  it('refuses what PortRange.Set refuses', () => {
    expect(parsePortRange('32767-30000')).toBeUndefined(); // end port cannot be less than start port
    expect(parsePortRange('30000-65536')).toBeUndefined(); // cannot be greater than 65535
    expect(parsePortRange('65000+536')).toBeUndefined(); // 65536: the offset form too
    expect(parsePortRange('65535+0')).toEqual({ base: 65535, max: 65535 });
    expect(parsePortRange('30000-32767+1')).toBeUndefined(); // both notations
    expect(parsePortRange('30000+')).toBeUndefined();
    expect(parsePortRange('ports')).toBeUndefined();
  });

  it('inPortRange includes both ends and nothing beyond them', () => {
    const range = parsePortRange('30000-32767')!;
    expect([29999, 30000, 32767, 32768].map((p) => inPortRange(range, p))).toEqual([false, true, true, false]);
  });
});

describe('service-node-port at the edges of the range', () => {
  it('the default range 30000-32767: 29999 and 32768 are out, 30000 and 32767 in', () => {
    expect(outOfRange([29999, 30000, 32767, 32768])).toEqual([29999, 32768]);
  });

  it('"30000+2767" is the same range as 30000-32767', () => {
    expect(outOfRange([29999, 30000, 32767, 32768], '30000+2767')).toEqual([29999, 32768]);
  });

  it('another range in the offset form: "20000+100" is 20000 to 20100', () => {
    expect(outOfRange([19999, 20000, 20100, 20101, 30000], '20000+100')).toEqual([19999, 20101, 30000]);
  });

  it('a one-port range holds exactly that port', () => {
    expect(outOfRange([30079, 30080, 30081], '30080')).toEqual([30079, 30081]);
  });
});
