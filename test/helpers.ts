import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { lint, type RuleSeverities } from '../src/engine/linter.js';
import { loadProject, projectFromFiles, type Project } from '../src/engine/project.js';
import type { LintMessage, LintResult } from '../src/engine/results.js';
import { SourceFile } from '../src/loader/source.js';
import { allRules } from '../src/rules/index.js';

export const repoRoot = path.resolve(import.meta.dirname, '..');

/** A project from in-memory files: `{ 'svc.yaml': '...' }`. */
export function projectOf(files: Readonly<Record<string, string>>, namespace = 'default'): Project {
  return projectFromFiles(
    Object.entries(files).map(([name, text]) => new SourceFile(name, text)),
    { namespace },
  );
}

/** Lints in-memory files with every rule (or only `only`), returning ESLint-shaped results. */
export function lintFiles(files: Readonly<Record<string, string>>, options: LintOptions = {}): LintResult[] {
  const project = projectOf(files, options.namespace);
  return lintProject(project, options);
}

type LintOptions = { only?: string; severities?: RuleSeverities; namespace?: string };

/** Lints a loaded project with every rule, or only the rule `only` (every other rule off). */
function lintProject(project: Project, options: LintOptions): LintResult[] {
  const severities: Record<string, 'off' | 'warn' | 'error'> = { ...options.severities };
  if (options.only) for (const rule of allRules) if (rule.name !== options.only) severities[rule.name] = 'off';
  return lint({
    graph: project.graph,
    inputProblems: project.inputProblems,
    rules: allRules,
    severities,
    filePaths: project.files.map((f) => f.path),
  });
}

/** All messages of all results, each with its file. */
export function messagesOf(results: readonly LintResult[]): (LintMessage & { filePath: string })[] {
  return results.flatMap((r) => r.messages.map((m) => ({ ...m, filePath: r.filePath })));
}

/** Reads a fixture case (a file, or a folder of files) as in-memory files keyed by path relative to the case. */
export function readCase(casePath: string): Record<string, string> {
  if (!statSync(casePath).isDirectory()) return { [path.basename(casePath)]: readFileSync(casePath, 'utf8') };
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ya?ml|json)$/.test(entry.name))
        out[path.relative(casePath, full).split(path.sep).join('/')] = readFileSync(full, 'utf8');
    }
  };
  walk(casePath);
  return out;
}

/**
 * Lints a fixture case from disk through the real loader (so unreadable and binary files are real too):
 * a file is linted on its own, a folder as a whole, with paths relative to the case.
 */
export async function lintCase(casePath: string, options: LintOptions = {}): Promise<LintResult[]> {
  const isDir = statSync(casePath).isDirectory();
  const project = await loadProject({
    cwd: isDir ? casePath : path.dirname(casePath),
    operands: [isDir ? '.' : path.basename(casePath)],
    namespace: options.namespace ?? 'default',
  });
  return lintProject(project, options);
}
