import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { lint, resultOf, type RuleSeverities } from './engine/linter.js';
import { loadProject, type Project } from './engine/project.js';
import type { LintResult } from './engine/results.js';
import type { Severity } from './engine/rule.js';
import { UsageError } from './loader/read-inputs.js';
import { parseRelease } from './model/schema/kubernetes-api.js';
import { uncheckedCustomResourcesNote } from './model/schema/resource-schema.js';
import { endpointsReport } from './model/services/endpoints-report.js';
import { editDistance } from './model/evidence/near-miss.js';
import { endpointsTable } from './reporters/endpoints-table.js';
import { escapeControl } from './reporters/escape.js';
import { FORMAT_NAMES, formatResults, isFormat } from './reporters/index.js';
import type { ReporterContext, RuleInfo } from './reporters/types.js';
import { allRules } from './rules/index.js';
import { VERSION } from './version.js';

export interface CliIo {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdoutIsTTY: boolean;
  /** Standard input; may stop reading after `maxBytes` bytes. */
  readStdin: (maxBytes?: number) => Promise<Buffer>;
}

const HELP = `Usage: kubewire [options] [paths...]
       kubewire endpoints [options] [paths...]
       kubewire rules [--format json]

Lint Kubernetes manifests before \`kubectl apply\`: Services with no endpoints, ports nothing listens
on, StatefulSets without per-pod DNS, and every other way resources can be miswired.

Paths are files, directories (searched for *.yaml, *.yml, *.json), globs, or - for standard input
(helm template . | kubewire -). Default: the current directory.

Commands:
  (none)                       lint the manifests
  endpoints                    show the endpoints each Service would get (kubectl get endpointslices, before deploying)
  rules                        list the rules with their default severity

Options:
  -f, --format <name>          output format: ${FORMAT_NAMES.join(', ')} (default: stylish)
  -o, --output-file <file>     write the report to a file instead of standard output
      --max-warnings <n>       exit with code 1 when there are more than n warnings
      --quiet                  report errors only
  -n, --namespace <ns>         namespace of resources that have none (default: default, as kubectl apply)
      --rule <id>=<severity>   set a rule's severity: off, warn or error (repeatable); with options,
                               ESLint's form: --rule 'service-node-port=["error",{"range":"20000-22767"}]'
      --ignore-pattern <glob>  skip files matching the glob (repeatable)
      --kubernetes-version <v> the release to check objects against, e.g. 1.29 (default: the newest kubewire knows)
      --color / --no-color     force or disable colours (default: on for a terminal, off with NO_COLOR)
  -v, --version                print the version
  -h, --help                   print this help

Exit codes: 0 no errors (and warnings within --max-warnings), 1 errors or too many warnings, 2 usage or fatal error.
Rule docs: https://github.com/kubewire/kubewire/tree/main/rules-docs
`;

