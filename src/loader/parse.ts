import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, Scalar } from 'yaml';
import type { Document, Node as YamlNode, Pair, ParsedNode } from 'yaml';
import { KUBECTL_PARSE_OPTIONS } from './yaml-schema.js';
import type { SourceFile, SourceRange } from './source.js';

/** A field path inside a document, e.g. ['spec', 'ports', 1, 'targetPort']. */
export type Path = readonly (string | number)[];

export type ParseProblemKind = 'syntax' | 'duplicate-key';

export interface RelatedRange {
  range: SourceRange;
  message: string;
}

export interface ParseProblem {
  kind: ParseProblemKind;
  message: string;
  range: SourceRange;
  related: RelatedRange[];
}

/** What a path points at: the range to report, and whether the whole path exists (or we fell back to an ancestor). */
export interface Located {
  range: SourceRange;
  exact: boolean;
}

/** How a scalar was written in the source, for rules about YAML spelling (e.g. `yes` resolved as a boolean). */
export interface ScalarSource {
  /** The scalar as written, e.g. `yes` or `"8080"`. */
  text: string;
  /** Plain (unquoted, untagged) scalars are the ones YAML 1.1 resolves implicitly. */
  plain: boolean;
  range: SourceRange;
}

/**
 * Aliases per document before we call it an alias bomb. The `yaml` package enforces this while building the
 * value; kubectl (go-yaml v2) has its own, similar, guard.
 */
const MAX_ALIAS_COUNT = 100;

/** One YAML document of a file, parsed like kubectl parses it, with a way back from any field to its position. */
export class ManifestDocument {
  constructor(
    readonly file: SourceFile,
    /** 0-based index of the document in its file. */
    readonly index: number,
    private readonly ast: Document.Parsed,
    /** The document as JSON-like data, or undefined when it could not be parsed. */
    readonly value: unknown,
    readonly problems: ParseProblem[],
  ) {}

  /** True when the document parsed cleanly enough to be linted as a resource. */
  get usable(): boolean {
    return !this.problems.some((p) => p.kind === 'syntax');
  }

  /** The range for a field; falls back to the nearest ancestor that exists (never to "line 1"). */
  locate(path: Path): Located {
    const { node, key, exact } = this.walk(path);
    return { range: this.rangeOf(node, key), exact };
  }

  /** How the scalar at `path` was written, when the path names a scalar. */
  scalarSource(path: Path): ScalarSource | undefined {
    const { node, exact } = this.walk(path);
    if (!exact || !node || !isScalar(node) || !node.range) return undefined;
    const [start, end] = node.range;
    const text = this.file.text.slice(start, end);
    const plain = node.type === Scalar.PLAIN && !node.tag;
    return { text, plain, range: this.file.rangeAt(start, end) };
  }

  private walk(path: Path): { node: YamlNode | null; key: YamlNode | null; exact: boolean } {
    let node: YamlNode | null = this.ast.contents as YamlNode | null;
    let key: YamlNode | null = null;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      if (node && isAlias(node)) node = (node.resolve(this.ast) as YamlNode | undefined) ?? node;
      if (isMap(node) && typeof segment === 'string') {
        const pair = findLastPair(node.items as Pair[], segment);
        if (!pair) return { node, key, exact: false };
        node = (pair.value as YamlNode | null) ?? null;
        key = pair.key as YamlNode;
      } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
        node = node.items[segment] as YamlNode;
        key = null;
      } else {
        return { node, key, exact: false };
      }
      // `selector:` with no value still has a position (its key), but nothing below it exists.
      if (!node) return { node: null, key, exact: i === path.length - 1 };
    }
    return { node, key, exact: true };
  }

  private rangeOf(node: YamlNode | null, key: YamlNode | null): SourceRange {
    // Scalars point at the value itself; collections and missing values point at their key, which is what a
    // reader looks for ("selector:"), and keeps the range on one line.
    if (node && isScalar(node) && node.range) return this.file.rangeAt(node.range[0], node.range[1]);
    if (key?.range) return this.file.rangeAt(key.range[0], key.range[1]);
    if (node?.range) return this.firstLineOf(node.range[0], node.range[1]);
    const docStart = this.ast.range?.[0] ?? 0;
    return this.firstLineOf(docStart, this.ast.range?.[1] ?? docStart);
  }

  private firstLineOf(start: number, end: number): SourceRange {
    const text = this.file.text;
    let stop = start;
    while (stop < end && text.charCodeAt(stop) !== 10 && text.charCodeAt(stop) !== 13) stop++;
    return this.file.rangeAt(start, stop);
  }
}

function keyString(key: unknown): string | undefined {
  if (isScalar(key)) return key.value === null ? 'null' : String(key.value);
  return undefined;
}

function findLastPair(pairs: Pair[], name: string): Pair | undefined {
  for (let i = pairs.length - 1; i >= 0; i--) if (keyString(pairs[i]!.key) === name) return pairs[i];
  return undefined;
}

/** Parses a file into its documents, the way kubectl would, keeping every problem with its position. */
export function parseManifestFile(file: SourceFile): ManifestDocument[] {
  const asts = parseAllDocuments(file.text, KUBECTL_PARSE_OPTIONS);
  const list = Array.isArray(asts) ? asts : [asts];
  return list.map((ast, index) => {
    const problems: ParseProblem[] = [];
    for (const error of ast.errors) {
      problems.push({
        kind: 'syntax',
        message: firstLine(error.message),
        range: file.rangeAt(error.pos[0], error.pos[1]),
        related: [],
      });
    }
    if (problems.length === 0) collectDuplicateKeys(ast.contents as YamlNode | null, file, problems);
    let value: unknown;
    if (problems.length === 0 || problems.every((p) => p.kind !== 'syntax')) {
      try {
        value = ast.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      } catch (error) {
        const start = ast.range?.[0] ?? 0;
        problems.push({
          kind: 'syntax',
          message: `the document could not be built: ${firstLine(String((error as Error).message ?? error))}`,
          range: file.rangeAt(start, start),
          related: [],
        });
      }
    }
    return new ManifestDocument(file, index, ast, value, problems);
  });
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

/**
 * Duplicate keys: kubectl's default strict field validation rejects them; non-strict decoding would silently
 * keep the last one. We report each repeat at its own position, pointing back at the first.
 * Merge keys (`<<`) may repeat and may be overridden: that is their purpose, not a duplicate.
 */
function collectDuplicateKeys(root: YamlNode | null, file: SourceFile, problems: ParseProblem[]): void {
  const stack: (YamlNode | null)[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node) continue;
    if (isMap(node)) {
      const seen = new Map<string, ParsedNode>();
      for (const pair of node.items) {
        const name = keyString(pair.key);
        const keyNode = pair.key as ParsedNode;
        if (name !== undefined && name !== '<<' && isScalar(keyNode)) {
          const first = seen.get(name);
          if (first?.range && keyNode.range) {
            const firstRange = file.rangeAt(first.range[0], first.range[1]);
            problems.push({
              kind: 'duplicate-key',
              message: `duplicate key "${name}" (first defined at line ${firstRange.line})`,
              range: file.rangeAt(keyNode.range[0], keyNode.range[1]),
              related: [{ range: firstRange, message: `first "${name}" here` }],
            });
          } else if (!first) {
            seen.set(name, keyNode);
          }
        }
        if (isPair(pair)) stack.push(pair.value as YamlNode | null);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item as YamlNode | null);
    }
  }
  // The walk is depth-first from the end; report in source order.
  problems.sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column);
}
