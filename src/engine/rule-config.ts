import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { UsageError } from '../loader/read-inputs.js';
import { didYouMean } from '../model/evidence/nearest-name.js';
import type { RuleModule, RuleOptionSchema, Severity } from './rule.js';

/**
 * How a rule is configured, as in ESLint's `rules` setting: a severity (`"off"`, `"warn"`, `"error"` or 0, 1, 2),
 * or an array of the severity and the rule's options: `["error", { "range": "20000-22767" }]`.
 */
export type RuleConfig = Severity | 0 | 1 | 2 | readonly [Severity | 0 | 1 | 2, ...unknown[]];

/**
 * A rule configuration kubewire refuses; `ruleId`, `problem` and `field` (what part of the setting is wrong) let
 * each host say where it came from: a flag, or a position in the config file.
 */
export class RuleConfigError extends UsageError {
  constructor(
    readonly ruleId: string,
    readonly problem: string,
    readonly field: 'id' | 'severity' | 'unsure' | 'options' = 'options',
  ) {
    super(`rule ${ruleId}: ${problem}`);
  }
}

export interface ResolvedRuleConfig {
  /** Severity of the findings a rule is sure of; rules not named have their `meta.defaultSeverity`. */
  severities: Record<string, Severity>;
  /**
   * Severity of the findings a rule is unsure of (it reports them with `severity: 'warn'`: the pods may come from
   * an operator, the object from another repository); rules not named have UNSURE_DEFAULT.
   */
  unsureSeverities: Record<string, Severity>;
  options: Record<string, readonly unknown[]>;
}

/**
 * The option every rule takes, beside its own: the severity of the findings it is unsure of,
 * `["error", { "unsure": "error" }]`. It is taken out before the rule's own options are checked and passed.
 */
export const UNSURE_OPTION = 'unsure';

/** Unsure findings are warnings unless configured otherwise. */
export const UNSURE_DEFAULT: Severity = 'warn';

const SEVERITIES: ReadonlyMap<unknown, Severity> = new Map<unknown, Severity>([
  ['off', 'off'],
  [0, 'off'],
  ['warn', 'warn'],
  [1, 'warn'],
  ['error', 'error'],
  [2, 'error'],
]);

/** Checks a `rules` setting against the rules and their schemas; throws a RuleConfigError on the first problem. */
export function resolveRuleConfig(rules: readonly RuleModule[], config: Readonly<Record<string, RuleConfig>>): ResolvedRuleConfig {
  const byId = new Map(rules.map((r) => [r.name, r]));
  const resolved: ResolvedRuleConfig = { severities: {}, unsureSeverities: {}, options: {} };
  for (const [id, value] of Object.entries(config)) {
    const rule = byId.get(id);
    if (!rule) throw new RuleConfigError(id, `unknown rule "${id}"${didYouMean(id, byId.keys())}`, 'id');
    const [level, ...given] = Array.isArray(value) ? (value as readonly unknown[]) : [value];
    const severity = SEVERITIES.get(level);
    if (!severity) throw new RuleConfigError(id, severityProblem('severity', level), 'severity');
    resolved.severities[id] = severity;
    if (Array.isArray(value)) {
      const { unsure, options } = takeUnsure(rule, given);
      if (unsure !== undefined) {
        const unsureSeverity = SEVERITIES.get(unsure);
        if (!unsureSeverity) throw new RuleConfigError(id, severityProblem(`"${UNSURE_OPTION}"`, unsure), 'unsure');
        resolved.unsureSeverities[id] = unsureSeverity;
      }
      const problem = optionsProblem(rule, options);
      if (problem) throw new RuleConfigError(id, problem);
      resolved.options[id] = options;
    }
  }
  return resolved;
}

function severityProblem(what: string, given: unknown): string {
  const shown = typeof given === 'string' ? `"${given}"` : JSON.stringify(given);
  return `${what} must be off, warn or error, not ${shown}${typeof given === 'string' ? didYouMean(given, ['off', 'warn', 'error']) : ''}`;
}

/**
 * Takes the shared `unsure` option out of the first option object: what is left is the rule's own options. A
 * rule that takes no options gets none (`["error", { "unsure": "error" }]`).
 */
function takeUnsure(rule: RuleModule, given: readonly unknown[]): { unsure: unknown; options: unknown[] } {
  const first = given[0];
  if (typeof first !== 'object' || first === null || Array.isArray(first) || !(UNSURE_OPTION in first))
    return { unsure: undefined, options: [...given] };
  const { [UNSURE_OPTION]: unsure, ...own } = first as Record<string, unknown>;
  const options = Object.keys(own).length === 0 && rule.meta.schema.length === 0 && given.length === 1 ? [] : [own, ...given.slice(1)];
  return { unsure, options };
}

// verbose: errors carry their schema, so an unknown option can be answered with the known ones. Made for the
// first options to validate: a run that sets only severities (or nothing) does not pay for it at start-up.
let ajv: Ajv | undefined;
const validators = new WeakMap<RuleModule, ValidateFunction>();

/**
 * ESLint's reading of `meta.schema`: an array holds one schema per positional option, and no more options than
 * schemas (`[]`: the rule takes none). Validated with ajv, as the config file will be.
 */
export function optionsProblem(rule: RuleModule, given: readonly unknown[]): string | undefined {
  const schemas = rule.meta.schema;
  if (given.length > schemas.length) {
    return schemas.length === 0
      ? 'this rule takes no options'
      : `this rule takes ${schemas.length} option${schemas.length === 1 ? '' : 's'}`;
  }
  if (given.length === 0) return undefined;
  let validate = validators.get(rule);
  if (!validate) {
    ajv ??= new Ajv({ allErrors: false, strict: false, verbose: true });
    validate = ajv.compile({ type: 'array', items: schemas, minItems: 0, maxItems: schemas.length });
    validators.set(rule, validate);
  }
  if (validate(given)) return undefined;
  return describe(validate.errors?.[0], schemas);
}

/** An ajv error in the words of the option it is about: `unknown option "rnage" (options: range)`. */
function describe(error: ErrorObject | undefined, schemas: readonly RuleOptionSchema[]): string {
  if (!error) return 'invalid options';
  // instancePath is a JSON pointer into the options array: /0/range.
  const [index, ...rest] = error.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const field =
    rest.length > 0 ? `option "${rest.join('.')}"` : index !== undefined && schemas.length > 1 ? `option ${Number(index) + 1}` : 'options';
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const properties = Object.keys((error.parentSchema?.properties as Record<string, unknown> | undefined) ?? {});
      const prefix = rest.length > 0 ? `${rest.join('.')}.` : '';
      return `unknown option "${prefix}${key}" (options: ${properties.join(', ') || 'none'})`;
    }
    case 'type': {
      const type = String(error.params.type);
      return `${field} must be ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
    }
    case 'enum':
      return `${field} must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'required':
      return `${field === 'options' ? 'options need' : `${field} needs`} "${String(error.params.missingProperty)}"`;
    default:
      return `${field} ${error.message ?? 'is invalid'}`;
  }
}
