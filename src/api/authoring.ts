/**
 * What a rule may use from kubewire itself: `createRule`, the types of a rule, and the field-path spelling that
 * messages share. Rules import from here, never from the engine's internals, so the engine can change beneath
 * them (and third-party rules, later, get the same surface from the package).
 */
export { createRule, RULE_DOCS_BASE_URL } from '../engine/rule.js';
export type {
  KnownKind,
  KubewireRuleDocs,
  RelatedLocation,
  ReportDescriptor,
  ReportLocation,
  ReportSeverity,
  RuleContext,
  RuleDefinition,
  RuleListener,
  RuleMeta,
  RuleModule,
  RuleOptionSchema,
  Severity,
} from '../engine/rule.js';
export { formatPath } from '../engine/linter.js';
/** A field path inside an object: `['spec', 'ports', 1, 'targetPort']`. */
export type { Path } from '../loader/parse.js';
/** A YAML document as the loader read it (for rules that listen to `Document`), and a range of its source. */
export type { ManifestDocument } from '../loader/parse.js';
export type { SourceRange } from '../loader/source.js';
