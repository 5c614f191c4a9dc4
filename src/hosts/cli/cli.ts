import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FORMATTER_NAMES } from '../../api/formatters.js';
import { Kubewire, type KubewireOptions } from '../../api/kubewire.js';
import { defaultContext } from '../../engine/context.js';
import { RuleConfigError, type RuleConfig } from '../../engine/rule-config.js';
import { UsageError } from '../../loader/read-inputs.js';
import { endpointsTable } from '../../reporters/endpoints-table.js';
import { formatWiring, GRAPH_FORMATS, isGraphFormat } from '../../reporters/graph/index.js';
import { wiringOf } from '../../model/wiring.js';
import { escapeControl } from '../../reporters/escape.js';
import { VERSION } from '../../version.js';

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
       kubewire graph [--format mermaid|dot] [paths...]
       kubewire rules [--format json]

Lint Kubernetes manifests before \`kubectl apply\`: Services with no endpoints, ports nothing listens
on, StatefulSets without per-pod DNS, and every other way resources can be miswired.

Paths are files, directories (searched for *.yaml, *.yml, *.json), globs, or - for standard input
(helm template . | kubewire -). Default: the current directory.

Commands:
  (none)                       lint the manifests
  endpoints                    show the endpoints each Service would get (kubectl get endpointslices, before deploying)
  graph                        draw the wiring (Ingress -> Service -> workload, HPA -> workload) as Mermaid or DOT
  rules                        list the rules with their default severity

Options:
  -f, --format <name>          output format: ${FORMATTER_NAMES.join(', ')} (default: stylish)
  -o, --output-file <file>     write the report to a file instead of standard output
      --sarif-category <id>    SARIF automationDetails.id, to tell several uploads for one commit apart
      --max-warnings <n>       exit with code 1 when there are more than n warnings
      --quiet                  report errors only
  -n, --namespace <ns>         namespace of resources that have none (default: default, as kubectl apply)
      --helm-chart-root <dir>  the chart of \`helm template ... | kubewire -\` output, when kubewire cannot find it
                               by name under the working directory (findings go to the template files)
      --rule <id>=<severity>   set a rule's severity: off, warn or error (repeatable); with options,
                               ESLint's form: --rule 'service-node-port=["error",{"range":"20000-22767"}]'
      --ignore-pattern <glob>  skip files matching the glob (repeatable)
      --context <glob>         read these files for cross-file facts only, without reporting on them (repeatable);
                               default, when every path is a file: the git repository the files are in
      --no-context             read no context: lint the given files as if nothing else existed
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
  'sarif-category': { type: 'string' },
  'max-warnings': { type: 'string' },
  quiet: { type: 'boolean' },
  namespace: { type: 'string', short: 'n' },
  'helm-chart-root': { type: 'string' },
  rule: { type: 'string', multiple: true },
  'ignore-pattern': { type: 'string', multiple: true },
  context: { type: 'string', multiple: true },
  'no-context': { type: 'boolean' },
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
  let command: 'lint' | 'endpoints' | 'rules' | 'graph' = 'lint';
  if (positionals[0] === 'endpoints' || positionals[0] === 'rules' || positionals[0] === 'graph') {
    command = positionals[0];
    positionals = positionals.slice(1);
  }
  const format = values.format ?? (command === 'lint' ? 'stylish' : command === 'graph' ? 'mermaid' : 'text');
  const color = values['no-color'] ? false : values.color ? true : !values['output-file'] && io.stdoutIsTTY && !io.env.NO_COLOR;

  if (command === 'rules') {
    if (format !== 'text' && format !== 'json') throw new UsageError(`"kubewire rules" prints text or json, not "${format}"`);
    return emit(io, values['output-file'], rulesListing(format), 0);
  }

  if (command === 'endpoints' && format !== 'text' && format !== 'json') throw new UsageError(`"kubewire endpoints" prints text or json, not "${format}"`);
  const options: KubewireOptions = {
    cwd: io.cwd,
    namespace: values.namespace ?? 'default',
    ignorePatterns: values['ignore-pattern'] ?? [],
    ...(values['kubernetes-version'] !== undefined ? { kubernetesVersion: values['kubernetes-version'] } : {}),
    readStdin: io.readStdin,
  };

  if (command === 'endpoints') {
    const run = await new Kubewire(options).endpoints(positionals);
    for (const s of run.skipped) {
      const where = s.line !== undefined ? `a document of ${escapeControl(s.filePath)}:${s.line}:${s.column ?? 1}` : escapeControl(s.filePath);
      io.stderr(`kubewire: skipped ${where}: ${escapeControl(s.message)}\n`);
    }
    const text = format === 'json' ? `${JSON.stringify(run.reports, null, 2)}\n` : endpointsTable(run.reports);
    return emit(io, values['output-file'], text, 0);
  }

  if (command === 'graph') {
    if (!isGraphFormat(format)) throw new UsageError(`"kubewire graph" prints ${GRAPH_FORMATS.join(' or ')}, not "${format}"`);
    const run = await new Kubewire(options).lintFiles(positionals);
    return emit(io, values['output-file'], formatWiring(format, wiringOf(run.graph)), 0);
  }

  if (values.context !== undefined && values['no-context']) throw new UsageError('--context and --no-context contradict each other: give one');
  const kubewire = newKubewire({
    ...options,
    context: values['no-context'] ? [] : (values.context ?? defaultContext(positionals, io.cwd)),
    rules: parseRuleFlags(values.rule ?? []),
    quiet: values.quiet === true,
    maxWarnings: parseMaxWarnings(values['max-warnings']),
    ...(values['helm-chart-root'] !== undefined ? { helmChartRoot: values['helm-chart-root'] } : {}),
  });
  const formatter = kubewire.loadFormatter(format);
  const run = await kubewire.lintFiles(positionals);
  const exit = await emit(io, values['output-file'], formatter.format(run, { color, ...(values['sarif-category'] !== undefined ? { sarifCategory: values['sarif-category'] } : {}) }), run.exitStatus);
  if (run.tooManyWarnings) io.stderr(`kubewire found too many warnings (maximum: ${run.maxWarnings}).\n`);
  for (const notice of run.notices) io.stderr(`kubewire: ${notice}\n`);
  return exit;
}

/** The API's rule-configuration errors, in the words of the flag they came from. */
function newKubewire(options: KubewireOptions): Kubewire {
  try {
    return new Kubewire(options);
  } catch (error) {
    if (!(error instanceof RuleConfigError)) throw error;
    if (error.problem.startsWith('unknown rule')) throw new UsageError(`--rule: ${error.problem}; \`kubewire rules\` lists them`);
    throw new UsageError(`--rule ${error.ruleId}: ${error.problem}`);
  }
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

