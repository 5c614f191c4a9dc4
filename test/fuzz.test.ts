/**
 * Property-based robustness: the valid fixtures of every rule, mutated the way real repositories and hostile
 * pull requests mutate manifests (keys dropped, types changed, values swapped, odd unicode, huge numbers,
 * duplicated lines and keys, files cut short), must never make kubewire throw or a rule crash; every finding
 * has a rule id and a position inside its file; and the output does not depend on the order of the inputs.
 *
 * The normal suite runs a bounded number of cases with a fixed seed (FUZZ_RUNS, FUZZ_SEED override them);
 * `npm run fuzz` runs the same properties much longer with a fresh seed, printed for replay.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../src/engine/linter.js';
import { loadProject, type Project } from '../src/engine/project.js';
import type { LintResult } from '../src/engine/results.js';
import { allRules } from '../src/rules/index.js';
import { projectOf, readCase, repoRoot } from './helpers.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = Number(process.env.FUZZ_SEED ?? 20_251_123);
/** A long fuzz run gets time enough; the normal suite stays at a few seconds per property. */
const TIMEOUT_MS = Math.max(30_000, RUNS * 200);

/** Every valid fixture case (a file or a folder of files) of every rule, as in-memory files. */
function validCases(): { name: string; files: Record<string, string> }[] {
  const root = path.join(repoRoot, 'test', 'fixtures');
  const out: { name: string; files: Record<string, string> }[] = [];
  for (const rule of readdirSync(root).sort()) {
    const dir = path.join(root, rule, 'valid');
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.endsWith('.expected.json')) continue;
      const files = readCase(path.join(dir, entry));
      if (Object.keys(files).length > 0) out.push({ name: `${rule}/${entry}`, files });
    }
  }
  return out;
}

const CASES = validCases();

// ---- mutations -------------------------------------------------------------------------------------------

/** Strings that break naive code: controls, separators, bidi, lone surrogates, astral, combining, prototype keys. */
const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\u001b[31m',
  '\r\n',
  '\u2028',
  '\u202e',
  '\u200b',
  '\ufeff',
  '\ud800',
  '\udfff',
  '🚀',
  'e\u0301',
  'İ',
  'ǅ',
  '%0A',
  '::error::x',
  '{{name}}',
  '$&',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '0x1F',
  '0777',
  'yes',
  'NO',
  '~',
  'null',
  '.inf',
  '-.nan',
  '1e400',
  '9'.repeat(40),
  'a'.repeat(300),
  '*',
  '&a',
];

const ODD_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -0,
  -1,
  1.5,
  65536,
  2 ** 31,
  2 ** 53 + 1,
  -(2 ** 63),
  1e308,
  Number.MAX_SAFE_INTEGER,
  [],
  {},
  [null],
  [[[]]],
  { '': '' },
  { __proto__: 1 },
  ...ODD_STRINGS,
];

type Mutation =
  | { op: 'drop'; at: number }
  | { op: 'retype'; at: number; value: number }
  | { op: 'swap'; at: number; with: number }
  | { op: 'unicode'; at: number; text: number; where: number }
  | { op: 'rename-key'; at: number; text: number };

type TextMutation =
  | { op: 'duplicate-line'; line: number }
  | { op: 'insert'; offset: number; text: number }
  | { op: 'truncate'; offset: number }
  | { op: 'delete-line'; line: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('retype' as const), at: fc.nat(), value: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ op: fc.constant('unicode' as const), at: fc.nat(), text: fc.nat(), where: fc.nat() }),
  fc.record({ op: fc.constant('rename-key' as const), at: fc.nat(), text: fc.nat() }),
);

const textMutationArb: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ op: fc.constant('duplicate-line' as const), line: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), offset: fc.nat(), text: fc.nat() }),
  fc.record({ op: fc.constant('truncate' as const), offset: fc.nat() }),
  fc.record({ op: fc.constant('delete-line' as const), line: fc.nat() }),
);

type Container = Record<string, unknown> | unknown[];
type Slot = { parent: Container; key: string | number };

/** Every (container, key) slot of a value, depth first, in a stable order. */
function slotsOf(root: unknown): Slot[] {
  const out: Slot[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach((v, i) => (out.push({ parent: value, key: i }), visit(v)));
    else if (value && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        out.push({ parent: value as Record<string, unknown>, key });
        visit((value as Record<string, unknown>)[key]);
      }
    }
  };
  visit(root);
  return out;
}

