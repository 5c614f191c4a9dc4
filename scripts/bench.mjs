#!/usr/bin/env node
// npm run bench [-- options]: kubewire's CLI on corpora written to disk, against the parse floor, in one run.
//
// Each corpus is linted by the real CLI in a child process (`node bin/kubewire.js -f json -o <file> <dir>`), and
// in the same run, paired with it, two floors over the same files: `yaml` (parseAllDocuments + LineCounter +
// toJS, one thread: what any linter that reports positions must do) and js-yaml's plain loadAll. The machine is
// shared, so every figure is the median of --runs paired runs (the three programs one after another, their
// order rotated each run) and ratios are medians of the per-run ratios.
//
// Options:
//   --sizes 1k,10k,100k          mixed corpora of these many resources in 20 namespaces (default all three)
//   --variants one-namespace,spread
//                                5,000 Services + 5,000 Deployments in one namespace, and the same spread over
//                                20 (default both; `none` for neither)
//   --runs <n>                   paired runs per corpus (default 3)
//   --startup-runs <n>           paired runs of one small file against `node -e ""` (default 20; 0 to skip)
//   --markdown                   print the tables as Markdown (for BENCHMARKS.md)
//   --keep                       keep the corpora folder (its path is printed)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { writeCorpus, writeSmallFile } from './bench/corpus.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin/kubewire.js');
const floor = path.join(root, 'scripts/bench/floor.mjs');
const usagePreload = pathToFileURL(path.join(root, 'scripts/bench/usage.mjs')).href;

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1k,10k,100k' },
    variants: { type: 'string', default: 'one-namespace,spread' },
    runs: { type: 'string', default: '3' },
    'startup-runs': { type: 'string', default: '20' },
    markdown: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const runs = Number(args.runs);
const startupRuns = Number(args['startup-runs']);
const list = (value) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && s !== 'none');
const corpora = [
  ...list(args.sizes).map((size) => {
    const resources = /^(\d+)k$/.test(size) ? Number(size.slice(0, -1)) * 1000 : Number(size);
    if (!Number.isInteger(resources) || resources <= 0) throw new Error(`--sizes: "${size}" is not a size such as 10k`);
    return { name: size, spec: { resources, namespaces: 20, kind: 'mixed' } };
  }),
  ...list(args.variants).map((variant) => {
    if (variant === 'one-namespace') return { name: 'one-namespace', spec: { resources: 10_000, namespaces: 1, kind: 'pairs' } };
    if (variant === 'spread') return { name: 'spread', spec: { resources: 10_000, namespaces: 20, kind: 'pairs' } };
    throw new Error(`--variants: "${variant}" is neither one-namespace nor spread`);
  }),
];

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const work = mkdtempSync(path.join(os.tmpdir(), 'kubewire-bench-'));
const usageFile = path.join(work, 'usage.json');

/** Runs node with the usage preload; wall time measured here, CPU and peak RSS by the child itself. */
function measure(nodeArgs, { expectStatus }) {
  const start = performance.now();
  const child = spawnSync(process.execPath, ['--import', usagePreload, ...nodeArgs], {
    env: { ...process.env, BENCH_USAGE_FILE: usageFile, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 28,
  });
  const wallMs = performance.now() - start;
  if (!expectStatus.includes(child.status)) {
    throw new Error(`${nodeArgs.join(' ')} exited with ${child.status ?? child.signal}:\n${child.stderr.toString().slice(0, 2000)}`);
  }
  const usage = JSON.parse(readFileSync(usageFile, 'utf8'));
  return { wallMs, cpuMs: usage.cpuMs, rssMb: usage.maxRssKb / 1024, stdout: child.stdout.toString() };
}

function benchCorpus({ name, spec }) {
  const dir = path.join(work, name);
  const written = writeCorpus(dir, spec);
  const report = path.join(work, `${name}.json`);
  const programs = {
    kubewire: () => measure([bin, '-f', 'json', '-o', report, dir], { expectStatus: [0, 1] }),
    floor: () => measure([floor, 'yaml', dir], { expectStatus: [0] }),
    jsYaml: () => measure([floor, 'js-yaml', dir], { expectStatus: [0] }),
  };
  const names = Object.keys(programs);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let run = 0; run < runs; run++) {
    for (let i = 0; i < names.length; i++) {
      const program = names[(run + i) % names.length];
      samples[program].push(programs[program]());
      process.stderr.write('.');
    }
  }
  const results = JSON.parse(readFileSync(report, 'utf8'));
  const found = results.reduce((n, r) => n + r.messages.filter((m) => !m.fatal).length, 0);
  const floorDocuments = Number(samples.floor[0].stdout.trim());
  const pick = (program, field) => median(samples[program].map((s) => s[field]));
  const ratio = (program, field) => median(samples.kubewire.map((s, i) => s[field] / samples[program][i][field]));
  return {
    name,
    resources: spec.resources,
    namespaces: spec.namespaces,
    files: written.files,
    documents: written.documents,
    planted: written.planted,
    found,
    floorDocuments,
    wallMs: pick('kubewire', 'wallMs'),
    cpuMs: pick('kubewire', 'cpuMs'),
    rssMb: pick('kubewire', 'rssMb'),
    floorWallMs: pick('floor', 'wallMs'),
    floorRssMb: pick('floor', 'rssMb'),
    jsYamlWallMs: pick('jsYaml', 'wallMs'),
    vsFloor: ratio('floor', 'wallMs'),
    cpuVsFloor: ratio('floor', 'cpuMs'),
    vsJsYaml: ratio('jsYaml', 'wallMs'),
  };
}

