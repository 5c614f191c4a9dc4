import { Lexer } from 'yaml';
import type { SourceFile } from '../../loader/source.js';
import type { DirectiveType, SourceLocation } from './eslint-types.js';

/** A `# ...` comment of a YAML file; `value` is the text after the `#`. */
export interface CommentNode {
  type: 'Comment';
  value: string;
  range: [number, number];
  loc: SourceLocation;
}

/**
 * The comments of a YAML text, found by the `yaml` package's lexer, so that a `#` inside a quoted value or a
 * block scalar is not taken for one. The lexer also yields zero-width markers (document start, scalar start,
 * flow end: `\x02`, `\x1f`, `\x18`, yaml's `CST.DOCUMENT`, `CST.SCALAR`, `CST.FLOW_END`) that are not in the text.
 */
export function commentsOf(file: SourceFile): CommentNode[] {
  const comments: CommentNode[] = [];
  let offset = 0;
  for (const token of new Lexer().lex(file.text)) {
    if (token === '\x02' || token === '\x1f' || token === '\x18') continue;
    if (token.startsWith('#')) {
      const end = offset + token.length;
      const range = file.rangeAt(offset, end);
      comments.push({
        type: 'Comment',
        value: token.slice(1),
        range: [offset, end],
        loc: { start: { line: range.line, column: range.column }, end: { line: range.endLine, column: range.endColumn } },
      });
    }
    offset += token.length;
  }
  return comments;
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
