import { commentsOf as yamlComments } from '../../loader/comments.js';
import type { SourceFile } from '../../loader/source.js';
import type { DirectiveType, SourceLocation } from './eslint-types.js';

/** A `# ...` comment of a YAML file; `value` is the text after the `#`. */
export interface CommentNode {
  type: 'Comment';
  value: string;
  range: [number, number];
  loc: SourceLocation;
}

/** The comments of a YAML text (the loader's commentsOf), as ESLint's comment nodes. */
export function commentsOf(file: SourceFile): CommentNode[] {
  return yamlComments(file).map(({ text, start }) => {
    const end = start + text.length;
    const range = file.rangeAt(start, end);
    return {
      type: 'Comment',
      value: text.slice(1),
      range: [start, end],
      loc: { start: { line: range.line, column: range.column }, end: { line: range.endLine, column: range.endColumn } },
    };
  });
}

/** A comment that speaks to ESLint: `# eslint-disable-next-line kubewire/probe-port -- the sidecar opens it`. */
export interface DirectiveComment {
  label: 'eslint' | DirectiveType;
  /** What follows the label, without the justification. */
  value: string;
  justification: string;
  node: CommentNode;
}

// ESLint's directive labels (its ConfigCommentParser); `eslint-env`, `global` and `exported` are JavaScript-only.
const DIRECTIVE = /^\s*(eslint(?:-enable|-disable(?:(?:-next)?-line)?)?)(?:\s|$)/u;

/**
 * The ESLint directive a comment holds, if any. As in ESLint, the justification is what follows two or more
 * dashes surrounded by white space. In YAML every comment is a line comment, so all directives are allowed in one.
 */
export function directiveOf(node: CommentNode): DirectiveComment | undefined {
  const [directivePart, ...justification] = node.value.split(/\s-{2,}\s/u);
  const match = DIRECTIVE.exec(directivePart!);
  if (!match) return undefined;
  return {
    label: match[1] === 'eslint' ? 'eslint' : (match[1]!.slice('eslint-'.length) as DirectiveType),
    value: directivePart!.slice(match[0].length).trim(),
    justification: justification.join(' ').trim(),
    node,
  };
}

/**
 * The rules of an inline configuration comment, `# eslint kubewire/service-node-port: ["error", {"range": "20000-22767"}]`:
 * JSON values after rule ids, as ESLint reads `/* eslint ... *\/` comments (rule ids may stay unquoted, and so may
 * a bare severity: `kubewire/probe-port: off`).
 */
export function parseRulesConfig(text: string): { ok: true; rules: Record<string, unknown> } | { ok: false; message: string } {
  const normalized = text
    .replace(/(^|[,{]\s*)([@A-Za-z0-9_./-]+)\s*:/gu, '$1"$2":')
    .replace(/(:\s*)(off|warn|error)(?=\s*(?:,|$))/gu, '$1"$2"');
  try {
    const rules: unknown = JSON.parse(`{${normalized}}`);
    if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) throw new Error('not an object');
    return { ok: true, rules: rules as Record<string, unknown> };
  } catch (error) {
    return { ok: false, message: `Failed to parse JSON from '${normalized}': ${(error as Error).message}` };
  }
}
