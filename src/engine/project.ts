import { parseManifestFile, type ManifestDocument } from '../loader/parse.js';
import { readInputs, type InputProblem } from '../loader/read-inputs.js';
import type { SourceFile } from '../loader/source.js';
import { ResourceGraph } from '../model/graph.js';
import { NO_CONTEXT, withContext, type ContextSet } from './context.js';

export interface LoadOptions {
  cwd: string;
  /** Files, directories, globs, or `-` for standard input. */
  operands: readonly string[];
  ignorePatterns?: readonly string[];
  /** Namespace of namespaced objects that name none (default `default`, as kubectl). */
  namespace?: string;
  readStdin?: (maxBytes?: number) => Promise<Buffer>;
  /** Files read for their facts only (see context.ts). */
  context?: ContextSet;
}

/** Everything read from the inputs: files, their documents, the graph, and what could not be read. */
export interface Project {
  files: SourceFile[];
  documents: ManifestDocument[];
  graph: ResourceGraph;
  inputProblems: InputProblem[];
  /** The context the graph was built with (its files are not reported). */
  context: ContextSet;
  /** Helm chart templates and Chart.yaml files that directory scans left out (they need `helm template` first). */
  helmChartSources?: number;
}

export async function loadProject(options: LoadOptions): Promise<Project> {
  const inputs = await readInputs(options.operands, {
    cwd: options.cwd,
    ignorePatterns: options.ignorePatterns ?? [],
    readStdin: options.readStdin ?? (() => Promise.resolve(Buffer.alloc(0))),
  });
  return { ...projectFromFiles(inputs.files, options.namespace, inputs.problems, options.context, options.cwd), helmChartSources: inputs.helmChartSources ?? 0 };
}

/** Builds a project from files already in memory (tests, the docs examples, editor integrations). */
export function projectFromFiles(
  files: SourceFile[],
  namespace = 'default',
  inputProblems: InputProblem[] = [],
  context: ContextSet = NO_CONTEXT,
  cwd = process.cwd(),
): Project {
  const documents: ManifestDocument[] = [];
  const problems = [...inputProblems];
  for (const file of files) {
    try {
      documents.push(...parseManifestFile(file));
    } catch (error) {
      // The parser itself gave up (e.g. nesting too deep for the stack): the file is reported, the rest goes on.
      problems.push({ path: file.path, message: `cannot parse the file: ${(error as Error).message}` });
    }
  }
  const graph = new ResourceGraph(withContext(documents, context, cwd), { defaultNamespace: namespace });
  return { files, documents, graph, inputProblems: problems, context };
}
