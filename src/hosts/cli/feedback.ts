import { performance } from 'node:perf_hooks';
import { PHASES, RunStats } from '../../engine/run-stats.js';

/** What the feedback needs of the command line's IO (see CliIo). */
export interface FeedbackIo {
  env: Readonly<Record<string, string | undefined>>;
  stderr: (text: string) => void;
  stderrIsTTY?: boolean;
  /** Milliseconds on a monotonic clock (default performance.now). */
  now?: () => number;
}

/** Runs shorter than this show no progress at all: a line that flashes by is noise. */
export const PROGRESS_AFTER_MS = 2000;
const REPAINT_EVERY_MS = 100;

/**
 * The run's feedback on standard error: a progress line for long runs on a terminal, and `--stats` / `TIMING`.
 * `stats` is undefined when neither is wanted, so that a plain run measures nothing.
 */
export interface RunFeedback {
  readonly stats: RunStats | undefined;
  /** Clears the progress line, before the report is written (both may go to one terminal). */
  endProgress(): void;
  /** Prints the timings when `--stats` or `TIMING` asked for them. */
  printStats(): void;
}

export function runFeedback(io: FeedbackIo, statsFlag: boolean): RunFeedback {
  const now = io.now ?? (() => performance.now());
  const started = now();
  // ESLint's convention: TIMING=1 (or a count, or `all`) prints the time per rule; --stats asks for it too.
  const timing = io.env.TIMING !== undefined && io.env.TIMING !== '';
  const wantStats = statsFlag || timing;
  const progress = progressWanted(io) ? new ProgressLine(io.stderr, now, started) : undefined;
  const stats =
    wantStats || progress
      ? new RunStats({ timeRules: wantStats, ...(progress ? { onProgress: (s: RunStats) => progress.update(s) } : {}) })
      : undefined;
  return {
    stats,
    endProgress: () => progress?.clear(),
    printStats: () => {
      if (!stats || !wantStats) return;
      io.stderr(formatStats(stats, now() - started, timingListSize(timing ? io.env.TIMING : 'all')));
    },
  };
}

/**
 * A progress line only where a person watches it: standard error is a terminal that can redraw a line, and not a
 * CI log (CI=true, which GitHub Actions, GitLab and most CI services set; a log keeps every redraw).
 */
export function progressWanted(io: FeedbackIo): boolean {
  const ci = io.env.CI !== undefined && io.env.CI !== '' && io.env.CI !== 'false';
  return io.stderrIsTTY === true && !ci && io.env.TERM !== 'dumb';
}

/** One line on standard error, redrawn in place (`\r`, then erase to the end of the line). */
export class ProgressLine {
  #shown = false;
  #lastPaint = -Infinity;

  constructor(
    private readonly write: (text: string) => void,
    private readonly now: () => number,
    private readonly started: number,
  ) {}

  update(stats: RunStats): void {
    const time = this.now();
    if (time - this.started < PROGRESS_AFTER_MS || time - this.#lastPaint < REPAINT_EVERY_MS) return;
    this.#lastPaint = time;
    this.#shown = true;
    this.write(`\r\u001b[Kkubewire: ${count(stats.filesRead, 'file')} read, ${count(stats.documentsParsed, 'document')} parsed`);
  }

  clear(): void {
    if (!this.#shown) return;
    this.write('\r\u001b[K');
    this.#shown = false;
  }
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * How many rules the table lists, as ESLint reads TIMING (lib/linter/timing.js getListSize): `all` lists every
 * rule, a number above 10 that many, anything else the 10 slowest.
 */
export function timingListSize(timing: string | undefined): number {
  const MINIMUM = 10;
  if (timing === undefined) return MINIMUM;
  if (timing.toLowerCase() === 'all') return Number.POSITIVE_INFINITY;
  const asNumber = Number.parseInt(timing, 10);
  return asNumber > MINIMUM ? asNumber : MINIMUM;
}

/**
 * A timing table in ESLint's TIMING layout: `Rule | Time (ms) | Relative`, a Markdown alignment row, times with
 * three decimals, each row's share of the total. Rows are shown in the order given.
 */
export function formatTimingTable(title: string, rows: readonly (readonly [string, number])[], total: number): string {
  const cells = [
    [title, 'Time (ms)', 'Relative'],
    ...rows.map(([name, ms]) => [name, ms.toFixed(3), `${total > 0 ? ((ms * 100) / total).toFixed(1) : '0.0'}%`]),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ');
  const alignment = `:${'-'.repeat(widths[0]!)}|${'-'.repeat(widths[1]! + 1)}:|${'-'.repeat(widths[2]!)}:`;
  return [line(cells[0]!), alignment, ...cells.slice(1).map(line)].join('\n');
}

/** `--stats`: time per phase, in run order; time per rule, slowest first (at most listSize); the counts. */
export function formatStats(stats: RunStats, wallMs: number, listSize: number): string {
  const phases = PHASES.filter((p) => stats.phases.has(p)).map((p): [string, number] => [p, stats.phases.get(p)!]);
  const rules = [...stats.rules].sort((a, b) => b[1] - a[1]);
  const rulesTotal = rules.reduce((n, [, ms]) => n + ms, 0);
  return [
    formatTimingTable(
      'Phase',
      phases,
      phases.reduce((n, [, ms]) => n + ms, 0),
    ),
    '',
    formatTimingTable('Rule', rules.slice(0, listSize), rulesTotal),
    '',
    `kubewire: ${count(stats.filesRead, 'file')} read, ${count(stats.documentsParsed, 'document')} parsed, in ${wallMs.toFixed(0)} ms`,
    '',
  ].join('\n');
}
