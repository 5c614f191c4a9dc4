/**
 * Bulk suppressions, for turning kubewire on in a repository that already has findings: ESLint 9.24's model
 * (eslint lib/services/suppressions-service.js, lib/cli.js; https://eslint.org/docs/latest/use/suppressions).
 *
 * `--suppress-all` (or `--suppress-rule <id>`) records, per file and rule, how many errors there are now in
 * `kubewire-suppressions.json`; later runs leave those out, and a file whose count of a rule grows reports all of
 * that rule's errors again (a count cannot tell which one is new). Only errors are counted, as in ESLint, and not
 * fatal ones (a file that cannot be parsed is not linted at all). Entries whose findings no longer occur (fixed, or
 * fewer than recorded) are stale: the run fails (exit 2, ESLint's) until `--prune-suppressions` lowers them, unless
 * `--pass-on-unpruned-suppressions`. Entries for files this run did not lint are left alone, so linting a few files
 * (a pre-commit hook) finds nothing stale in the others.
 *
 * The file is JSON with files and rules sorted and two-space indents, so that it diffs well in review; paths are
 * relative to the working directory, with `/`, as results name them.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resultOf } from '../engine/linter.js';
import type { LintMessage, LintResult, SuppressedLintMessage } from '../engine/results.js';
import { UsageError } from '../loader/read-inputs.js';
import { nearestName } from '../model/evidence/nearest-name.js';

export const DEFAULT_SUPPRESSIONS_FILE = 'kubewire-suppressions.json';

/** `{ "deploy/web.yaml": { "service-selector-match": { "count": 2 } } }`, ESLint's eslint-suppressions.json. */
export type SuppressionCounts = Record<string, Record<string, { count: number }>>;

export interface BulkSuppressionOptions {
  cwd: string;
  /** The file, relative to `cwd` (ESLint's `--suppressions-location`). Default `kubewire-suppressions.json`. */
  location?: string | undefined;
  /** Record every error of this run (ESLint's `--suppress-all`). */
  suppressAll?: boolean | undefined;
  /** Record the errors of these rules (ESLint's `--suppress-rule`). */
  suppressRule?: readonly string[] | undefined;
  /** Lower or remove the entries that no longer occur (ESLint's `--prune-suppressions`). */
  pruneSuppressions?: boolean | undefined;
  /** Ids of the rules, to check `suppressRule`. */
  ruleIds: readonly string[];
}

export interface StaleSuppression {
  filePath: string;
  ruleId: string;
  /** How many of the recorded errors no longer occur. */
  count: number;
}

export interface BulkSuppressionOutcome {
  results: LintResult[];
  /** The suppressions file, as the user named it (relative to cwd). */
  filePath: string;
  /** True when this run wrote it (`suppressAll`, `suppressRule`, `pruneSuppressions`). */
  written: boolean;
  /** Errors left out because the file counts them. */
  suppressedCount: number;
  /** Entries whose findings no longer occur, sorted. */
  stale: StaleSuppression[];
}

/** Checks that the options make sense together (eslint lib/cli.js); throws a UsageError naming the flags. */
export function checkBulkSuppressionOptions(options: Omit<BulkSuppressionOptions, 'cwd'>): void {
  const given = [
    options.suppressAll && '--suppress-all',
    options.suppressRule?.length && '--suppress-rule',
    options.pruneSuppressions && '--prune-suppressions',
  ].filter((f): f is string => typeof f === 'string');
  if (given.length > 1)
    throw new UsageError(`${given[0]} and ${given[1]} cannot be used together: record with one run, prune with another`);
  for (const id of options.suppressRule ?? []) {
    if (options.ruleIds.includes(id)) continue;
    const near = nearestName(id, options.ruleIds);
    throw new UsageError(`--suppress-rule: unknown rule "${id}"${near ? ` (did you mean "${near}"?)` : ''}; \`kubewire rules\` lists them`);
  }
}

/**
 * Reads (and, when asked, writes) the suppressions file and leaves out the errors it counts. Undefined when there is
 * no file and nothing to write: the run is as if the feature did not exist.
 */
export async function applyBulkSuppressions(
  results: readonly LintResult[],
  options: BulkSuppressionOptions,
): Promise<BulkSuppressionOutcome | undefined> {
  checkBulkSuppressionOptions(options);
  const shown = options.location ?? DEFAULT_SUPPRESSIONS_FILE;
  const file = path.resolve(options.cwd, shown);
  const writing = options.suppressAll === true || (options.suppressRule?.length ?? 0) > 0 || options.pruneSuppressions === true;
  let counts = await load(file, shown);
  if (counts === undefined) {
    if (options.location !== undefined && !writing) {
      throw new UsageError(
        `the suppressions file ${shown} does not exist; create it with --suppress-all or --suppress-rule <id> (and the same --suppressions-location)`,
      );
    }
    if (!writing) return undefined;
    counts = {};
  }
  if (options.suppressAll || (options.suppressRule?.length ?? 0) > 0) {
    const only = options.suppressAll ? undefined : new Set(options.suppressRule);
    for (const result of results) {
      for (const [ruleId, count] of countErrors(result.messages)) {
        if (only && !only.has(ruleId)) continue;
        (counts[result.filePath] ??= {})[ruleId] = { count };
      }
    }
  }
  if (options.pruneSuppressions) {
    for (const { filePath, ruleId, count } of apply(results, counts, shown).stale) {
      const entry = counts[filePath]![ruleId]!;
      if (entry.count <= count) delete counts[filePath]![ruleId];
      else entry.count -= count;
      if (Object.keys(counts[filePath]!).length === 0) delete counts[filePath];
    }
  }
  if (writing) await save(file, shown, counts);
  return { ...apply(results, counts, shown), filePath: shown, written: writing };
}