function parseMaxWarnings(value: string | undefined): number {
  if (value === undefined) return -1;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`--max-warnings takes a whole number, not "${value}"`);
  return Number(value);
}

/**
 * `--rule <id>=<severity>`, or ESLint's array form with options: `--rule 'service-node-port=["error", {"range": "20000-22767"}]'`.
 * The API checks ids, severities and options against the rules' schemas; here only the flag's own syntax.
 */
function parseRuleFlags(specs: readonly string[]): Record<string, RuleConfig> {
  const rules: Record<string, RuleConfig> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const id = eq > 0 ? spec.slice(0, eq).trim() : spec.trim();
    const value = eq > 0 ? spec.slice(eq + 1).trim() : '';
    if (!value.startsWith('[')) {
      // `1` and `2` as ESLint's numbers; words stay words, so the API can name a wrong one.
      rules[id] = (/^[012]$/.test(value) ? Number(value) : value) as RuleConfig;
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new UsageError(`--rule ${id}: options must be JSON, e.g. ${id}='["error", {...}]'`);
    }
    if (!Array.isArray(parsed) || typeof parsed[0] !== 'string') throw new UsageError(`--rule ${id}: expected ["<severity>", <options>...]`);
    rules[id] = parsed as unknown as RuleConfig;
  }
  return rules;
}

function rulesListing(format: 'text' | 'json'): string {
  const rules = Kubewire.rules();
  if (format === 'json') {
    return `${JSON.stringify(rules.map((r) => ({ id: r.name, defaultSeverity: r.meta.defaultSeverity, type: r.meta.type, description: r.meta.docs.description, url: r.meta.docs.url })), null, 2)}\n`;
  }
  const width = Math.max(...rules.map((r) => r.name.length));
  return `${rules.map((r) => `${r.name.padEnd(width)}  ${r.meta.defaultSeverity.padEnd(5)}  ${r.meta.docs.description}`).join('\n')}\n`;
}
