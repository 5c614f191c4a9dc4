/**
 * kubewire's public API: the run (`Kubewire`, for every host: the command line, the GitHub Action, editor and
 * hook integrations), its reporters, and the rule-authoring surface. The engine, the loader and the model are
 * internals and may change between minor versions.
 */
export { Kubewire } from './api/kubewire.js';
export type { KubewireOptions, LintRun, EndpointsRun } from './api/kubewire.js';
export type { BulkSuppressionOutcome, StaleSuppression } from './api/bulk-suppressions.js';
export { loadFormatter, FORMATTER_NAMES } from './api/formatters.js';
export type { Formatter, FormatOptions } from './api/formatters.js';
export { RuleConfigError } from './engine/rule-config.js';
export type { RuleConfig } from './engine/rule-config.js';
export { UsageError } from './loader/read-inputs.js';
export type { LintResult, LintMessage, RelatedMessage, LintResourceRef, SuppressedLintMessage, Suppression } from './engine/results.js';
export type { EndpointsReport } from './model/services/endpoints-report.js';
export * from './api/authoring.js';