/** The stable text of a suppressions file: files, then rules, sorted by code unit; a newline at the end. */
export function formatSuppressions(counts: SuppressionCounts): string {
  const sorted: SuppressionCounts = {};
  for (const filePath of Object.keys(counts).sort(byCodeUnit)) {
    const rules = counts[filePath]!;
    const ids = Object.keys(rules).sort(byCodeUnit);
    if (ids.length === 0) continue;
    sorted[filePath] = Object.fromEntries(ids.map((id) => [id, { count: rules[id]!.count }]));
  }
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Errors per rule, fatal ones left out (ESLint counts messages with severity 2 and a rule id). */
function countErrors(messages: readonly LintMessage[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of messages) if (m.severity === 2 && !m.fatal) counts.set(m.ruleId, (counts.get(m.ruleId) ?? 0) + 1);
  return counts;
}

/** ESLint's applySuppressions: a rule's errors in a file are left out when there are no more than recorded. */
function apply(
  results: readonly LintResult[],
  counts: SuppressionCounts,
  shown: string,
): Omit<BulkSuppressionOutcome, 'filePath' | 'written'> {
  let suppressedCount = 0;
  const stale: StaleSuppression[] = [];
  const out = results.map((result) => {
    const recorded = counts[result.filePath];
    if (!recorded) return result;
    const found = countErrors(result.messages);
    const silenced = new Set<string>();
    for (const [ruleId, { count }] of Object.entries(recorded)) {
      const now = found.get(ruleId) ?? 0;
      if (now <= count) silenced.add(ruleId);
      if (now < count) stale.push({ filePath: result.filePath, ruleId, count: count - now });
    }
    const kept: LintMessage[] = [];
    const suppressed: SuppressedLintMessage[] = [...result.suppressedMessages];
    let here = 0;
    for (const message of result.messages) {
      if (message.severity !== 2 || message.fatal || !silenced.has(message.ruleId)) {
        kept.push(message);
        continue;
      }
      here++;
      const count = recorded[message.ruleId]!.count;
      suppressed.push({
        ...message,
        suppressions: [
          {
            kind: 'file',
            justification: `one of ${count} ${message.ruleId} error${count === 1 ? '' : 's'} of this file recorded in ${shown}`,
          },
        ],
      });
    }
    suppressedCount += here;
    return here === 0 ? result : resultOf(result.filePath, kept, suppressed);
  });
  stale.sort((a, b) => byCodeUnit(a.filePath, b.filePath) || byCodeUnit(a.ruleId, b.ruleId));
  return { results: out, suppressedCount, stale };
}

async function load(file: string, shown: string): Promise<SuppressionCounts | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(
      `cannot read the suppressions file ${shown}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `the suppressions file ${shown} is not valid JSON (${(error as Error).message}); restore it from version control, or delete it and run kubewire --suppress-all`,
    );
  }
  const problem = shapeProblem(parsed);
  if (problem)
    throw new UsageError(
      `the suppressions file ${shown}: ${problem}; it holds { "<file>": { "<rule>": { "count": <n> } } }, as kubewire --suppress-all writes it`,
    );
  return parsed as SuppressionCounts;
}

function shapeProblem(value: unknown): string | undefined {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(value)) return 'the top level must be an object';
  for (const [filePath, rules] of Object.entries(value)) {
    if (!isObject(rules)) return `"${filePath}" must be an object of rules`;
    for (const [ruleId, entry] of Object.entries(rules)) {
      const count = isObject(entry) ? entry.count : undefined;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 1)
        return `"${filePath}" → "${ruleId}" must be { "count": <a whole number above 0> }`;
    }
  }
  return undefined;
}

/** Written atomically (a temporary file, then rename), so an interrupted run never leaves half a file. */
async function save(file: string, shown: string, counts: SuppressionCounts): Promise<void> {
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(temporary, formatSuppressions(counts));
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw new UsageError(
      `cannot write the suppressions file ${shown}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/** Lines for a person about the run's bulk suppressions (stderr), without a trailing newline. */
export function bulkSuppressionNotices(outcome: BulkSuppressionOutcome, passOnUnpruned: boolean): string[] {
  const notices: string[] = [];
  const errors = (n: number) => `${n} error${n === 1 ? '' : 's'}`;
  if (outcome.written) notices.push(`wrote ${outcome.filePath}.`);
  if (outcome.suppressedCount > 0)
    notices.push(`${errors(outcome.suppressedCount)} left out: ${outcome.filePath} counts them (they are in the report as suppressed).`);
  if (outcome.stale.length > 0) {
    const first = outcome.stale.slice(0, 3).map((s) => `${s.filePath} ${s.ruleId} ×${s.count}`);
    const more = outcome.stale.length > 3 ? `, and ${outcome.stale.length - 3} more` : '';
    const entries = `${outcome.stale.length} entr${outcome.stale.length === 1 ? 'y' : 'ies'}`;
    notices.push(
      `${outcome.filePath} has ${entries} for errors that no longer occur (${first.join(', ')}${more}): run kubewire --prune-suppressions to remove them${passOnUnpruned ? '' : ' (until then the run fails; --pass-on-unpruned-suppressions lets it pass)'}.`,
    );
  }
  return notices;
}
