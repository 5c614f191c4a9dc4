import type { InputProblem } from '../loader/read-inputs.js';
import type { ManifestDocument, Path } from '../loader/parse.js';
import type { SourceRange } from '../loader/source.js';
import type { ResourceGraph } from '../model/graph.js';
import type { PodTemplate } from '../model/pods/pod-template.js';
import type { MalformedObject, Resource } from '../model/objects/resource.js';

export type Severity = 'off' | 'warn' | 'error';
export type ReportSeverity = Exclude<Severity, 'off'>;

/** Where every rule's page lives; a rule's `docs.url` is this plus `<id>.md`. */
export const RULE_DOCS_BASE_URL = 'https://github.com/kubewire/kubewire/blob/main/rules-docs/';

export interface KubewireRuleDocs {
  /** "Require …" / "Disallow …", one sentence; the docs page repeats it verbatim. */
  description: string;
}

/**
 * A JSON Schema (draft-07, as ajv reads it) for a rule's options. Kept as kubewire's own type so that the
 * published declarations need no devDependency (typescript-eslint's JSONSchema4 has the same shape).
 */
export type RuleOptionSchema = { readonly [keyword: string]: unknown };

/**
 * A rule's metadata: the shape of ESLint's RuleMetaData (type, docs, messages, schema, defaultOptions), plus the
 * severity a rule has when nobody configures it and kubewire's `fatal` flag.
 */
export interface RuleMeta<MessageIds extends string, Options extends readonly unknown[]> {
  /** ESLint's classification: `problem` (will break), `suggestion` (could be better), `layout`. */
  type: 'problem' | 'suggestion' | 'layout';
  docs: KubewireRuleDocs & { url: string };
  messages: Readonly<Record<MessageIds, string>>;
  /** ESLint's form: an array is one schema per positional option (`[]`: the rule takes none). */
  schema: readonly RuleOptionSchema[];
  defaultOptions: Options;
  defaultSeverity: ReportSeverity;
  /**
   * A finding of this rule means kubewire could not read or parse the input (a syntax error, a binary file):
   * its errors are marked `fatal`, as ESLint marks parsing errors, and SARIF reports them as tool notifications.
   */
  fatal?: boolean;
  /**
   * The engine reports problems with disable directives under this rule (src/engine/directives.ts): directives
   * that silence nothing, and rule ids in directives or `kubewire.io/ignore` that name no rule.
   */
  reportsDirectives?: boolean;
  deprecated?: boolean;
}

/** Built-in kinds a rule can listen to; custom resources arrive through `*` and `PodTemplate`. */
export type KnownKind =
  | 'Pod'
  | 'Deployment'
  | 'ReplicaSet'
  | 'ReplicationController'
  | 'StatefulSet'
  | 'DaemonSet'
  | 'Job'
  | 'CronJob'
  | 'Service'
  | 'Endpoints'
  | 'EndpointSlice'
  | 'Ingress'
  | 'NetworkPolicy'
  | 'HorizontalPodAutoscaler'
  | 'PodDisruptionBudget'
  | 'ConfigMap'
  | 'Secret'
  | 'Namespace'
  | 'ServiceAccount';

export type RuleListener = {
  /** Every file that could not be read. */
  InputProblem?: (problem: InputProblem) => void;
  /** Every YAML document, parsed or not. */
  Document?: (document: ManifestDocument) => void;
  /** Every document that tries to be a Kubernetes object and is not well-formed. */
  MalformedObject?: (object: MalformedObject) => void;
  /** Every resource, built-in or custom. */
  '*'?: (resource: Resource) => void;
  /** Every pod template, whichever kind holds it. */
  PodTemplate?: (template: PodTemplate) => void;
  /** After every resource has been visited. */
  'graph:exit'?: () => void;
} & { [K in KnownKind]?: (resource: Resource) => void };

/** Where a finding is: a field of a resource (preferred), a range of a document, or a file. */
export type ReportLocation =
  | { resource: Resource; path: Path }
  | { document: ManifestDocument; range: SourceRange }
  | { file: string; line?: number; column?: number };

export interface RelatedLocation {
  resource: Resource;
  path: Path;
  message: string;
}

export type ReportDescriptor<MessageIds extends string> = ReportLocation & {
  messageId: MessageIds;
  data?: Readonly<Record<string, string | number>>;
  related?: readonly RelatedLocation[];
  /**
   * `'warn'`: the rule is unsure of this finding (the input cannot show the mistake: the pods may come from an
   * operator, the object from another repository). It gets the rule's unsure severity, a warning unless the user
   * sets the shared `unsure` option (`["error", { "unsure": "error" }]`), instead of the rule's severity.
   */
  severity?: 'warn';
};

export interface RuleContext<MessageIds extends string, Options extends readonly unknown[]> {
  readonly id: string;
  readonly graph: ResourceGraph;
  readonly options: Options;
  report(descriptor: ReportDescriptor<MessageIds>): void;
}

export interface RuleModule<MessageIds extends string = string, Options extends readonly unknown[] = readonly unknown[]> {
  readonly name: string;
  readonly meta: RuleMeta<MessageIds, Options>;
  readonly defaultOptions: Options;
  create(context: RuleContext<MessageIds, Options>, options: Options): RuleListener;
}

export interface RuleDefinition<MessageIds extends string, Options extends readonly unknown[]> {
  name: string;
  meta: Omit<RuleMeta<MessageIds, Options>, 'docs'> & { docs: KubewireRuleDocs };
  create(context: RuleContext<MessageIds, Options>, options: Options): RuleListener;
}

/** Like typescript-eslint's RuleCreator: fills in the docs URL from the rule name. */
export function createRule<Options extends readonly unknown[], MessageIds extends string>(
  definition: RuleDefinition<MessageIds, Options>,
): RuleModule<MessageIds, Options> {
  const meta: RuleMeta<MessageIds, Options> = {
    ...definition.meta,
    docs: { ...definition.meta.docs, url: `${RULE_DOCS_BASE_URL}${definition.name}.md` },
  };
  return {
    name: definition.name,
    meta,
    defaultOptions: definition.meta.defaultOptions,
    create: (context, options) => definition.create(context, options),
  };
}
