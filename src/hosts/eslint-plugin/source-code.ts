import { SourceFile } from '../../loader/source.js';
import { commentsOf, directiveOf, parseRulesConfig, type CommentNode, type DirectiveComment } from './comments.js';
import type { Directive, EslintRuleEntry, FileProblem, InlineConfig, SourceLocation } from './eslint-types.js';

/**
 * The one node of a manifest file's tree. kubewire's rules do not walk a YAML tree: the engine reads the file
 * (as go-yaml does) and the rules ask its model, so ESLint gets the file and its comments, and each rule listens
 * to this node.
 */
export interface ManifestFileNode {
  type: 'ManifestFile';
  range: [number, number];
  loc: SourceLocation;
  comments: CommentNode[];
}

export const visitorKeys: Record<string, string[]> = { ManifestFile: [] };

export function parseManifestFile(text: string): ManifestFileNode {
  const file = new SourceFile('', text);
  const end = file.positionAt(text.length);
  return { type: 'ManifestFile', range: [0, text.length], loc: { start: { line: 1, column: 1 }, end }, comments: commentsOf(file) };
}

/** ESLint's view of a manifest file (its `TextSourceCode`), with `#` comments as ESLint directives. */
export class ManifestSourceCode {
  readonly text: string;
  readonly ast: ManifestFileNode;
  readonly hasBOM: boolean;
  readonly lines: string[];
  readonly visitorKeys = visitorKeys;
  readonly #directives: DirectiveComment[];

  constructor(text: string, ast: ManifestFileNode, hasBOM: boolean) {
    this.text = text;
    this.ast = ast;
    this.hasBOM = hasBOM;
    const file = new SourceFile('', text);
    this.lines = Array.from({ length: file.lineCount }, (_, i) => file.lineText(i + 1));
    this.#directives = ast.comments.flatMap((comment) => directiveOf(comment) ?? []);
  }

  get comments(): CommentNode[] {
    return this.ast.comments;
  }

  getLoc(node: { loc: SourceLocation }): SourceLocation {
    return node.loc;
  }

  getRange(node: { range: [number, number] }): [number, number] {
    return node.range;
  }

  /** Enter and leave the file node: the only node there is. */
  *traverse(): Iterable<{ kind: 1; target: ManifestFileNode; phase: 1 | 2; args: unknown[] }> {
    yield { kind: 1, target: this.ast, phase: 1, args: [this.ast, null] };
    yield { kind: 1, target: this.ast, phase: 2, args: [this.ast, null] };
  }

  /** The comments that configure ESLint, for its `noInlineConfig` warnings. */
  getInlineConfigNodes(): CommentNode[] {
    return this.#directives.map((d) => d.node);
  }

  /** `# eslint-disable`, `# eslint-enable`, `# eslint-disable-line`, `# eslint-disable-next-line`. */
  getDisableDirectives(): { directives: Directive[]; problems: FileProblem[] } {
    const directives: Directive[] = [];
    for (const { label, value, justification, node } of this.#directives) {
      // A YAML comment ends with its line, so none spans lines as an ESLint block comment can.
      if (label !== 'eslint') directives.push({ type: label, node, value, justification });
    }
    return { directives, problems: [] };
  }

  /** `# eslint kubewire/probe-port: off` and `# eslint kubewire/service-node-port: ["error", {...}]`. */
  applyInlineConfig(): { configs: InlineConfig[]; problems: FileProblem[] } {
    const configs: InlineConfig[] = [];
    const problems: FileProblem[] = [];
    for (const { label, value, node } of this.#directives) {
      if (label !== 'eslint') continue;
      const parsed = parseRulesConfig(value);
      if (parsed.ok) configs.push({ loc: node.loc, config: { rules: parsed.rules as Record<string, EslintRuleEntry> } });
      else problems.push({ ruleId: null, message: parsed.message, loc: node.loc });
    }
    return { configs, problems };
  }
}
