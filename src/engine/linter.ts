import type { InputProblem } from '../loader/read-inputs.js';
import type { Path } from '../loader/parse.js';
import type { ResourceGraph } from '../model/graph.js';
import { patchNote } from '../model/kustomize/patches.js';
import { dependsOnPlaceholder } from '../model/objects/placeholders.js';
import { isBuiltin, locateField, type Resource } from '../model/objects/resource.js';
import { asObject, asString, getIn } from '../model/objects/values.js';
import { applyDirectives } from './directives.js';
import type { LintMessage, LintResult, RelatedMessage, SuppressedLintMessage, Suppression } from './results.js';
import { UNSURE_DEFAULT, type ResolvedRuleConfig } from './rule-config.js';
import type { ReportDescriptor, RuleContext, RuleListener, RuleModule, Severity } from './rule.js';
import { timedListener, type RunStats } from './run-stats.js';

export type RuleSeverities = Readonly<Record<string, Severity>>;

export interface LintInput {
  graph: ResourceGraph;
  inputProblems: readonly InputProblem[];
  rules: readonly RuleModule[];
  /** Severity per rule id; rules not named use their default. */
  severities?: RuleSeverities;
  /** Options per rule id, as ESLint takes them (`[{ range: '20000-22767' }]`), merged over the rule's defaults. */
  ruleOptions?: Readonly<Record<string, readonly unknown[]>>;
  /** Severity per rule id of the findings it is unsure of (reported with `severity: 'warn'`); default warn. */
  unsureSeverities?: RuleSeverities;
  /**
   * The rule configuration of the file a finding lands in, when files have configurations of their own (the
   * config file's `overrides`); without it every file has `severities`, `unsureSeverities` and `ruleOptions`.
   */
  configForFile?: (filePath: string) => ResolvedRuleConfig;
  /** Files read, so that clean files appear in the results too (as ESLint lists them). */
  filePaths: readonly string[];
  /** Times each rule's listeners when `stats.timeRules` is set (`--stats`, `TIMING=1`). */
  stats?: RunStats;
  /** Severity of `# kubewire-disable` directives that silence nothing (ESLint 9's default: warn). */
  reportUnusedDisableDirectives?: Severity;
}

/**
 * Annotation that silences rules on one resource, for the cases a rule cannot know about:
 * `kubewire.io/ignore: "service-target-port, probe-port"`.
 */
export const IGNORE_ANNOTATION = 'kubewire.io/ignore';

/** Listener keys that are not kinds: what they receive is not a resource. */
const ENGINE_LISTENERS = new Set(['InputProblem', 'Document', 'MalformedObject', 'PodTemplate', '*', 'graph:exit']);

type Dispatch = Map<string, { ruleId: string; fn: (arg: never) => void }[]>;

