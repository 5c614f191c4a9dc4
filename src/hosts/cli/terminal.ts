import type { LintRun } from '../../api/kubewire.js';

/**
 * Whether the report gets colours: `--no-color` and `--color` first, then FORCE_COLOR as Node reads it
 * (tty.WriteStream#getColorDepth, lib/internal/tty.js: "", "1", "true", "2" and "3" force colours, even over
 * NO_COLOR; any other value, "0" and "false" among them, turns them off), then NO_COLOR (no-color.org: set and
 * not empty), then whether standard output is a terminal. A report written to a file (-o) has no colours unless
 * they are forced.
 */
export function reportHasColors(
  flags: { color?: boolean | undefined; noColor?: boolean | undefined; outputFile?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
  stdoutIsTTY: boolean,
): boolean {
  if (flags.noColor) return false;
  if (flags.color) return true;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return ['', '1', 'true', '2', '3'].includes(force);
  if (env.NO_COLOR) return false;
  return !flags.outputFile && stdoutIsTTY;
}

/**
 * The line a clean run prints on standard error when a person watches it (a terminal): `12 files, 48 objects:
 * no problems`. Silence would leave them wondering whether anything was read; a pipe or a CI log gets nothing,
 * and standard output (which may be JSON or SARIF) never does.
 */
export function cleanRunLine(run: LintRun, quiet: boolean): string | undefined {
  if (run.errorCount > 0 || run.warningCount > 0) return undefined;
  // --quiet drops warnings: "no problems" would hide them.
  if (quiet) return undefined;
  const files = run.results.length;
  const objects = run.graph.resources.length;
  const suppressed = run.suppressedCount > 0 ? ` (${run.suppressedCount} suppressed)` : '';
  return `${files} file${files === 1 ? '' : 's'}, ${objects} object${objects === 1 ? '' : 's'}: no problems${suppressed}`;
}
