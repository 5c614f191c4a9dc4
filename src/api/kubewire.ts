import path from 'node:path';
import { RuleConfigByFile, type RuleOverride } from '../config/overrides.js';
import { loadContext, reportOnLinted, type ContextSet } from '../engine/context.js';
import { mapHelmSources } from '../engine/helm-sources.js';
import { lint } from '../engine/linter.js';
import { cacheFileFor } from '../engine/parse-cache.js';
import { loadProject, projectFromFiles, type Project, type ProjectOptions } from '../engine/project.js';
import type { LintResult } from '../engine/results.js';
import { resolveRuleConfig, UNSURE_DEFAULT, UNSURE_OPTION, type ResolvedRuleConfig, type RuleConfig } from '../engine/rule-config.js';
import type { RuleModule, Severity } from '../engine/rule.js';
import type { RunStats } from '../engine/run-stats.js';
import { displayPath, UsageError } from '../loader/read-inputs.js';
import { SourceFile } from '../loader/source.js';
import { filesInSameSubtree } from '../model/evidence/apply-scope.js';
import type { ExternalPods, ResourceGraph } from '../model/graph.js';
import type { Resource } from '../model/objects/resource.js';
import { parseRelease } from '../model/schema/kubernetes-api.js';
import { uncheckedCustomResourcesNote } from '../model/schema/resource-schema.js';
import { endpointsReport, type EndpointsReport } from '../model/services/endpoints-report.js';
import { allRules } from '../rules/index.js';
import { VERSION } from '../version.js';
import {
  applyBulkSuppressions,
  bulkSuppressionNotices,
  checkBulkSuppressionOptions,
  type BulkSuppressionOutcome,
} from './bulk-suppressions.js';
import { loadFormatter, type Formatter } from './formatters.js';

/** What a host resolves from its own input (flags, action inputs, a config file) before a run. */
export interface KubewireOptions {
  /** Paths in results are relative to it, patterns are resolved against it. Default: `process.cwd()`. */
  cwd?: string;
  /** Namespace of namespaced objects that name none (default `default`, as `kubectl apply`). */
  namespace?: string;
  /** Globs of files to skip, relative to `cwd` (ESLint's ignore patterns). */
  ignorePatterns?: readonly string[];
  /**
   * ESLint's `rules` setting: `{ "service-node-port": ["error", { "range": "20000-22767" }] }`. The severity is
   * that of the findings a rule is sure of; `{ "unsure": "error" }` among the options sets that of the findings it
   * is unsure of (default `warn`).
   */
  rules?: Readonly<Record<string, RuleConfig>>;
  /** Rule settings for some files (the config file's `overrides`, ESLint's `files:`), laid over `rules` in order. */
  overrides?: readonly RuleOverride[];
  /**
   * Label sets of pods that other systems create (operators, charts installed elsewhere): a Service, a
   * PodDisruptionBudget or a NetworkPolicy that selects them selects something, though no manifest runs them.
   */
  externalPods?: readonly ExternalPods[];
  /** Report errors only (ESLint's `--quiet`): warnings are dropped from the results and the counts. */
  quiet?: boolean;
  /** More warnings than this make the exit status 1 (ESLint's `--max-warnings`); unset or negative: no limit. */
  maxWarnings?: number;
  /**
   * The directory of the Helm chart whose `helm template` output is linted, when the chart cannot be found by
   * its name under `cwd`: findings in documents after `# Source: <chart>/templates/<file>` are placed there.
   */
  helmChartRoot?: string;
  /**
   * The Kubernetes release objects are checked against (`1.29`): the `kubernetesVersion` option of every rule
   * that takes one (schema, api-version). Default: the newest release kubewire knows.
   */
  kubernetesVersion?: string;
  /** Report `# kubewire-disable` directives that silence nothing, at this severity. Default: `warn` (ESLint 9's). */
  reportUnusedDisableDirectives?: 'off' | 'warn' | 'error';
  /**
   * Bulk suppressions (ESLint's `--suppress-all`, `--suppress-rule`, `--prune-suppressions`,
   * `--suppressions-location`, `--pass-on-unpruned-suppressions`; src/api/bulk-suppressions.ts): the file
   * (default `kubewire-suppressions.json` in `cwd`, read whenever it exists) counts errors per file and rule
   * that runs leave out.
   */
  suppressAll?: boolean;
  suppressRule?: readonly string[];
  pruneSuppressions?: boolean;
  suppressionsLocation?: string;
  /** Entries of the suppressions file that no longer occur do not fail the run. */
  passOnUnprunedSuppressions?: boolean;
  /**
   * Globs of files loaded for cross-file facts only: their own findings are not reported. Files, directories and
   * globs relative to `cwd`; `ignorePatterns` and `node_modules` apply. A finding on a context file whose related
   * places include a linted file in its part of the tree (a Service in an unchanged file that a linted Deployment
   * beside it no longer matches) is reported at that place in the linted file. A `Kubewire` reads its context once, at its first lint, and reuses
   * it for every later `lintFiles` and `lintText`: make a new `Kubewire` to see context files changed since.
   */
  context?: readonly string[];
  /**
   * ESLint's `cache`: reuse the parse of files whose text has not changed since the last run (rules and the
   * graph always run on every file, so the results are the same as without it).
   */
  cache?: boolean;
  /** ESLint's `cacheLocation`: the cache file, or a directory to put it in. Default `.kubewirecache` in `cwd`. */
  cacheLocation?: string;
  /** Standard input, for the `-` pattern; may stop reading after `maxBytes`. */
  readStdin?: (maxBytes?: number) => Promise<Buffer>;
  /** Filled in as the run goes: files read, documents parsed, time per phase and per rule (progress, `--stats`). */
  stats?: RunStats;
}

