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
  suppressedMessages: [];
  usedDeprecatedRules: [];
}
