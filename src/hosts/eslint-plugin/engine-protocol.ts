import type { LintMessage } from '../../engine/results.js';
import type { RuleConfig } from '../../engine/rule-config.js';

/** What the rules of one file ask the engine thread: lint this text as this file with these rules. */
export interface EngineRequest {
  /** ESLint's working directory: kubewire's `cwd`, so related places read as on the command line. */
  cwd: string;
  /** The file on disk the text belongs to (absolute). */
  physicalPath: string;
  /** The text ESLint lints: an editor's unsaved buffer wins over the file on disk. */
  text: string;
  /** Every kubewire rule ESLint runs on this file, at `error`, with its options; the others are off. */
  rules: Record<string, RuleConfig>;
  /** Globs of the files that feed the graph, relative to `cwd` (`settings.kubewire.context`); default: the repository. */
  context?: string[];
  namespace?: string;
  kubernetesVersion?: string;
}

export type EngineResponse = { ok: true; messages: LintMessage[] } | { ok: false; message: string };
