/** ESLint's result format, plus the resource and field each message is about. */
export interface LintResourceRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

export interface RelatedMessage {
  filePath: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

export interface LintMessage {
  ruleId: string;
  messageId: string;
  /** 1 warning, 2 error. */
  severity: 1 | 2;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  resource?: LintResourceRef;
  /** The field, e.g. `spec.ports[1].targetPort`. */
  path?: string;
  related?: RelatedMessage[];
  /** Set on messages about input that could not be read or parsed (as ESLint marks parsing errors). */
  fatal?: true;
}

/**
 * Why a finding is silenced: ESLint's suppression. `kind: 'directive'` for an in-source directive (a
 * `# kubewire-disable…` comment, or the `kubewire.io/ignore` annotation of the resource), with where it is
 * written; `kind: 'file'` for a count in the bulk suppressions file (`kubewire-suppressions.json`), as ESLint
 * marks findings that `eslint-suppressions.json` suppresses.
 */
export interface Suppression {
  kind: 'directive' | 'file';
  justification: string;
  /** The comment or annotation that silences the finding. */
  location?: { filePath: string; line: number; column: number; endLine: number; endColumn: number };
}

/** A finding that a resource silences; kept (as ESLint's `suppressedMessages`) so that code scanning shows it as dismissed. */
export interface SuppressedLintMessage extends LintMessage {
  suppressions: Suppression[];
}

export interface LintResult {
  filePath: string;
  messages: LintMessage[];
  errorCount: number;
  warningCount: number;
  /** Messages about input kubewire could not parse or read (ESLint's parsing errors). */
  fatalErrorCount: number;
  /** kubewire fixes nothing yet; kept so tools written for ESLint's JSON read ours unchanged. */
  fixableErrorCount: 0;
  fixableWarningCount: 0;
  /** Findings silenced by a `kubewire.io/ignore` annotation; not counted in errorCount or warningCount. */
  suppressedMessages: SuppressedLintMessage[];
  usedDeprecatedRules: [];
}