/** One small file against `node -e ""`, wall time only (no preload in either), paired and alternated. */
function benchStartup() {
  const file = path.join(work, 'small', 'web.yaml');
  writeSmallFile(file);
  const time = (nodeArgs) => {
    const start = performance.now();
    const child = spawnSync(process.execPath, nodeArgs, { stdio: 'ignore', env: { ...process.env, CI: 'true' } });
    if (child.status !== 0) throw new Error(`${nodeArgs.join(' ')} exited with ${child.status}`);
    return performance.now() - start;
  };
  time(['-e', '']);
  time([bin, file]);
  const bare = [];
  const kubewire = [];
  for (let run = 0; run < startupRuns; run++) {
    if (run % 2) bare.push(time(['-e', '']));
    kubewire.push(time([bin, file]));
    if (!(run % 2)) bare.push(time(['-e', '']));
  }
  return { bareMs: median(bare), kubewireMs: median(kubewire), ratio: median(kubewire.map((k, i) => k / bare[i])) };
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const seconds = (ms) => `${fmt(ms / 1000, 2)} s`;

function table(header, rows) {
  if (args.markdown) {
    return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  return [header, ...rows].map((r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ')).join('\n');
}

try {
  console.log(`kubewire bench: ${os.cpus().length} cores, Node ${process.version}, ${runs} paired runs per corpus (medians)`);
  console.log(`command: npm run bench -- ${process.argv.slice(2).join(' ')}`);
  const measured = [];
  for (const corpus of corpora) {
    process.stderr.write(`${corpus.name} `);
    measured.push(benchCorpus(corpus));
    process.stderr.write('\n');
  }
  const startup = startupRuns > 0 ? benchStartup() : undefined;

  if (measured.length > 0) {
    console.log();
    console.log(
      table(
        [
          'corpus',
          'resources',
          'files',
          'wall',
          'CPU',
          'docs/s',
          'peak RSS',
          'vs floor (wall)',
          'vs floor (CPU)',
          'vs js-yaml',
          'floor',
          'js-yaml',
          'findings',
        ],
        measured.map((m) => [
          m.name === 'one-namespace' || m.name === 'spread' ? `${m.name} (${m.namespaces} ns)` : m.name,
          fmt(m.resources),
          fmt(m.files),
          seconds(m.wallMs),
          seconds(m.cpuMs),
          fmt(m.documents / (m.wallMs / 1000)),
          `${fmt(m.rssMb)} MiB`,
          `${fmt(m.vsFloor, 2)}×`,
          `${fmt(m.cpuVsFloor, 2)}×`,
          `${fmt(m.vsJsYaml, 2)}×`,
          seconds(m.floorWallMs),
          seconds(m.jsYamlWallMs),
          `${m.found} (${m.planted} planted)`,
        ]),
      ),
    );
  }
  const byName = new Map(measured.map((m) => [m.name, m]));
  const perResource = (m, field) => m[field] / m.resources;
  const lines = [];
  const large = byName.get('100k');
  const medium = byName.get('10k');
  if (large && medium) {
    lines.push(
      `linearity: time per resource at 100k / at 10k: wall ${fmt(perResource(large, 'wallMs') / perResource(medium, 'wallMs'), 2)}×, CPU ${fmt(perResource(large, 'cpuMs') / perResource(medium, 'cpuMs'), 2)}× (target ≤ 1.2×)`,
    );
  }
  const one = byName.get('one-namespace');
  const spread = byName.get('spread');
  if (one && spread) {
    lines.push(
      `one namespace / spread out: wall ${fmt(one.wallMs / spread.wallMs, 2)}×, CPU ${fmt(one.cpuMs / spread.cpuMs, 2)}× (target ≤ 1.2×)`,
    );
  }
  if (startup) {
    lines.push(
      `start-up, one small file: ${fmt(startup.kubewireMs)} ms vs node -e "" ${fmt(startup.bareMs)} ms: ${fmt(startup.ratio, 2)}× (median of ${startupRuns} paired runs; target ≤ 1.5×)`,
    );
  }
  if (lines.length > 0) console.log(`\n${lines.join('\n')}`);
  for (const m of measured) {
    if (m.floorDocuments !== m.documents)
      console.error(`${m.name}: the floor parsed ${m.floorDocuments} documents, the corpus has ${m.documents}`);
    if (m.found !== m.planted) {
      console.error(`${m.name}: ${m.found} findings for ${m.planted} planted mistakes: a rule misses one or reports a false positive`);
      process.exitCode = 1;
    }
  }
} finally {
  if (args.keep) console.log(`\ncorpora kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