/** Runs every enabled rule over the graph in one traversal and returns ESLint-shaped results per file. */
export function lint(input: LintInput): LintResult[] {
  const { graph } = input;
  const messagesByFile = new Map<string, LintMessage[]>();
  const suppressedByFile = new Map<string, SuppressedLintMessage[]>();
  for (const path of input.filePaths) messagesByFile.set(path, []);
  const dispatch: Dispatch = new Map();

  const base: ResolvedRuleConfig = {
    severities: { ...input.severities },
    unsureSeverities: { ...input.unsureSeverities },
    options: { ...input.ruleOptions },
  };
  const configOf = input.configForFile ?? (() => base);
  const configs = input.configForFile ? [...new Set([base, ...input.filePaths.map(configOf)])] : [base];

  // A rule runs once per distinct set of options that some file gives it; each finding is kept by the run
  // whose options are those of the file it lands in, with that file's severities.
  for (const rule of input.rules)
    for (const variant of optionVariants(rule, configs)) {
      const options = mergeOptions(rule.defaultOptions, variant.options);
      const context: RuleContext<string, readonly unknown[]> = {
        id: rule.name,
        graph,
        options,
        report: (descriptor) => {
          const reported = toMessage(graph, rule, descriptor, (filePath, unsure) => {
            const config = configOf(filePath);
            // Another run of the rule, with this file's options, reports it.
            if (optionsKey(config.options[rule.name]) !== variant.key) return undefined;
            const severity = severityOf(rule, config, unsure);
            return severity === 'off' ? undefined : severity === 'error' ? 2 : 1;
          });
          if (!reported) return;
          const { filePath, message } = reported;
          if (!messagesByFile.has(filePath)) messagesByFile.set(filePath, []);
          if ('suppressions' in message) {
            let list = suppressedByFile.get(filePath);
            if (!list) suppressedByFile.set(filePath, (list = []));
            list.push(message);
          } else {
            messagesByFile.get(filePath)!.push(message);
          }
        },
      };
      let listeners: RuleListener;
      try {
        listeners = rule.create(context, options);
      } catch (error) {
        throw new Error(`rule ${rule.name} failed to start: ${(error as Error).message}`, { cause: error });
      }
      for (const [key, fn] of Object.entries(listeners)) {
        if (typeof fn !== 'function') continue;
        let list = dispatch.get(key);
        if (!list) dispatch.set(key, (list = []));
        const listener = fn as (arg: never) => void;
        list.push({ ruleId: rule.name, fn: input.stats?.timeRules ? timedListener(input.stats, rule.name, listener) : listener });
      }
    }

  const emit = (key: string, arg: unknown, where: () => { file: string; line: number }) => {
    for (const { ruleId, fn } of dispatch.get(key) ?? []) {
      try {
        (fn as (a: unknown) => void)(arg);
      } catch (error) {
        // A rule bug must not hide the other findings, nor print a stack trace: report it where it happened.
        const { file, line } = where();
        let list = messagesByFile.get(file);
        if (!list) messagesByFile.set(file, (list = []));
        list.push({
          ruleId,
          messageId: 'internalError',
          severity: 2,
          message: `kubewire internal error in rule ${ruleId} (please report it): ${(error as Error)?.message ?? String(error)}`,
          line,
          column: 1,
          endLine: line,
          endColumn: 1,
        });
      }
    }
  };

  for (const problem of input.inputProblems) emit('InputProblem', problem, () => ({ file: problem.path, line: problem.line ?? 1 }));
  for (const document of graph.documents) {
    emit('Document', document, () => ({ file: document.file.path, line: document.locate([]).range.line }));
  }
  for (const object of graph.malformed) {
    emit('MalformedObject', object, () => ({ file: object.document.file.path, line: object.document.locate(object.path).range.line }));
  }
  for (const resource of graph.resources) {
    const where = () => ({ file: resource.document.file.path, line: locateField(resource, []).range.line });
    // A built-in kind named like a listener of the engine's own (`kind: PodTemplate`) must not reach it.
    if (isBuiltin(resource) && !ENGINE_LISTENERS.has(resource.kind)) emit(resource.kind, resource, where);
    emit('*', resource, where);
    for (const template of graph.podTemplatesOf(resource)) emit('PodTemplate', template, where);
  }
  emit('graph:exit', undefined, () => ({ file: input.filePaths[0] ?? '<input>', line: 1 }));

  applyDirectives({
    graph,
    rules: input.rules,
    severities: input.severities,
    reportUnused: input.reportUnusedDisableDirectives ?? 'warn',
    messagesByFile,
    suppressedByFile,
    interpolate,
    annotation: IGNORE_ANNOTATION,
  });

  const results: LintResult[] = [];
  for (const [filePath, messages] of messagesByFile) {
    results.push(resultOf(filePath, dedupe(sortMessages(messages)), dedupe(sortMessages(suppressedByFile.get(filePath) ?? []))));
  }
  results.sort((a, b) => (a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : 0));
  return results;
}

/** The distinct options that the configurations of the files give a rule, for those where it is not off. */
function optionVariants(
  rule: RuleModule,
  configs: readonly ResolvedRuleConfig[],
): { key: string; options: readonly unknown[] | undefined }[] {
  const variants = new Map<string, readonly unknown[] | undefined>();
  for (const config of configs) {
    if ((config.severities[rule.name] ?? rule.meta.defaultSeverity) === 'off') continue;
    const options = config.options[rule.name];
    const key = optionsKey(options);
    if (!variants.has(key)) variants.set(key, options);
  }
  return [...variants].map(([key, options]) => ({ key, options }));
}

function optionsKey(options: readonly unknown[] | undefined): string {
  return options === undefined ? '' : JSON.stringify(options);
}

/** A finding's severity: the rule's for sure findings, or its unsure severity (default warn) for unsure ones. */
function severityOf(rule: RuleModule, config: ResolvedRuleConfig, unsure: boolean): Severity {
  const sure = config.severities[rule.name] ?? rule.meta.defaultSeverity;
  if (sure === 'off' || !unsure) return sure;
  return config.unsureSeverities[rule.name] ?? UNSURE_DEFAULT;
}