/** One run: the results per file (ESLint's shape) and everything a host needs to print, count and exit. */
export interface LintRun {
  results: LintResult[];
  errorCount: number;
  warningCount: number;
  /** Errors about input that could not be read or parsed. */
  fatalErrorCount: number;
  /** Findings silenced by `kubewire.io/ignore`, `# kubewire-disable` comments or the bulk suppressions file (in each result's `suppressedMessages`). */
  suppressedCount: number;
  /** The bulk suppressions file of the run, when there is one: errors it left out, entries that no longer occur. */
  bulkSuppressions?: BulkSuppressionOutcome;
  /** The limit of the options, -1 for none. */
  maxWarnings: number;
  tooManyWarnings: boolean;
  /**
   * ESLint's exit status: 1 with errors or more warnings than maxWarnings, else 0; 2 when the bulk suppressions
   * file has entries that no longer occur (ESLint's, unless passOnUnprunedSuppressions).
   */
  exitStatus: 0 | 1 | 2;
  /** Notes for a person (no objects found, chart sources left out), one line each, without a trailing newline. */
  notices: string[];
  /** The working directory of the run; results' paths are relative to it. */
  cwd: string;
  /** The text of an input file, by the path results name it with (code frames, SARIF snippets). */
  sourceOf: (filePath: string) => SourceFile | undefined;
  /** The resources and their wiring, for hosts that draw or summarise it. */
  graph: ResourceGraph;
}

/** The Services of the input with their simulated endpoints, and what could not be read. */
export interface EndpointsRun {
  reports: EndpointsReport[];
  /** Files and documents left out, with why: `path:line:column: message`-ready. */
  skipped: { filePath: string; line?: number; column?: number; message: string }[];
}

/**
 * kubewire's middle tier, between the rules engine and the hosts (the command line, the GitHub Action, editor
 * and hook integrations), as ESLint's `ESLint` class sits between `Linter` and `cli.js`: it resolves rule
 * configuration (validated against each rule's schema), reads the inputs, lints them and sums up the run.
 * Hosts parse their own input into KubewireOptions and print what comes back.
 */
export class Kubewire {
  static readonly version = VERSION;
  readonly #options: KubewireOptions;
  readonly #rules: readonly RuleModule[];
  readonly #config: ResolvedRuleConfig;
  readonly #byFile: RuleConfigByFile;
  /** The context, read at the first lint: the options are fixed for the instance, and so are its files. */
  #context: Promise<ContextSet> | undefined;