const OPTIONS = {
  format: { type: 'string', short: 'f' },
  'output-file': { type: 'string', short: 'o' },
  'max-warnings': { type: 'string' },
  quiet: { type: 'boolean' },
  namespace: { type: 'string', short: 'n' },
  rule: { type: 'string', multiple: true },
  'ignore-pattern': { type: 'string', multiple: true },
  'kubernetes-version': { type: 'string' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  version: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs the command line and returns the exit code. Never throws: every failure becomes a message and code 2. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`kubewire: ${escapeControl(error.message)}\nRun \`kubewire --help\` for usage.\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`kubewire: ${escapeControl(message)}\n`);
    if (io.env.KUBEWIRE_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return 2;
  }
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0] ?? 'invalid arguments');
  }
  const { values } = parsed;
  let positionals = parsed.positionals;
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (values.version) {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  let command: 'lint' | 'endpoints' | 'rules' = 'lint';
  if (positionals[0] === 'endpoints' || positionals[0] === 'rules') {
    command = positionals[0];
    positionals = positionals.slice(1);
  }
  const format = values.format ?? (command === 'lint' ? 'stylish' : 'text');
  const color = values['no-color'] ? false : values.color ? true : !values['output-file'] && io.stdoutIsTTY && !io.env.NO_COLOR;

  if (command === 'rules') {
    if (format !== 'text' && format !== 'json') throw new UsageError(`"kubewire rules" prints text or json, not "${format}"`);
    return emit(io, values['output-file'], rulesListing(format), 0);
  }

  const namespace = values.namespace ?? 'default';
  const project = await loadProject({
    cwd: io.cwd,
    operands: positionals.length > 0 ? positionals : ['.'],
    ignorePatterns: values['ignore-pattern'] ?? [],
    namespace,
    readStdin: io.readStdin,
  });

  if (command === 'endpoints') {
    if (format !== 'text' && format !== 'json') throw new UsageError(`"kubewire endpoints" prints text or json, not "${format}"`);
    return runEndpoints(project, format, values['output-file'], io);
  }

  if (!isFormat(format)) throw new UsageError(`unknown format "${format}" (available: ${FORMAT_NAMES.join(', ')})`);
  const maxWarnings = parseMaxWarnings(values['max-warnings']);
  const { severities, options: ruleOptions } = parseRuleOptions(values.rule ?? []);
  const kubernetesVersion = values['kubernetes-version'];
  if (kubernetesVersion !== undefined) {
    const release = parseRelease(kubernetesVersion);
    if ('problem' in release) throw new UsageError(`--kubernetes-version: ${release.problem}`);
    for (const id of KUBERNETES_VERSION_RULES) ruleOptions[id] = [{ kubernetesVersion, ...(ruleOptions[id]?.[0] as object | undefined) }];
  }
  const helmChartSources = project.helmChartSources ?? 0;
  if (project.files.length === 0 && project.inputProblems.length === 0 && helmChartSources === 0) {
    throw new UsageError(`no YAML or JSON files found in ${positionals.length > 0 ? positionals.join(', ') : 'the current directory'}`);
  }
  let results = lint({
    graph: project.graph,
    inputProblems: project.inputProblems,
    rules: allRules,
    severities,
    ruleOptions,
    filePaths: [...project.files.map((f) => f.path), ...project.inputProblems.map((p) => p.path)],
  });
  if (values.quiet) results = results.map(errorsOnly);

  const sources = new Map(project.files.map((f) => [f.path, f]));
  const context: ReporterContext = { color, sourceOf: (p) => sources.get(p), rules: ruleInfos() };
  const errors = results.reduce((n, r) => n + r.errorCount, 0);
  const warnings = results.reduce((n, r) => n + r.warningCount, 0);
  const tooManyWarnings = maxWarnings >= 0 && warnings > maxWarnings;
  const code = errors > 0 || tooManyWarnings ? 1 : 0;
  const exit = await emit(io, values['output-file'], formatResults(format, results, context), code);
  const unchecked = severities.schema === 'off' || values.quiet ? undefined : uncheckedCustomResourcesNote(project.graph, kubernetesVersion);
  if (unchecked) io.stderr(`kubewire: ${escapeControl(unchecked)}.\n`);
  if (tooManyWarnings) io.stderr(`kubewire found too many warnings (maximum: ${maxWarnings}).\n`);
  if (errors + warnings === 0 && project.graph.resources.length === 0 && project.graph.malformed.length === 0) {
    // An empty file, a lone `---` or a values.yaml passes quietly in a scan; alone, the silence would mislead.
    const read = `${project.files.length} file${project.files.length === 1 ? '' : 's'} read`;
    io.stderr(`kubewire: no Kubernetes objects found (${read}; documents without apiVersion and kind are skipped).\n`);
    if (helmChartSources > 0) io.stderr(helmNote(helmChartSources));
  }
  return exit;
}

async function runEndpoints(project: Project, format: 'text' | 'json', outputFile: string | undefined, io: CliIo): Promise<number> {
  for (const problem of project.inputProblems) io.stderr(`kubewire: skipped ${escapeControl(problem.path)}: ${escapeControl(problem.message)}\n`);
  for (const document of project.documents) {
    for (const problem of document.problems.filter((p) => p.kind === 'syntax')) {
      io.stderr(`kubewire: skipped a document of ${escapeControl(document.file.path)}:${problem.range.line}:${problem.range.column}: ${escapeControl(problem.message)}\n`);
    }
  }
  const services = [...project.graph.ofKind('Service')].sort(
    (a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
  );
  const reports = services.map((s) => endpointsReport(project.graph.endpointsOf(s)));
  const text = format === 'json' ? `${JSON.stringify(reports, null, 2)}\n` : endpointsTable(reports);
  return emit(io, outputFile, text, 0);
}

/** Writes the report; a file is written atomically (temporary file, then rename), so no run leaves half a report. */
async function emit(io: CliIo, outputFile: string | undefined, text: string, code: number): Promise<number> {
  if (!outputFile) {
    io.stdout(text);
    return code;
  }
  const target = path.resolve(io.cwd, outputFile);
  const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
  try {
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(temporary, text);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw new Error(`cannot write the report to ${outputFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return code;
}

function errorsOnly(result: LintResult): LintResult {
  return resultOf(result.filePath, result.messages.filter((m) => m.severity === 2));
}

function parseMaxWarnings(value: string | undefined): number {
  if (value === undefined) return -1;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`--max-warnings takes a whole number, not "${value}"`);
  return Number(value);
}

/** Rules that take the `kubernetesVersion` option, which `--kubernetes-version` sets. */
const KUBERNETES_VERSION_RULES = ['schema', 'api-version'];

const SEVERITY_WORDS: Readonly<Record<string, Severity>> = { off: 'off', '0': 'off', warn: 'warn', warning: 'warn', '1': 'warn', error: 'error', '2': 'error' };

/**
 * `--rule <id>=<severity>`, or ESLint's array form with options: `--rule 'service-node-port=["error", {"range": "20000-22767"}]'`.
 */
function parseRuleOptions(specs: readonly string[]): { severities: RuleSeverities; options: Record<string, unknown[]> } {
  const byId = new Map(allRules.map((r) => [r.name, r]));
  const severities: Record<string, Severity> = {};
  const options: Record<string, unknown[]> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const id = eq > 0 ? spec.slice(0, eq).trim() : spec.trim();
    const value = eq > 0 ? spec.slice(eq + 1).trim() : '';
    const rule = byId.get(id);
    if (!rule) {
      const near = [...byId.keys()].sort((a, b) => editDistance(id, a) - editDistance(id, b))[0];
      throw new UsageError(`--rule: unknown rule "${id}"${near ? ` (did you mean "${near}"?)` : ''}; \`kubewire rules\` lists them`);
    }
    let level = value;
    if (value.startsWith('[')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        throw new UsageError(`--rule ${id}: options must be JSON, e.g. ${id}='["error", {...}]'`);
      }
      if (!Array.isArray(parsed) || typeof parsed[0] !== 'string') throw new UsageError(`--rule ${id}: expected ["<severity>", <options>...]`);
      level = parsed[0];
      const problem = optionsProblem(rule.meta.schema, parsed.slice(1));
      if (problem) throw new UsageError(`--rule ${id}: ${problem}`);
      options[id] = parsed.slice(1);
    }
    const severity = Object.hasOwn(SEVERITY_WORDS, level) ? SEVERITY_WORDS[level] : undefined;
    if (!severity) throw new UsageError(`--rule ${id}: severity must be off, warn or error, not "${level}"`);
    severities[id] = severity;
  }
  return { severities, options };
}

