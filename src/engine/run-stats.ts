import { performance } from 'node:perf_hooks';

/** The phases of a run, in order: reading the inputs, parsing them, building the model, the rules, the report. */
export const PHASES = ['read', 'parse', 'model', 'rules', 'report'] as const;
export type Phase = (typeof PHASES)[number];

/**
 * What a run measures about itself, for a host that shows progress or timings (`--stats`, `TIMING=1`). A host
 * passes one in KubewireOptions; the engine counts into it as it goes and calls `onProgress` after each file
 * read and each file parsed (synchronously: parsing never yields to the event loop, so a timer could not paint).
 */
export class RunStats {
  /** Milliseconds spent in each phase. */
  readonly phases = new Map<Phase, number>();
  /** Milliseconds spent in each rule's listeners (and in starting the rule), when `timeRules` is set. */
  readonly rules = new Map<string, number>();
  filesRead = 0;
  documentsParsed = 0;

  constructor(
    readonly options: {
      /** Measure each rule (a clock read around every listener call: only when asked). */
      timeRules?: boolean;
      onProgress?: (stats: RunStats) => void;
    } = {},
  ) {}

  get timeRules(): boolean {
    return this.options.timeRules === true;
  }

  /** Starts timing a phase; the returned function stops it (a phase may run in several parts). */
  start(phase: Phase): () => void {
    const start = performance.now();
    return () => this.phases.set(phase, (this.phases.get(phase) ?? 0) + performance.now() - start);
  }

  addRuleTime(ruleId: string, ms: number): void {
    this.rules.set(ruleId, (this.rules.get(ruleId) ?? 0) + ms);
  }

  fileRead(): void {
    this.filesRead++;
    this.options.onProgress?.(this);
  }

  parsed(documents: number): void {
    this.documentsParsed += documents;
    this.options.onProgress?.(this);
  }
}

/** A rule's listener that adds its time to the rule's (ESLint's TIMING wraps each rule listener the same way). */
export function timedListener(stats: RunStats, ruleId: string, listener: (arg: never) => void): (arg: never) => void {
  return (arg) => {
    const start = performance.now();
    try {
      listener(arg);
    } finally {
      stats.addRuleTime(ruleId, performance.now() - start);
    }
  };
}