function get(slot: Slot): unknown {
  return (slot.parent as Record<string | number, unknown>)[slot.key];
}
function set(slot: Slot, value: unknown): void {
  (slot.parent as Record<string | number, unknown>)[slot.key] = value;
}

function applyMutation(root: unknown, m: Mutation): void {
  const slots = slotsOf(root);
  if (slots.length === 0) return;
  const slot = slots[m.at % slots.length]!;
  switch (m.op) {
    case 'drop':
      if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
      else delete slot.parent[slot.key as string];
      return;
    case 'retype':
      set(slot, structuredClone(ODD_VALUES[m.value % ODD_VALUES.length]));
      return;
    case 'swap': {
      const other = slots[m.with % slots.length]!;
      const a = get(slot);
      const b = get(other);
      // Swapping a value into its own descendant would make a cycle; YAML has no cycles.
      if (slotsOf(a).some((s) => s.parent === other.parent) || slotsOf(b).some((s) => s.parent === slot.parent)) return;
      set(slot, b);
      set(other, a);
      return;
    }
    case 'unicode': {
      const value = get(slot);
      const odd = ODD_STRINGS[m.text % ODD_STRINGS.length]!;
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- any text will do to put odd characters into, even [object Object]
      const text = typeof value === 'string' ? value : String(value ?? '');
      const at = m.where % (text.length + 1);
      set(slot, text.slice(0, at) + odd + text.slice(at));
      return;
    }
    case 'rename-key': {
      if (Array.isArray(slot.parent)) return;
      const value = get(slot);
      delete slot.parent[slot.key as string];
      Object.defineProperty(slot.parent, `${String(slot.key)}${ODD_STRINGS[m.text % ODD_STRINGS.length]}`, {
        value,
        enumerable: true,
        configurable: true,
        writable: true,
      });
    }
  }
}

