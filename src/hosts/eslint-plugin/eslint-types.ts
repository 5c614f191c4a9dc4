/**
 * The parts of ESLint's plugin contract this plugin implements, written out here so that kubewire's published
 * declarations need neither `eslint` nor `@eslint/core` (both optional for a CLI-only install). Shapes follow
 * `@eslint/core`'s `Language`, `File`, `OkParseResult`, `TextSourceCode`, `Directive` and `RuleDefinition`
 * (ESLint 9.7+ "languages" API: https://eslint.org/docs/latest/extend/languages).
 */

/** 1-based line and column here: the language says `lineStart: 1, columnStart: 1`, as kubewire counts. */
export interface Position {
  line: number;
  column: number;
}

export interface SourceLocation {
  start: Position;
  end: Position;
}

/** What ESLint hands `Language#parse`: the BOM is already stripped from `body`. */
export interface EslintFile {
  path: string;
  physicalPath: string;
  bom: boolean;
  body: string | Uint8Array;
}

/** A problem ESLint reports about the file itself (a bad directive comment), not from a rule. */
export interface FileProblem {
  ruleId: string | null;
  message: string;
  loc: SourceLocation;
}

export type DirectiveType = 'disable' | 'enable' | 'disable-line' | 'disable-next-line';

export interface Directive {
  type: DirectiveType;
  node: unknown;
  /** The rule list as written (`kubewire/a, kubewire/b`); ESLint splits it itself. */
  value: string;
  justification?: string;
}

/** ESLint's `rules` setting: a severity or `[severity, ...options]`. */
export type EslintRuleEntry = 'off' | 'warn' | 'error' | 0 | 1 | 2 | readonly unknown[];

export interface InlineConfig {
  loc: SourceLocation;
  config: { rules: Record<string, EslintRuleEntry> };
}

/** The slice of ESLint's rule context the wrappers use. */
export interface EslintRuleContext {
  readonly id: string;
  readonly options: readonly unknown[];
  readonly cwd: string;
  readonly filename: string;
  readonly physicalFilename: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly sourceCode: { readonly text: string };
  report(descriptor: { message: string; loc: SourceLocation }): void;
}

export interface EslintRule {
  meta: {
    type: 'problem' | 'suggestion' | 'layout';
    docs: { description: string; url: string; recommended: boolean };
    messages: Readonly<Record<string, string>>;
    schema: readonly unknown[];
    defaultOptions: readonly unknown[];
    /** ESLint 10 refuses the rule on files of another language (`meta.languages`); ESLint 9 ignores it. */
    languages: readonly string[];
    deprecated?: boolean;
  };
  create(context: EslintRuleContext): Record<string, (node: unknown) => void>;
}
