import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ManifestDocument } from '../loader/parse.js';
import { readInputs, UsageError } from '../loader/read-inputs.js';
import type { SourceFile } from '../loader/source.js';
import { parseFiles } from './parse-cache.js';
import { dedupe, resultOf, sortMessages } from './linter.js';
import type { LintMessage, LintResult, RelatedMessage } from './results.js';

/**
 * Cross-file context: files loaded for their facts only. Wiring is cross-file (a Service in svc.yaml is right or
 * wrong because of a Deployment in deploy.yaml), so a hook or an editor that lints only the changed file must
 * still see the rest of the repository; the context files feed the graph, and their own findings are not
 * reported.
 */
export interface ContextSet {
  files: readonly SourceFile[];
  documents: readonly ManifestDocument[];
}

export const NO_CONTEXT: ContextSet = { files: [], documents: [] };

/**
 * Reads and parses the context: files, directories (searched as a directory operand is, so node_modules,
 * hidden folders and Helm chart templates are left out) and globs, relative to `cwd`, minus the ignore globs.
 * A glob that matches nothing adds nothing (a repository may have no other manifests); a literal path that
 * does not exist is a usage error, as it is most likely a typo. Files that cannot be read or parsed add
 * nothing: their problems belong to files that are not reported.
 */
export async function loadContext(
  globs: readonly string[],
  options: { cwd: string; ignorePatterns: readonly string[]; cacheFile?: string },
): Promise<ContextSet> {
  if (globs.length === 0) return NO_CONTEXT;
  if (globs.includes('-')) throw new UsageError('context: standard input (-) cannot be context; name files, directories or globs');
  let files: SourceFile[];
  try {
    ({ files } = await readInputs(globs, {
      cwd: options.cwd,
      ignorePatterns: options.ignorePatterns,
      readStdin: () => Promise.resolve(Buffer.alloc(0)),
      unmatchedGlobs: 'empty',
    }));
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`context: ${error.message}`);
    throw error;
  }
  // Parsed as the linted files are (with the cache under --cache): in a hook's run the context is most of what is
  // read. A file the parser gave up on is not reported, so it adds no facts.
  const parsed = parseFiles(files, options.cacheFile ? { file: options.cacheFile, cwd: options.cwd } : undefined);
  const documents: ManifestDocument[] = parsed.flatMap((result) => ('documents' in result ? result.documents : []));
  return { files, documents };
}

/**
 * The documents of the graph: the linted ones and the context's, in path order as one scan of everything would
 * read them (so that "first defined here" does not depend on what is linted). A linted file replaces its context
 * copy: a file given both ways is reported once, and an editor's unsaved buffer wins over the file on disk.
 */
export function withContext(documents: readonly ManifestDocument[], context: ContextSet, cwd: string): ManifestDocument[] {
  if (context.documents.length === 0) return [...documents];
  const linted = new Set(documents.map((d) => path.resolve(cwd, d.file.path)));
  const rest = context.documents.filter((d) => !linted.has(path.resolve(cwd, d.file.path)));
  // Array.prototype.sort is stable: the documents of one file keep their order.
  return [...documents, ...rest].sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0));
}

/**
 * The one step that keeps the results to the files being linted. A finding in a context file is dropped, unless
 * one of its related places is in a linted file that takes part in it (`takesPart`: the model's judgement of
 * whether the two files are applied together): then the change there is what broke it (a Deployment whose labels
 * no longer match a Service in an unchanged file), so the finding is reported at that place, with its own place
 * kept as the first related location. A near miss in another app's folder is no such cause: it is dropped.
 * `reported` holds the paths results name linted files by.
 */
export function reportOnLinted(
  results: readonly LintResult[],
  reported: ReadonlySet<string>,
  takesPart: (contextFile: string, lintedFile: string) => boolean,
): LintResult[] {
  const linted = (contextFile: string) => (filePath: string) => reported.has(filePath) && takesPart(contextFile, filePath);
  const kept = new Map<string, { messages: LintMessage[]; suppressed: LintResult['suppressedMessages'] }>();
  for (const result of results)
    if (reported.has(result.filePath))
      kept.set(result.filePath, { messages: [...result.messages], suppressed: [...result.suppressedMessages] });
  for (const result of results) {
    if (reported.has(result.filePath)) continue;
    for (const message of result.messages) {
      const moved = moveToLinted(message, result.filePath, linted(result.filePath));
      if (moved) kept.get(moved.filePath)?.messages.push(moved.message);
    }
    for (const message of result.suppressedMessages) {
      const moved = moveToLinted(message, result.filePath, linted(result.filePath));
      if (moved) kept.get(moved.filePath)?.suppressed.push(moved.message);
    }
  }
  return [...kept].map(([filePath, { messages, suppressed }]) =>
    resultOf(filePath, dedupe(sortMessages(messages)), dedupe(sortMessages(suppressed))),
  );
}

function moveToLinted<M extends LintMessage>(
  message: M,
  filePath: string,
  linted: (filePath: string) => boolean,
): { filePath: string; message: M } | undefined {
  const related = message.related ?? [];
  const target = related.find((r) => linted(r.filePath));
  if (!target) return undefined;
  const what = message.resource
    ? `${message.resource.kind} "${message.resource.name}"${message.path ? ` (${message.path})` : ''}`
    : 'the place';
  const origin: RelatedMessage = {
    filePath,
    line: message.line,
    column: message.column,
    endLine: message.endLine,
    endColumn: message.endColumn,
    message: `${what}, which this finding is about: its file is read for context only, so the finding is shown on the linted file`,
  };
  const { line, column, endLine, endColumn } = target;
  return {
    filePath: target.filePath,
    message: { ...message, line, column, endLine, endColumn, related: [origin, ...related.filter((r) => r !== target)] },
  };
}

/** The nearest directory at or above `start` with a `.git` (a directory, or a file in a worktree or submodule). */
export function findRepositoryRoot(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The context a command line gets when it names none. Lint operands that are all files (a hook's changed files,
 * an editor's file) get the repositories they are in: one file alone cannot show that its Service has pods.
 * Directories, globs and standard input get none: a directory scan already has its folder, and loading more
 * would put folders together that are never applied together (another app, another cluster's overlay), which
 * costs precision; a stream (`helm template | kubewire -`) is complete by itself.
 */
export function defaultContext(operands: readonly string[], cwd: string): string[] {
  if (operands.length === 0) return [];
  const roots = new Set<string>();
  for (const operand of operands) {
    if (operand === '-') return [];
    const absolute = path.resolve(cwd, operand);
    let isFile: boolean;
    try {
      isFile = statSync(absolute).isFile();
    } catch {
      return [];
    }
    if (!isFile) return [];
    const root = findRepositoryRoot(path.dirname(absolute));
    if (root !== undefined) roots.add(root);
  }
  return [...roots];
}
