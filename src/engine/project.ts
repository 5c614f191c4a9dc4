import { parseManifestFile, type ManifestDocument } from '../loader/parse.js';
import { readInputs, type InputProblem } from '../loader/read-inputs.js';
import type { SourceFile } from '../loader/source.js';
import { ResourceGraph, type ExternalPods } from '../model/graph.js';
import { NO_CONTEXT, withContext, type ContextSet } from './context.js';
import type { RunStats } from './run-stats.js';

/** How files become a project, whether read from disk or held in memory. */
export interface ProjectOptions {
  /** Namespace of namespaced objects that name none (default `default`, as kubectl). */
  namespace?: string;
  /** Pods that other systems create (the configuration's `externalPods`). */
  externalPods?: readonly ExternalPods[];
  /** Files read for their facts only (see context.ts). */
  context?: ContextSet;
  /** Counts files and documents and times the phases, for progress and `--stats`. */
  stats?: RunStats;
}

export interface LoadOptions extends ProjectOptions {
  cwd: string;
  /** Files, directories, globs, or `-` for standard input. */
  operands: readonly string[];
  ignorePatterns?: readonly string[];
  readStdin?: (maxBytes?: number) => Promise<Buffer>;
}

/** Everything read from the inputs: files, their documents, the graph, and what could not be read. */
export interface Project {
  files: SourceFile[];
  documents: ManifestDocument[];
  graph: ResourceGraph;
  inputProblems: InputProblem[];
  /** The files read for their facts only. */
  context: ContextSet;
  /** Helm chart templates and Chart.yaml files that directory scans left out (they need `helm template` first). */
  helmChartSources?: number;
}

export async function loadProject(options: LoadOptions): Promise<Project> {
  const { stats } = options;
  const readDone = stats?.start('read');
  const inputs = await readInputs(options.operands, {
    cwd: options.cwd,
    ignorePatterns: options.ignorePatterns ?? [],
    readStdin: options.readStdin ?? (() => Promise.resolve(Buffer.alloc(0))),
    ...(stats ? { onFileRead: () => stats.fileRead() } : {}),
  });
  readDone?.();
  return { ...projectFromFiles(inputs.files, { ...options, inputProblems: inputs.problems }), helmChartSources: inputs.helmChartSources ?? 0 };
}

/** Builds a project from files already in memory (tests, the docs examples, editor integrations). */
export function projectFromFiles(files: SourceFile[], options: ProjectOptions & { inputProblems?: InputProblem[]; cwd?: string } = {}): Project {
  const { stats } = options;
  const context = options.context ?? NO_CONTEXT;
  const documents: ManifestDocument[] = [];
  const problems = [...(options.inputProblems ?? [])];
  const parseDone = stats?.start('parse');
  for (const file of files) {
    try {
      const parsed = parseManifestFile(file);
      documents.push(...parsed);
      stats?.parsed(parsed.length);
    } catch (error) {
      // The parser itself gave up (e.g. nesting too deep for the stack): the file is reported, the rest goes on.
      problems.push({ path: file.path, message: `cannot parse the file: ${(error as Error).message}` });
    }
  }
  parseDone?.();
  const modelDone = stats?.start('model');
  const graph = new ResourceGraph(withContext(documents, context, options.cwd ?? process.cwd()), {
    defaultNamespace: options.namespace ?? 'default',
    ...(options.externalPods ? { externalPods: options.externalPods } : {}),
  });
  modelDone?.();
  return { files, documents, graph, inputProblems: problems, context };
}
