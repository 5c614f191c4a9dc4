import { VERSION } from '../../version.js';
import { PLUGIN_NAME } from './names.js';

/**
 * ESLint gives a rule one severity, but a kubewire rule lowers a finding to a warning when it is less sure (pods
 * an operator may create, a port that only containerPort documents). The rules note those findings here, and
 * the `kubewire/manifest` processor (ESLint's postprocess step, run after the rules of the same file and in the
 * same synchronous call) lowers them, so that ESLint's severities are the command line's.
 */
const loweredByFile = new Map<string, Set<string>>();

function keyOf(ruleId: string, line: number, column: number, message: string): string {
  return `${ruleId}\u0000${line}\u0000${column}\u0000${message}`;
}

export function noteLowered(filename: string, ruleId: string, line: number, column: number, message: string): void {
  let keys = loweredByFile.get(filename);
  if (!keys) loweredByFile.set(filename, (keys = new Set()));
  keys.add(keyOf(`${PLUGIN_NAME}/${ruleId}`, line, column, message));
}

interface EslintLintMessage {
  ruleId: string | null;
  severity: number;
  message: string;
  line: number;
  column: number;
}

export const manifestProcessor = {
  meta: { name: `${PLUGIN_NAME}/manifest`, version: VERSION },
  // The file is linted as it is; only the severities of the messages change.
  supportsAutofix: true,
  preprocess(text: string, filename: string): string[] {
    loweredByFile.delete(filename);
    return [text];
  },
  postprocess<M extends EslintLintMessage>(messageLists: M[][], filename: string): M[] {
    const lowered = loweredByFile.get(filename);
    loweredByFile.delete(filename);
    const messages = messageLists.flat();
    if (!lowered) return messages;
    return messages.map((m) =>
      m.ruleId !== null && m.severity === 2 && lowered.has(keyOf(m.ruleId, m.line, m.column, m.message)) ? { ...m, severity: 1 } : m,
    );
  },
};