  /** Throws a RuleConfigError (a UsageError) when the rule configuration names an unknown rule or bad options. */
  constructor(options: KubewireOptions = {}) {
    this.#options = options;
    this.#rules = allRules;
    checkBulkSuppressionOptions({ ...options, ruleIds: this.#rules.map((r) => r.name) });
    const version = options.kubernetesVersion;
    if (version !== undefined) {
      const release = parseRelease(version);
      if ('problem' in release) throw new UsageError(`--kubernetes-version: ${release.problem}`);
    }
    const resolve = (rules: Readonly<Record<string, RuleConfig>>) => {
      const config = resolveRuleConfig(this.#rules, rules);
      if (version === undefined) return config;
      // Every rule whose options take a release gets it; a rule's own option wins.
      for (const rule of this.#rules) {
        if (!takesOption(rule, 'kubernetesVersion')) continue;
        const own = config.options[rule.name]?.[0];
        config.options[rule.name] = [
          { kubernetesVersion: version, ...(typeof own === 'object' && own !== null ? own : {}) },
          ...(config.options[rule.name]?.slice(1) ?? []),
        ];
      }
      return config;
    };
    this.#byFile = new RuleConfigByFile(this.cwd, options.rules ?? {}, options.overrides ?? [], resolve);
    this.#config = this.#byFile.base;
  }

  /**
   * The rules as they apply to one file (ESLint's calculateConfigForFile): each rule's severity, then its options
   * with the shared `unsure` severity and the rule's defaults filled in, in ESLint's array form.
   */
  calculateConfigForFile(filePath: string): { rules: Record<string, [Severity, ...unknown[]]> } {
    const shown = path.isAbsolute(filePath) ? displayPath(filePath, this.cwd) : filePath.split(path.sep).join('/');
    const config = this.#byFile.forFile(shown);
    const rules: Record<string, [Severity, ...unknown[]]> = {};
    for (const rule of Kubewire.rules()) {
      const given = config.options[rule.name] ?? [];
      const [first, ...rest] = Array.from({ length: Math.max(rule.defaultOptions.length, given.length, 1) }, (_, i) => {
        const base = rule.defaultOptions[i];
        const over = given[i];
        return isRecord(base) && isRecord(over) ? { ...base, ...over } : (over ?? base);
      });
      const unsure = config.unsureSeverities[rule.name] ?? UNSURE_DEFAULT;
      rules[rule.name] = [
        config.severities[rule.name] ?? rule.meta.defaultSeverity,
        { [UNSURE_OPTION]: unsure, ...(isRecord(first) ? first : {}) },
        ...rest,
      ];
    }
    return { rules };
  }

  /** Every rule kubewire has, sorted by id. */
  static rules(): readonly RuleModule[] {
    return [...allRules].sort((a, b) => a.name.localeCompare(b.name));
  }

  get cwd(): string {
    return this.#options.cwd ?? process.cwd();
  }

  /**
   * Lints files, directories, globs, or `-` (standard input). Throws a UsageError when a pattern names nothing
   * that exists, or when nothing at all is found to lint.
   */
  async lintFiles(patterns: readonly string[]): Promise<LintRun> {
    const project = await this.#load(patterns);
    if (project.files.length === 0 && project.inputProblems.length === 0 && (project.helmChartSources ?? 0) === 0) {
      throw new UsageError(`no YAML or JSON files found in ${patterns.length > 0 ? patterns.join(', ') : 'the current directory'}`);
    }
    return this.#lint(project);
  }

  /**
   * Lints text held in memory (an editor buffer, a pre-commit staged blob), reported as `filePath`. With a
   * context, the text replaces the file at `filePath` (relative to `cwd`) if the context has it: an editor's
   * unsaved buffer wins over the file on disk.
   */
  async lintText(text: string, options: { filePath?: string } = {}): Promise<LintRun> {
    const file = new SourceFile(options.filePath ?? '<text>', text);
    return this.#lint(projectFromFiles([file], this.#projectOptions(await this.#loadContext())));
  }

  /** What `kubectl get endpointslices` would show once the inputs are applied. */
  async endpoints(patterns: readonly string[]): Promise<EndpointsRun> {
    const project = await this.#load(patterns);
    const skipped: EndpointsRun['skipped'] = project.inputProblems.map((p) => ({ filePath: p.path, message: p.message }));
    for (const document of project.documents) {
      for (const problem of document.problems.filter((p) => p.kind === 'syntax')) {
        skipped.push({ filePath: document.file.path, line: problem.range.line, column: problem.range.column, message: problem.message });
      }
    }
    const services = [...project.graph.ofKind('Service')].sort(
      (a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
    );
    return { reports: services.map((s) => endpointsReport(project.graph.endpointsOf(s))), skipped };
  }

  /** A reporter by name (`stylish`, `json`, `sarif`, `github`); throws a UsageError naming the known ones. */
  loadFormatter(name: string): Formatter {
    return loadFormatter(name, this.#rules);
  }

  /** Custom resources that no schema checks (no CRD in the input), counted in one line when `schema` runs. */
  #uncheckedCustomResources(project: Project, linted: (resource: Resource) => boolean): string[] {
    if (this.#options.quiet || this.#config.severities.schema === 'off') return [];
    const version = (this.#config.options.schema?.[0] as { kubernetesVersion?: string } | undefined)?.kubernetesVersion;
    const note = uncheckedCustomResourcesNote(project.graph, version, linted);
    return note ? [`${note}.`] : [];
  }

  #loadContext(): Promise<ContextSet> {
    this.#context ??= loadContext(this.#options.context ?? [], {
      cwd: this.cwd,
      ignorePatterns: this.#options.ignorePatterns ?? [],
      ...(this.#options.cache ? { cacheFile: cacheFileFor(this.#options.cacheLocation, this.cwd) } : {}),
    });
    return this.#context;
  }

  /** What turns files into a project, read from disk or held in memory alike. */
  #projectOptions(context: ContextSet): ProjectOptions & { cwd: string } {
    return {
      cwd: this.cwd,
      namespace: this.#options.namespace ?? 'default',
      context,
      ...(this.#options.externalPods ? { externalPods: this.#options.externalPods } : {}),
      ...(this.#options.stats ? { stats: this.#options.stats } : {}),
    };
  }

  async #load(patterns: readonly string[]): Promise<Project> {
    return loadProject({
      operands: patterns.length > 0 ? patterns : ['.'],
      ignorePatterns: this.#options.ignorePatterns ?? [],
      ...(this.#options.readStdin ? { readStdin: this.#options.readStdin } : {}),
      ...this.#projectOptions(await this.#loadContext()),
      ...(this.#options.cache ? { cacheFile: cacheFileFor(this.#options.cacheLocation, this.cwd) } : {}),
    });
  }

  async #lint(project: Project): Promise<LintRun> {
    const reported = [...project.files.map((f) => f.path), ...project.inputProblems.map((p) => p.path)];
    const reportedSet = new Set(reported);
    const linted = (resource: Resource) => reportedSet.has(resource.document.file.path);
    const rulesDone = this.#options.stats?.start('rules');
    let results = lint({
      graph: project.graph,
      inputProblems: project.inputProblems,
      rules: this.#rules,
      severities: this.#config.severities,
      unsureSeverities: this.#config.unsureSeverities,
      ruleOptions: this.#config.options,
      ...(this.#byFile.variesByFile ? { configForFile: (filePath: string) => this.#byFile.forFile(filePath) } : {}),
      filePaths: reported,
      ...(this.#options.stats ? { stats: this.#options.stats } : {}),
      ...(this.#options.reportUnusedDisableDirectives !== undefined
        ? { reportUnusedDisableDirectives: this.#options.reportUnusedDisableDirectives }
        : {}),
    });
    rulesDone?.();
    // Only the linted files are reported; context files lend their facts (context.ts).
    if (project.context.files.length > 0) results = reportOnLinted(results, reportedSet, (a, b) => filesInSameSubtree(project.graph, a, b));
    // Context files too: related places in them get code frames and snippets.
    const sources = new Map([...project.context.files, ...project.files].map((f) => [f.path, f]));
    // Rendered Helm charts: findings move to the template files they come from.
    const helm = await mapHelmSources(results, (p) => sources.get(p), {
      cwd: this.cwd,
      ...(this.#options.helmChartRoot !== undefined ? { chartRoot: this.#options.helmChartRoot } : {}),
    });
    results = helm.results;
    for (const template of helm.sources) if (!sources.has(template.path)) sources.set(template.path, template);
    const bulk = await applyBulkSuppressions(results, {
      cwd: this.cwd,
      location: this.#options.suppressionsLocation,
      suppressAll: this.#options.suppressAll,
      suppressRule: this.#options.suppressRule,
      pruneSuppressions: this.#options.pruneSuppressions,
      ruleIds: this.#rules.map((r) => r.name),
    });
    if (bulk) results = bulk.results;
    const staleSuppressions = bulk !== undefined && bulk.stale.length > 0 && !this.#options.passOnUnprunedSuppressions;
    if (this.#options.quiet) results = results.map(errorsOnly);
    const sum = (count: (r: LintResult) => number) => results.reduce((n, r) => n + count(r), 0);
    const errorCount = sum((r) => r.errorCount);
    const warningCount = sum((r) => r.warningCount);
    const maxWarnings = this.#options.maxWarnings !== undefined && this.#options.maxWarnings >= 0 ? this.#options.maxWarnings : -1;
    const tooManyWarnings = maxWarnings >= 0 && warningCount > maxWarnings;
    return {
      results,
      errorCount,
      warningCount,
      fatalErrorCount: sum((r) => r.fatalErrorCount),
      suppressedCount: sum((r) => r.suppressedMessages.length),
      maxWarnings,
      tooManyWarnings,
      ...(bulk ? { bulkSuppressions: bulk } : {}),
      exitStatus: staleSuppressions ? 2 : errorCount > 0 || tooManyWarnings ? 1 : 0,
      notices: [
        ...helm.notices,
        ...(bulk ? bulkSuppressionNotices(bulk, this.#options.passOnUnprunedSuppressions === true) : []),
        ...(errorCount + warningCount === 0 ? emptyInputNotices(project, linted) : []),
        ...this.#uncheckedCustomResources(project, linted),
      ],
      cwd: this.cwd,
      sourceOf: (filePath) => sources.get(filePath),
      graph: project.graph,
    };
  }
}

/** True when the rule's first option object has the property (ESLint's positional `meta.schema`). */
function takesOption(rule: RuleModule, property: string): boolean {
  const schema: unknown = Array.isArray(rule.meta.schema) ? rule.meta.schema[0] : undefined;
  const properties = schema && typeof schema === 'object' ? (schema as { properties?: Record<string, unknown> }).properties : undefined;
  return properties !== undefined && property in properties;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** ESLint's --quiet: errors only, in the messages and in the suppressed ones. */
function errorsOnly(result: LintResult): LintResult {
  const messages = result.messages.filter((m) => m.severity === 2);
  return { ...result, messages, warningCount: 0, suppressedMessages: result.suppressedMessages.filter((m) => m.severity === 2) };
}

/** An empty file, a lone `---` or a values.yaml passes quietly in a scan; alone, the silence would mislead. */
function emptyInputNotices(project: Project, linted: (resource: Resource) => boolean): string[] {
  if (project.graph.resources.some(linted) || project.graph.malformed.some((m) => project.files.includes(m.document.file))) return [];
  const read = `${project.files.length} file${project.files.length === 1 ? '' : 's'} read`;
  const notices = [`no Kubernetes objects found (${read}; documents without apiVersion and kind are skipped).`];
  const chartSources = project.helmChartSources ?? 0;
  if (chartSources > 0) {
    notices.push(
      `left out ${chartSources} Helm chart file${chartSources === 1 ? '' : 's'} (templates/ and Chart.yaml are not manifests until rendered); lint the rendered chart: helm template <chart> | kubewire -`,
    );
  }
  return notices;
}
