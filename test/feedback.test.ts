/**
 * Feedback on long runs: the progress line (only on a terminal, only past PROGRESS_AFTER_MS, never under CI)
 * and `--stats` / `TIMING` (ESLint's table layout), through the real command line with a simulated terminal.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/hosts/cli/cli.js';
import { formatTimingTable, PROGRESS_AFTER_MS, timingListSize } from '../src/hosts/cli/feedback.js';

let dir: string;

const SERVICE = (i: number) => `apiVersion: v1
kind: Service
metadata: {name: web-${i}}
spec:
  selector: {app: web-${i}}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-${i}}
spec:
  selector: {matchLabels: {app: web-${i}}}
  template:
    metadata: {labels: {app: web-${i}}}
    spec:
      containers: [{name: app, image: example/web:1, ports: [{name: http, containerPort: 8080}]}]
`;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kubewire-feedback-'));
  mkdirSync(path.join(dir, 'k8s'));
  for (let i = 0; i < 5; i++) writeFileSync(path.join(dir, 'k8s', `web-${i}.yaml`), SERVICE(i));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** Everything written, in order, with the stream it went to. */
  writes: { stream: 'stdout' | 'stderr'; text: string }[];
}

/** `clockStep`: how far the fake clock moves on each reading, so a run of a few files "takes" seconds. */
async function cli(
  args: readonly string[],
  options: { stderrIsTTY?: boolean; env?: Record<string, string>; clockStep?: number } = {},
): Promise<Run> {
  const writes: Run['writes'] = [];
  let time = 0;
  const code = await runCli(args, {
    cwd: dir,
    env: options.env ?? {},
    stdout: (text) => writes.push({ stream: 'stdout', text }),
    stderr: (text) => writes.push({ stream: 'stderr', text }),
    stdoutIsTTY: false,
    stderrIsTTY: options.stderrIsTTY ?? false,
    now: () => (time += options.clockStep ?? 0),
    readStdin: () => Promise.resolve(Buffer.alloc(0)),
  });
  const of = (stream: string) =>
    writes
      .filter((w) => w.stream === stream)
      .map((w) => w.text)
      .join('');
  return { code, stdout: of('stdout'), stderr: of('stderr'), writes };
}

// eslint-disable-next-line no-control-regex -- the progress line starts with the ANSI erase-line sequence
const PROGRESS = /\r\u001b\[Kkubewire: (\d+) files? read, (\d+) documents? parsed/g;

describe('the progress line', () => {
  it('shows files read and documents parsed on a terminal once the run is long, and is erased before the report', async () => {
    const run = await cli(['-f', 'json', 'k8s'], { stderrIsTTY: true, clockStep: PROGRESS_AFTER_MS });
    expect(run.code).toBe(0);
    const lines = [...run.stderr.matchAll(PROGRESS)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(lines.length).toBeGreaterThan(0);
    // The last line painted counts the whole input: 5 files, 10 documents.
    expect(lines.at(-1)).toEqual([5, 10]);
    // Erased (carriage return, erase line) before anything goes to standard output.
    const firstStdout = run.writes.findIndex((w) => w.stream === 'stdout');
    const lastStderr = run.writes.slice(0, firstStdout).map((w) => w.text);
    expect(lastStderr.at(-1)).toBe('\r\u001b[K');
    expect(JSON.parse(run.stdout)).toHaveLength(5);
  });

  it('is not shown for a short run', async () => {
    const run = await cli(['k8s'], { stderrIsTTY: true, clockStep: 0 });
    // Only the clean-run line a terminal gets.
    expect(run.stderr).toBe('5 files, 10 objects: no problems\n');
  });

  it('is never shown when standard error is not a terminal (piped, a log file)', async () => {
    const run = await cli(['k8s'], { stderrIsTTY: false, clockStep: PROGRESS_AFTER_MS });
    expect(run.stderr).toBe('');
  });

  it('is never shown in CI logs, even on a pseudo-terminal', async () => {
    for (const CI of ['true', '1']) {
      const run = await cli(['k8s'], { stderrIsTTY: true, clockStep: PROGRESS_AFTER_MS, env: { CI } });
      expect(run.stderr).toBe('5 files, 10 objects: no problems\n');
    }
    // CI=false is how a developer says "not CI".
    const local = await cli(['k8s'], { stderrIsTTY: true, clockStep: PROGRESS_AFTER_MS, env: { CI: 'false' } });
    expect(local.stderr).toMatch(PROGRESS);
  });
});

describe('--stats and TIMING', () => {
  it("prints ESLint's timing layout", () => {
    expect(
      formatTimingTable(
        'Rule',
        [
          ['service-target-port', 12.3456],
          ['probe-port', 1.5],
        ],
        13.8456,
      ),
    ).toBe(
      [
        'Rule                | Time (ms) | Relative',
        ':-------------------|----------:|--------:',
        'service-target-port |    12.346 |    89.2%',
        'probe-port          |     1.500 |    10.8%',
      ].join('\n'),
    );
  });

  it('reads TIMING as ESLint does: all, a count above 10, else 10', () => {
    expect(timingListSize('all')).toBe(Number.POSITIVE_INFINITY);
    expect(timingListSize('ALL')).toBe(Number.POSITIVE_INFINITY);
    expect(timingListSize('25')).toBe(25);
    expect(timingListSize('1')).toBe(10);
    expect(timingListSize('yes')).toBe(10);
  });

  it('--stats prints the time of every phase and of every rule that ran, on standard error', async () => {
    const run = await cli(['--stats', '-f', 'json', 'k8s']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveLength(5);
    const [phases, rules, summary] = run.stderr.trimEnd().split('\n\n');
    expect(phases!.split('\n').slice(0, 2)).toEqual(['Phase  | Time (ms) | Relative', ':------|----------:|--------:']);
    expect(
      phases!
        .split('\n')
        .slice(2)
        .map((l) => l.split(' ')[0]),
    ).toEqual(['read', 'parse', 'model', 'rules', 'report']);
    const ruleRows = rules!.split('\n').slice(2);
    expect(ruleRows.map((l) => l.split(' ')[0])).toContain('service-target-port');
    // --stats lists every rule with a listener that ran, slowest first.
    const times = ruleRows.map((l) => Number(l.split('|')[1]));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(ruleRows.length).toBeGreaterThan(10);
    expect(summary).toMatch(/^kubewire: 5 files read, 10 documents parsed, in \d+ ms$/);
  });

  it('TIMING=1 lists the 10 slowest rules; no stats without it', async () => {
    const timed = await cli(['k8s'], { env: { TIMING: '1' } });
    const rules = timed.stderr.split('\n\n')[1]!.split('\n');
    expect(rules[0]).toMatch(/^Rule +\| Time \(ms\) \| Relative$/);
    expect(rules.slice(2)).toHaveLength(10);
    const plain = await cli(['k8s']);
    expect(plain.stderr).toBe('');
  });
});
