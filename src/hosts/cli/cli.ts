import { lstat, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FORMATTER_NAMES } from '../../api/formatters.js';
import { ConfigError, formatConfigProblem, printConfig, resolveOptions } from '../../config/index.js';
import { argumentError, joinNegativeValues, writeError } from './argument-errors.js';
import { cleanRunLine, reportHasColors } from './terminal.js';
import { Kubewire, type KubewireOptions } from '../../api/kubewire.js';
import { RuleConfigError, UNSURE_DEFAULT, type RuleConfig } from '../../engine/rule-config.js';
import { bulkSuppressionOptions, unusedDirectivesOption } from './suppression-flags.js';
import { defaultContext } from '../../engine/context.js';
import { UsageError } from '../../loader/read-inputs.js';
import { endpointsTable } from '../../reporters/endpoints-table.js';
import { formatWiring, GRAPH_FORMATS, isGraphFormat } from '../../reporters/graph/index.js';
import { wiringOf } from '../../model/wiring.js';
import { escapeControl } from '../../reporters/escape.js';
import { VERSION } from '../../version.js';
import { runFeedback } from './feedback.js';

export interface CliIo {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdoutIsTTY: boolean;
  /** Standard error is a terminal (a person watches it): a clean run says so in one line there, and long runs show a progress line (not under CI). */
  stderrIsTTY?: boolean;
  /** Milliseconds on a monotonic clock, for the progress line (default performance.now). */
  now?: () => number;
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
      --max-warnings <n>       exit with code 1 when there are more than n warnings (-1, the default: no limit)
      --quiet                  report errors only
  -c, --config <file>          the config file (default: kubewire.config.yaml, .kubewire.yaml or
                               kubewire.config.json, looked for from here up to the repository root)
      --no-config              read no config file
      --print-config <file>    print the settings that apply to the file (JSON), and exit
  -n, --namespace <ns>         namespace of resources that have none (default: default, as kubectl apply)
      --helm-chart-root <dir>  the chart of \`helm template ... | kubewire -\` output, when kubewire cannot find it
                               by name under the working directory (findings go to the template files)
      --rule <id>=<severity>   set a rule's severity: off, warn or error (repeatable); with options,
                               ESLint's form: --rule 'service-node-port=["error",{"range":"20000-22767"}]';
                               findings the rule is unsure of: --rule 'service-selector-match=["error",{"unsure":"error"}]'
      --ignore-pattern <glob>  skip files matching the glob (repeatable)
      --context <glob>         read these files for cross-file facts only, without reporting on them (repeatable);
                               default, when every path is a file: the git repository the files are in
      --no-context             read no context: lint the given files as if nothing else existed
      --kubernetes-version <v> the release to check objects against, e.g. 1.29 (default: the newest kubewire knows)
      --report-unused-disable-directives
                               report # kubewire-disable comments that silence nothing as errors
      --report-unused-disable-directives-severity <sev>
                               ... at this severity: off, warn (default) or error
      --suppress-all           record every error in kubewire-suppressions.json; later runs leave them out
      --suppress-rule <id>     record the errors of this rule only (repeatable)
      --prune-suppressions     remove the entries of kubewire-suppressions.json that no longer occur
      --suppressions-location <file>
                               the suppressions file (default: kubewire-suppressions.json)
      --pass-on-unpruned-suppressions
                               entries that no longer occur do not fail the run
      --cache                  reuse the parse of files unchanged since the last run (ESLint's --cache)
      --cache-location <path>  the cache file, or a directory for it (default: .kubewirecache)
      --color / --no-color     force or disable colours (default: on for a terminal; FORCE_COLOR and NO_COLOR are honoured)
      --stats                  print the time of each phase and each rule on standard error (as TIMING=1 does)
  -v, --version                print the version
  -h, --help                   print this help

Exit codes: 0 no errors (and warnings within --max-warnings), 1 errors or too many warnings, 2 usage or fatal error
(or entries of the suppressions file that no longer occur).
Rule docs: https://github.com/kubewire/kubewire/tree/main/rules-docs
`;

const OPTIONS = {
  format: { type: 'string', short: 'f' },
  'output-file': { type: 'string', short: 'o' },
  'sarif-category': { type: 'string' },
  config: { type: 'string', short: 'c' },
  'no-config': { type: 'boolean' },
  'print-config': { type: 'string' },
  'max-warnings': { type: 'string' },
  quiet: { type: 'boolean' },
  namespace: { type: 'string', short: 'n' },
  'helm-chart-root': { type: 'string' },
  rule: { type: 'string', multiple: true },
  'ignore-pattern': { type: 'string', multiple: true },
  context: { type: 'string', multiple: true },
  'no-context': { type: 'boolean' },
  'kubernetes-version': { type: 'string' },
  'report-unused-disable-directives': { type: 'boolean' },
  'report-unused-disable-directives-severity': { type: 'string' },
  'suppress-all': { type: 'boolean' },
  'suppress-rule': { type: 'string', multiple: true },
  'prune-suppressions': { type: 'boolean' },
  'suppressions-location': { type: 'string' },
  'pass-on-unpruned-suppressions': { type: 'boolean' },
  cache: { type: 'boolean' },
  'cache-location': { type: 'string' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  stats: { type: 'boolean' },
  version: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs the command line and returns the exit code. Never throws: every failure becomes a message and code 2. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    // A config file with mistakes: one line per mistake, each with its file, line, column and key.
    if (error instanceof ConfigError) {
      for (const problem of error.problems) io.stderr(`kubewire: ${escapeControl(formatConfigProblem(problem))}\n`);
      return 2;
    }
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
    parsed = parseArgs({ args: joinNegativeValues(argv, '--max-warnings'), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw argumentError(error, Object.keys(OPTIONS));
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
  const color = reportHasColors(
    { color: values.color, noColor: values['no-color'], outputFile: values['output-file'] },
    io.env,
    io.stdoutIsTTY,
  );

  if (command === 'rules') {
    if (format !== 'text' && format !== 'json') throw new UsageError(`"kubewire rules" prints text or json, not "${format}"`);
    return emit(io, values['output-file'], rulesListing(format), 0);
  }

  if (command === 'endpoints' && format !== 'text' && format !== 'json')
    throw new UsageError(`"kubewire endpoints" prints text or json, not "${format}"`);
  // The flags, then the config file under them (config/resolve.ts): the one way every host starts a run.
  const flags: KubewireOptions = {
    ...(values.namespace !== undefined ? { namespace: values.namespace } : {}),
    ignorePatterns: values['ignore-pattern'] ?? [],
    ...(values['kubernetes-version'] !== undefined ? { kubernetesVersion: values['kubernetes-version'] } : {}),
    ...(values.cache
      ? { cache: true, ...(values['cache-location'] !== undefined ? { cacheLocation: values['cache-location'] } : {}) }
      : {}),
    readStdin: io.readStdin,
  };
  const lintFlags: KubewireOptions = {
    ...flags,
    rules: parseRuleFlags(values.rule ?? []),
    quiet: values.quiet === true,
    maxWarnings: parseMaxWarnings(values['max-warnings']),
    ...(values['helm-chart-root'] !== undefined ? { helmChartRoot: values['helm-chart-root'] } : {}),
    ...unusedDirectivesOption(values['report-unused-disable-directives'], values['report-unused-disable-directives-severity']),
    ...bulkSuppressionOptions(values),
    ...(values['no-context'] ? { context: [] } : values.context !== undefined ? { context: values.context } : {}),
  };
  if (values.context !== undefined && values['no-context'])
    throw new UsageError('--context and --no-context contradict each other: give one');
  const settings = resolveOptions({
    cwd: io.cwd,
    ...(values.config !== undefined ? { configFile: values.config } : {}),
    noConfig: values['no-config'] === true,
    flags: command === 'lint' ? lintFlags : flags,
  });
  const options = settings.options;

  if (values['print-config'] !== undefined) {
    if (positionals.length > 0 || command !== 'lint') throw new UsageError('--print-config takes one file and no other paths or command');
    return emit(io, values['output-file'], printConfig(settings, newKubewire(options), values['print-config']), 0);
  }

  const feedback = runFeedback(io, values.stats === true);
  if (feedback.stats) options.stats = feedback.stats;

  if (command === 'endpoints') {
    const run = await new Kubewire(options).endpoints(positionals);
    feedback.endProgress();
    for (const s of run.skipped) {
      const where =
        s.line !== undefined ? `a document of ${escapeControl(s.filePath)}:${s.line}:${s.column ?? 1}` : escapeControl(s.filePath);
      io.stderr(`kubewire: skipped ${where}: ${escapeControl(s.message)}\n`);
    }
    const text = format === 'json' ? `${JSON.stringify(run.reports, null, 2)}\n` : endpointsTable(run.reports);
    const exit = await emit(io, values['output-file'], text, 0);
    feedback.printStats();
    return exit;
  }

  if (command === 'graph') {
    if (!isGraphFormat(format)) throw new UsageError(`"kubewire graph" prints ${GRAPH_FORMATS.join(' or ')}, not "${format}"`);
    const run = await new Kubewire(options).lintFiles(positionals);
    feedback.endProgress();
    const exit = await emit(io, values['output-file'], formatWiring(format, wiringOf(run.graph)), 0);
    feedback.printStats();
    return exit;
  }

  const kubewire = newKubewire(options.context !== undefined ? options : { ...options, context: defaultContext(positionals, io.cwd) });
  const formatter = kubewire.loadFormatter(format);
  const run = await kubewire.lintFiles(positionals);
  feedback.endProgress();
  const reportDone = feedback.stats?.start('report');
  const exit = await emit(
    io,
    values['output-file'],
    formatter.format(run, { color, ...(values['sarif-category'] !== undefined ? { sarifCategory: values['sarif-category'] } : {}) }),
    run.exitStatus,
  );
  reportDone?.();
  if (run.tooManyWarnings) io.stderr(`kubewire found too many warnings (maximum: ${run.maxWarnings}).\n`);
  for (const notice of run.notices) io.stderr(`kubewire: ${notice}\n`);
  const clean = io.stderrIsTTY ? cleanRunLine(run, values.quiet === true) : undefined;
  if (clean) io.stderr(`${clean}\n`);
  feedback.printStats();
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
  // `-o /dev/null`, a FIFO, a symlink: renaming a temporary file over it would replace the device or the link
  // itself (as root, /dev/null with a regular file); such a target is written in place.
  const existing = await lstat(target).catch(() => undefined);
  if (existing && !existing.isFile()) {
    await writeFile(target, text).catch((error: unknown) => {
      throw writeError(error, outputFile, target);
    });
    return code;
  }
  const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
  try {
    await makeFolders(path.dirname(target));
    await writeFile(temporary, text);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw writeError(error, outputFile, target);
  }
  return code;
}

/**
 * `mkdir -p`, one level at a time: Node 20's `mkdir(..., { recursive: true })` never returns below /proc (it
 * retries the ENOENT there forever), so a mistyped `-o /proc/...` would hang the run.
 */
async function makeFolders(folder: string): Promise<void> {
  const missing: string[] = [];
  for (
    let at = folder;
    !(await lstat(at).then(
      () => true,
      () => false,
    ));
    at = path.dirname(at)
  ) {
    missing.push(at);
    if (path.dirname(at) === at) break;
  }
  for (const dir of missing.reverse()) await mkdir(dir);
}

/** ESLint's --max-warnings: a count of warnings, or -1 (its default) for no limit. */
function parseMaxWarnings(value: string | undefined): number {
  if (value === undefined) return -1;
  if (!/^(-1|\d+)$/.test(value))
    throw new UsageError(`--max-warnings takes a whole number of warnings (0 or more), or -1 for no limit; not "${value}"`);
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
    if (!Array.isArray(parsed) || typeof parsed[0] !== 'string')
      throw new UsageError(`--rule ${id}: expected ["<severity>", <options>...]`);
    rules[id] = parsed as unknown as RuleConfig;
  }
  return rules;
}

function rulesListing(format: 'text' | 'json'): string {
  const rules = Kubewire.rules();
  if (format === 'json') {
    return `${JSON.stringify(
      rules.map((r) => ({
        id: r.name,
        defaultSeverity: r.meta.defaultSeverity,
        unsureSeverity: UNSURE_DEFAULT,
        type: r.meta.type,
        description: r.meta.docs.description,
        url: r.meta.docs.url,
      })),
      null,
      2,
    )}\n`;
  }
  // Both severities: the one of the findings a rule is sure of, and (`unsure`) the one of those it is not.
  const width = Math.max(...rules.map((r) => r.name.length));
  return `${rules.map((r) => `${r.name.padEnd(width)}  ${r.meta.defaultSeverity.padEnd(5)}  unsure: ${UNSURE_DEFAULT.padEnd(5)}  ${r.meta.docs.description}`).join('\n')}\n`;
}
