/**
 * Text from manifests (names, labels, values quoted in messages) is untrusted: it may carry ANSI escape codes,
 * newlines or other control characters that would forge lines in a terminal or CI log. Every reporter that
 * writes for humans gets its strings through here (see `index.ts`), so a new format is safe by construction.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\n|\t/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

/** Control characters shown as visible escapes (`\n`, `\e`, `\u0007`), so one message stays one line. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (ch) => NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Like escapeControl but keeps tabs, for source lines shown in code frames. */
export function escapeSourceLine(text: string): string {
  return text.replace(CONTROL, (ch) => (ch === '\t' ? '  ' : NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
