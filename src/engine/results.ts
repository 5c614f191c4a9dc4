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
}

export interface LintResult {
  filePath: string;
  messages: LintMessage[];
  errorCount: number;
  warningCount: number;
}
