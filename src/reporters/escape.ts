/**
 * Text from manifests (names, labels, values quoted in messages) is untrusted: it may carry ANSI escape codes,
 * newlines or other control characters that would forge lines in a terminal or CI log. Every reporter that
 * writes for humans gets its strings through here (see `index.ts`), so a new format is safe by construction.
 */
// C0 and C1 controls (ESC starts ANSI sequences, CR rewrites a line), line and paragraph separators, the
// bidirectional marks, embeddings, overrides and isolates ("Trojan Source"), and the invisible BOM.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|\n|\t/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

/** Control characters shown as visible escapes (`\n`, `\e`, `\u0007`), so one message stays one line. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (ch) => NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Like escapeControl but keeps tabs, for source lines shown in code frames. */
export function escapeSourceLine(text: string): string {
  return text.replace(CONTROL, (ch) => (ch === '\t' ? '  ' : (NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)));
}

/**
 * For GitHub workflow commands (`::error file=…,line=…::message`): the runner reads one command per line, so
 * control characters are escaped as for a terminal (no manifest text can start a line of its own, hence no
 * command of its own), and `%` is percent-encoded because the runner decodes `%25`, `%0A` and `%0D` in the
 * message.
 */
export function escapeWorkflowCommandData(text: string): string {
  return escapeControl(text).replace(/%/g, '%25');
}

/** For a property value of a workflow command (`file=`, `title=`): `,` and `:` end a property, so they are encoded too. */
export function escapeWorkflowCommandProperty(text: string): string {
  return encodePropertyDelimiters(escapeWorkflowCommandData(text));
}

/**
 * The rest of the property escaping, for text that went through escapeWorkflowCommandData already (the
 * results a `workflow-command` reporter receives): encoding `%` twice would show `%25` in the annotation.
 */
export function encodePropertyDelimiters(escapedData: string): string {
  return escapedData.replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * A reporter's own line breaks in a workflow-command message, as the runner decodes them (`%0A`, `%0D`). Safe
 * on escaped data: escaping left no raw line break and no raw `%` of the manifest's in it.
 */
export function encodeOwnLineBreaks(escapedData: string): string {
  return escapedData.replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