/** typescript-eslint's applyDefault: each given option object is laid over the default at the same place. */
function mergeOptions(defaults: readonly unknown[], given: readonly unknown[] | undefined): readonly unknown[] {
  if (!given) return defaults;
  const length = Math.max(defaults.length, given.length);
  return Array.from({ length }, (_, i) => {
    const base = defaults[i];
    const over = given[i];
    if (over === undefined) return base;
    if (isPlainObject(base) && isPlainObject(over)) return { ...base, ...over };
    return over;
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An ESLint-shaped result for one file's messages, counts included; suppressed messages are not counted. */
export function resultOf(filePath: string, messages: LintMessage[], suppressedMessages: SuppressedLintMessage[] = []): LintResult {
  return {
    filePath,
    messages,
    errorCount: messages.filter((m) => m.severity === 2).length,
    warningCount: messages.filter((m) => m.severity === 1).length,
    fatalErrorCount: messages.filter((m) => m.fatal).length,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
    suppressedMessages,
    usedDeprecatedRules: [],
  };
}

export function sortMessages<M extends LintMessage>(messages: M[]): M[] {
  return messages.sort(
    (a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId) || a.message.localeCompare(b.message),
  );
}

export function dedupe<M extends LintMessage>(messages: M[]): M[] {
  const seen = new Set<string>();
  return messages.filter((m) => {
    const key = `${m.ruleId}\u0000${m.line}\u0000${m.column}\u0000${m.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The finding as a message, or undefined when it is dropped. `severityFor` gives its severity from the
 * configuration of the file it lands in and whether the rule is unsure of it (undefined: not reported there).
 */
function toMessage(
  graph: ResourceGraph,
  rule: RuleModule,
  descriptor: ReportDescriptor<string>,
  severityFor: (filePath: string, unsure: boolean) => 1 | 2 | undefined,
): { filePath: string; message: LintMessage | SuppressedLintMessage } | undefined {
  const template = rule.meta.messages[descriptor.messageId];
  if (template === undefined) throw new Error(`rule ${rule.name} reported unknown messageId "${descriptor.messageId}"`);
  let text = interpolate(template, descriptor.data);
  // A rule lowers a finding it is unsure of; the configuration says what severity unsure findings get.
  let unsure = descriptor.severity === 'warn';
  const head = (filePath: string) => {
    const severity = severityFor(filePath, unsure);
    if (severity === undefined) return undefined;
    // Rules that read the input declare it (meta.fatal): their errors mean a file could not be read or parsed.
    const fatal = rule.meta.fatal === true && severity === 2 ? { fatal: true as const } : {};
    return { ruleId: rule.name, messageId: descriptor.messageId, severity, message: text, ...fatal };
  };

  if ('resource' in descriptor) {
    const { resource, path } = descriptor;
    // A placeholder's value is unknown (envsubst, Flux postBuild, sed): nothing may be concluded from it. The
    // template-placeholder rule says once per file that these checks were left out.
    if (dependsOnPlaceholder([{ resource, path }, ...(descriptor.related ?? [])], text)) return undefined;
    // kubewire lints objects as written; a kustomize patch may change the very field a finding is about, so such
    // a finding is unsure (a warning unless configured otherwise), and says which patch it could not follow.
    const patched = [{ resource, path }, ...(descriptor.related ?? [])]
      .map((place) => ({ resource: place.resource, patch: graph.patchesTouching(place.resource, place.path)[0] }))
      .find((p) => p.patch !== undefined);
    if (patched?.patch) {
      unsure = true;
      text += patchNote(patched.patch, patched.resource);
    }
    const located = locateField(resource, path);
    const base = head(located.file);
    if (!base) return undefined;
    const message: LintMessage = {
      ...base,
      ...located.range,
      resource: { apiVersion: resource.apiVersion, kind: resource.kind, namespace: resource.namespace, name: resource.name },
      path: formatPath(path),
    };
    const related = (descriptor.related ?? []).map((r): RelatedMessage => {
      const where = locateField(r.resource, r.path);
      return { filePath: where.file, ...where.range, message: r.message };
    });
    if (related.length > 0) message.related = related;
    const suppression = suppressionOf(resource, rule.name);
    return { filePath: located.file, message: suppression ? { ...message, suppressions: [suppression] } : message };
  }
  if ('document' in descriptor) {
    const base = head(descriptor.document.file.path);
    return base && { filePath: descriptor.document.file.path, message: { ...base, ...descriptor.range } };
  }
  const line = descriptor.line ?? 1;
  const column = descriptor.column ?? 1;
  const base = head(descriptor.file);
  return base && { filePath: descriptor.file, message: { ...base, line, column, endLine: line, endColumn: column } };
}

/** The `kubewire.io/ignore` annotation of the resource, when it names the rule. */
function suppressionOf(resource: Resource, ruleId: string): Suppression | undefined {
  const annotations = asObject(getIn(resource.object, ['metadata', 'annotations']));
  const value = asString(annotations?.[IGNORE_ANNOTATION]);
  if (!value || !value.split(',').some((id) => id.trim() === ruleId)) return undefined;
  const where = locateField(resource, ['metadata', 'annotations', IGNORE_ANNOTATION]);
  return {
    kind: 'directive',
    justification: `silenced on ${resource.kind} ${resource.namespace ? `${resource.namespace}/` : ''}${resource.name} by its ${IGNORE_ANNOTATION} annotation`,
    location: { filePath: where.file, ...where.range },
  };
}

export function interpolate(template: string, data: Readonly<Record<string, string | number>> | undefined): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => (data && key in data ? String(data[key]) : whole));
}

/** `spec.ports[1].targetPort`; keys that are not identifiers are quoted: `metadata.labels["app.kubernetes.io/name"]`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
