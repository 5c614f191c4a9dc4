import type { FileParse, ManifestDocument } from '../loader/parse.js';
import { readInputs, type InputProblem } from '../loader/read-inputs.js';
import type { SourceFile } from '../loader/source.js';
import { ResourceGraph, type ExternalPods } from '../model/graph.js';
import { NO_CONTEXT, withContext, type ContextSet } from './context.js';
import { parseFiles } from './parse-cache.js';
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
  /** Reuse the parse of unchanged files from this cache file, and update it (see parse-cache.ts). */
  cacheFile?: string;
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
  const parseDone = stats?.start('parse');
  const parsed = parseFiles(inputs.files, options.cacheFile ? { file: options.cacheFile, cwd: options.cwd } : undefined);
  parseDone?.();
  return {
    ...projectFromParsed(inputs.files, parsed, { ...options, inputProblems: inputs.problems }),
    helmChartSources: inputs.helmChartSources ?? 0,
  };
}

type InMemoryOptions = ProjectOptions & { inputProblems?: InputProblem[]; cwd?: string };

/** Builds a project from files already in memory (tests, the docs examples, editor integrations). */
export function projectFromFiles(files: SourceFile[], options: InMemoryOptions = {}): Project {
  const parseDone = options.stats?.start('parse');
  const parsed = parseFiles(files);
  parseDone?.();
  return projectFromParsed(files, parsed, options);
}

function projectFromParsed(files: SourceFile[], parsed: readonly FileParse[], options: InMemoryOptions): Project {
  const { stats } = options;
  const context = options.context ?? NO_CONTEXT;
  const documents: ManifestDocument[] = [];
  const problems = [...(options.inputProblems ?? [])];
  parsed.forEach((result, i) => {
    if ('documents' in result) {
      documents.push(...result.documents);
      stats?.parsed(result.documents.length);
    } else {
      problems.push({ path: files[i]!.path, message: `cannot parse the file: ${result.error}` });
    }
  });
  const modelDone = stats?.start('model');
  const graph = new ResourceGraph(withContext(documents, context, options.cwd ?? process.cwd()), {
    defaultNamespace: options.namespace ?? 'default',
    ...(options.externalPods ? { externalPods: options.externalPods } : {}),
  });
  modelDone?.();
  return { files, documents, graph, inputProblems: problems, context };
}
