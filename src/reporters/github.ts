import type { LintMessage, LintResult } from '../engine/results.js';
import path from 'node:path';
import { encodeOwnLineBreaks, encodePropertyDelimiters, escapeWorkflowCommandData } from './escape.js';
import type { Reporter, ReporterContext } from './types.js';

/**
 * GitHub Actions annotations, one workflow command per finding:
 * `::error file=k8s/web.yaml,line=8,endLine=8,col=10,endColumn=13,title=kubewire service-selector-match::…`.
 * The results arrive escaped for workflow commands (src/reporters/index.ts: control characters shown as `\n`,
 * `%` encoded), so no manifest text can end the command or start one of its own; here the property
 * delimiters of `file=` and `title=` are encoded, and kubewire's own line breaks become `%0A`.
 * GitHub shows at most 10 error and 10 warning annotations of a step
 * (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands): past that, one notice
 * gives the counts and points to the SARIF upload, which shows every finding.
 */
export const ANNOTATIONS_SHOWN_PER_LEVEL = 10;

export const github: Reporter = (results, context) => {
  const fromRoot = rootRelative(context);
  const lines: string[] = [];
  const shown = { error: 0, warning: 0 };
  const total = { error: 0, warning: 0 };
  for (const result of results) {
    for (const message of result.messages) {
      const level = message.severity === 2 ? 'error' : 'warning';
      total[level]++;
      if (shown[level] >= ANNOTATIONS_SHOWN_PER_LEVEL) continue;
      shown[level]++;
      lines.push(annotation(level, result, message, fromRoot));
    }
  }
  const hidden = total.error - shown.error + (total.warning - shown.warning);
  if (hidden > 0) {
    const counts = `${plural(total.error, 'error')} and ${plural(total.warning, 'warning')}`;
    const text =
      `kubewire found ${counts}; GitHub shows the first ${ANNOTATIONS_SHOWN_PER_LEVEL} errors and ${ANNOTATIONS_SHOWN_PER_LEVEL} warnings of a step as annotations, ` +
      `so ${plural(hidden, 'finding')} ${hidden === 1 ? 'is' : 'are'} not annotated. ` +
      'Upload the SARIF report (kubewire --format sarif -o kubewire.sarif, then github/codeql-action/upload-sarif) to see every finding in code scanning.';
    lines.push(`::notice title=${encodePropertyDelimiters(`kubewire: ${hidden} more findings`)}::${text}`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
};

function annotation(level: 'error' | 'warning', result: LintResult, message: LintMessage, fromRoot: (filePath: string) => string): string {
  const properties = [
    `file=${encodePropertyDelimiters(fromRoot(result.filePath))}`,
    `line=${message.line}`,
    `endLine=${message.endLine}`,
    `col=${message.column}`,
    `endColumn=${message.endColumn}`,
    `title=${encodePropertyDelimiters(`kubewire ${message.ruleId}`)}`,
  ];
  const related = (message.related ?? []).map((r) => `\n${r.message}: ${fromRoot(r.filePath)}:${r.line}:${r.column}`);
  return `::${level} ${properties.join(',')}::${encodeOwnLineBreaks(`${message.message}${related.join('')}`)}`;
}

/**
 * GitHub places an annotation by the file's path from the repository root; results are relative to the
 * working directory, which may be a folder of it (`working-directory:` of a step).
 */
function rootRelative(context: ReporterContext): (filePath: string) => string {
  const { cwd, sourceRoot } = context;
  const prefix = cwd !== undefined && sourceRoot !== undefined ? path.relative(sourceRoot, cwd) : '';
  if (!prefix || prefix.startsWith('..') || path.isAbsolute(prefix)) return (filePath) => filePath;
  // The prefix is the runner's directory, not manifest text, but it reaches the command too: escaped as data.
  const escaped = escapeWorkflowCommandData(prefix.split(path.sep).join('/'));
  return (filePath) => (filePath.startsWith('<') || path.isAbsolute(filePath) ? filePath : `${escaped}/${filePath}`);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