/**
 * Checks options against a rule's schema, for the shapes our rules use (objects of string, number, boolean
 * and array properties, no others): enough to turn a typo into a clear message instead of a silent default.
 */
function optionsProblem(schema: unknown, given: readonly unknown[]): string | undefined {
  const schemas = Array.isArray(schema) ? schema : [];
  if (given.length > schemas.length) return schemas.length === 0 ? 'this rule takes no options' : `this rule takes ${schemas.length} option object(s)`;
  for (let i = 0; i < given.length; i++) {
    const item = given[i];
    const itemSchema = schemas[i] as { properties?: Record<string, { type?: string }> } | undefined;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return 'options must be an object';
    const properties = itemSchema?.properties ?? {};
    for (const [key, value] of Object.entries(item)) {
      const expected = Object.hasOwn(properties, key) ? properties[key]?.type : undefined;
      if (!expected) return `unknown option "${key}" (options: ${Object.keys(properties).join(', ') || 'none'})`;
      const actual = Array.isArray(value) ? 'array' : typeof value;
      if (expected !== actual) return `option "${key}" must be a ${expected}`;
    }
  }
  return undefined;
}

function ruleInfos(): Record<string, RuleInfo> {
  return Object.fromEntries(
    allRules.map((r) => [r.name, { description: r.meta.docs.description, url: r.meta.docs.url, defaultSeverity: r.meta.defaultSeverity }]),
  );
}

function rulesListing(format: 'text' | 'json'): string {
  const rules = [...allRules].sort((a, b) => a.name.localeCompare(b.name));
  if (format === 'json') {
    return `${JSON.stringify(rules.map((r) => ({ id: r.name, defaultSeverity: r.meta.defaultSeverity, type: r.meta.type, description: r.meta.docs.description, url: r.meta.docs.url })), null, 2)}\n`;
  }
  const width = Math.max(...rules.map((r) => r.name.length));
  return `${rules.map((r) => `${r.name.padEnd(width)}  ${r.meta.defaultSeverity.padEnd(5)}  ${r.meta.docs.description}`).join('\n')}\n`;
}

/** Said when a scan found Helm chart sources and nothing else to lint: they need rendering first. */
function helmNote(count: number): string {
  return `kubewire: left out ${count} Helm chart file${count === 1 ? '' : 's'} (templates/ and Chart.yaml are not manifests until rendered); lint the rendered chart: helm template <chart> | kubewire -\n`;
}