function applyTextMutation(text: string, m: TextMutation): string {
  const lines = text.split('\n');
  switch (m.op) {
    case 'duplicate-line': {
      // Repeating a line of a map repeats its key: the duplicate-key case, or a syntax error.
      const i = m.line % lines.length;
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
    case 'delete-line':
      lines.splice(m.line % lines.length, 1);
      return lines.join('\n');
    case 'insert': {
      const at = m.offset % (text.length + 1);
      return text.slice(0, at) + ODD_STRINGS[m.text % ODD_STRINGS.length] + text.slice(at);
    }
    case 'truncate':
      // A half-written file.
      return text.slice(0, m.offset % (text.length + 1));
  }
}

/** Parses a file to values, mutates them, writes them back as YAML, then mutates the text. */
function mutateFile(text: string, mutations: readonly Mutation[], textMutations: readonly TextMutation[]): string {
  const documents = parseAllDocuments(text, { version: '1.1', uniqueKeys: false });
  const values = (Array.isArray(documents) ? documents : [documents]).map((d) => {
    try {
      return d.toJS({ maxAliasCount: 100 }) as unknown;
    } catch {
      return null;
    }
  });
  const root: unknown[] = values;
  for (const m of mutations) applyMutation(root, m);
  let out = root.map((v) => stringify(v, { version: '1.1' })).join('---\n');
  for (const m of textMutations) out = applyTextMutation(out, m);
  return out;
}

const caseArb = fc.record({
  index: fc.nat(),
  mutations: fc.array(mutationArb, { minLength: 1, maxLength: 6 }),
  textMutations: fc.array(textMutationArb, { maxLength: 2 }),
  /** Which files of a multi-file case to mutate (bit mask); at least one is. */
  mask: fc.nat(),
});

function mutatedCase(input: { index: number; mutations: Mutation[]; textMutations: TextMutation[]; mask: number }): Record<string, string> {
  const { files } = CASES[input.index % CASES.length]!;
  const names = Object.keys(files);
  const out: Record<string, string> = {};
  names.forEach((name, i) => {
    const mutate = names.length === 1 || (input.mask >> i) % 2 === 1 || i === input.mask % names.length;
    out[name] = mutate ? mutateFile(files[name]!, input.mutations, input.textMutations) : files[name]!;
  });
  return out;
}

// ---- properties --------------------------------------------------------------------------------------------

function lintProject(project: Project): LintResult[] {
  return lint({
    graph: project.graph,
    inputProblems: project.inputProblems,
    rules: allRules,
    filePaths: [...project.files.map((f) => f.path), ...project.inputProblems.map((p) => p.path)],
  });
}

/** Every finding names its rule and sits inside its file: a line that exists, a column within that line. */
function checkPositions(project: Project, results: readonly LintResult[]): void {
  const sources = new Map(project.files.map((f) => [f.path, f]));
  const inside = (filePath: string, line: number, column: number, what: string) => {
    expect(Number.isInteger(line) && line >= 1, `${what}: line ${line}`).toBe(true);
    expect(Number.isInteger(column) && column >= 1, `${what}: column ${column}`).toBe(true);
    const source = sources.get(filePath);
    if (!source) return; // a file that could not be read: line 1 (or the line of the bad byte), no text to check
    expect(line, `${what}: line ${line} of ${source.lineCount}`).toBeLessThanOrEqual(source.lineCount);
    // +1: a position just after the last character (an empty value at the end of a line).
    expect(column, `${what}: column ${column} of a ${source.lineText(line).length}-character line`).toBeLessThanOrEqual(
      source.lineText(line).length + 2,
    );
  };
  for (const result of results) {
    for (const m of result.messages) {
      const what = `${result.filePath}:${m.line}:${m.column} ${m.ruleId} ${m.message}`;
      expect(typeof m.ruleId === 'string' && m.ruleId.length > 0, what).toBe(true);
      expect(m.messageId, what).not.toBe('internalError');
      expect(m.message.length, what).toBeGreaterThan(0);
      inside(result.filePath, m.line, m.column, what);
      expect(m.endLine > m.line || (m.endLine === m.line && m.endColumn >= m.column), `${what}: end before start`).toBe(true);
      for (const r of m.related ?? []) inside(r.filePath, r.line, r.column, `${what} (related ${r.filePath}:${r.line})`);
    }
  }
}

const scratch = mkdtempSync(path.join(tmpdir(), 'kubewire-fuzz-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;

describe(`fuzzing the valid fixtures (${CASES.length} cases, ${RUNS} runs per property, seed ${SEED})`, () => {
  it('there are valid fixtures to mutate', () => {
    expect(CASES.length).toBeGreaterThan(5);
  });

  it(
    'never throws, no rule crashes, every finding has a rule id and a position inside its file',
    () => {
      fc.assert(
        fc.property(caseArb, (input) => {
          const files = mutatedCase(input);
          const project = projectOf(files);
          const results = lintProject(project);
          try {
            checkPositions(project, results);
          } catch (error) {
            // FUZZ_DEBUG=1 prints the failing input, to replay it with the CLI.
            if (process.env.FUZZ_DEBUG) console.log(`FAILING INPUT ${JSON.stringify(files)}`);
            throw error;
          }
        }),
        { seed: SEED, numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'the output is the same whatever the order of the input files (as the CLI reads them)',
    async () => {
      await fc.assert(
        fc.asyncProperty(caseArb, fc.nat(), async (input, shuffleSeed) => {
          const files = mutatedCase(input);
          const dir = path.join(scratch, String(counter++));
          for (const [name, text] of Object.entries(files)) {
            mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
            writeFileSync(path.join(dir, name), text);
          }
          // A decoy beside the case, so that even one-file cases have an order to get wrong.
          writeFileSync(path.join(dir, 'zz-decoy.yaml'), Object.values(files)[0] ?? '');
          const names = [...Object.keys(files), 'zz-decoy.yaml'];
          const shuffled = shuffle(names, shuffleSeed);
          const outputs = await Promise.all(
            [names, shuffled, [...names].reverse(), ['.']].map(async (operands) =>
              JSON.stringify(lintProject(await loadProject({ cwd: dir, operands }))),
            ),
          );
          expect(new Set(outputs).size, `operand orders ${JSON.stringify(shuffled)}`).toBe(1);
        }),
        { seed: SEED, numRuns: Math.max(10, Math.round(RUNS / 3)) },
      );
    },
    TIMEOUT_MS,
  );
});

/** A deterministic shuffle (Fisher-Yates with a small LCG), so a failing order can be replayed from the seed. */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
