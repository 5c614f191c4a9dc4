import type { ManifestDocument } from '../loader/parse.js';
import { readInputs, type InputProblem } from '../loader/read-inputs.js';
import type { SourceFile } from '../loader/source.js';
import { ResourceGraph } from '../model/graph.js';
import { parseFile, parseFiles, type FileParse } from './parallel-parse.js';
import { parseFilesWithCache } from './parse-cache.js';

export interface LoadOptions {
  cwd: string;
  /** Files, directories, globs, or `-` for standard input. */
  operands: readonly string[];
  ignorePatterns?: readonly string[];
  /** Namespace of namespaced objects that name none (default `default`, as kubectl). */
  namespace?: string;
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
  /** Helm chart templates and Chart.yaml files that directory scans left out (they need `helm template` first). */
  helmChartSources?: number;
}

export async function loadProject(options: LoadOptions): Promise<Project> {
  const inputs = await readInputs(options.operands, {
    cwd: options.cwd,
    ignorePatterns: options.ignorePatterns ?? [],
    readStdin: options.readStdin ?? (() => Promise.resolve(Buffer.alloc(0))),
  });
  const parsed = await (options.cacheFile ? parseFilesWithCache(inputs.files, options.cacheFile, options.cwd) : parseFiles(inputs.files));
  return { ...projectFromParsed(inputs.files, parsed, options.namespace, inputs.problems), helmChartSources: inputs.helmChartSources ?? 0 };
}

/** Builds a project from files already in memory (tests, the docs examples, editor integrations). */
export function projectFromFiles(files: SourceFile[], namespace = 'default', inputProblems: InputProblem[] = []): Project {
  return projectFromParsed(files, files.map(parseFile), namespace, inputProblems);
}

function projectFromParsed(files: SourceFile[], parsed: readonly FileParse[], namespace = 'default', inputProblems: InputProblem[] = []): Project {
  const documents: ManifestDocument[] = [];
  const problems = [...inputProblems];
  parsed.forEach((result, i) => {
    if ('documents' in result) documents.push(...result.documents);
    else problems.push({ path: files[i]!.path, message: `cannot parse the file: ${result.error}` });
  });
  return { files, documents, graph: new ResourceGraph(documents, { defaultNamespace: namespace }), inputProblems: problems };
}
