import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { UsageError } from '../loader/read-inputs.js';
import { nearestName } from '../model/evidence/nearest-name.js';
import type { RuleModule, RuleOptionSchema, Severity } from './rule.js';

/**
 * How a rule is configured, as in ESLint's `rules` setting: a severity (`"off"`, `"warn"`, `"error"` or 0, 1, 2),
 * or an array of the severity and the rule's options: `["error", { "range": "20000-22767" }]`.
 */
export type RuleConfig = Severity | 0 | 1 | 2 | readonly [Severity | 0 | 1 | 2, ...unknown[]];

/** A rule configuration kubewire refuses; `ruleId` and `problem` let each host say where it came from. */
export class RuleConfigError extends UsageError {
  constructor(
    readonly ruleId: string,
    readonly problem: string,
  ) {
    super(`rule ${ruleId}: ${problem}`);
  }
}

export interface ResolvedRuleConfig {
  severities: Record<string, Severity>;
  options: Record<string, unknown[]>;
}

const SEVERITIES: ReadonlyMap<unknown, Severity> = new Map<unknown, Severity>([
  ['off', 'off'], [0, 'off'],
  ['warn', 'warn'], [1, 'warn'],
  ['error', 'error'], [2, 'error'],
]);

/** Checks a `rules` setting against the rules and their schemas; throws a RuleConfigError on the first problem. */
export function resolveRuleConfig(rules: readonly RuleModule[], config: Readonly<Record<string, RuleConfig>>): ResolvedRuleConfig {
  const byId = new Map(rules.map((r) => [r.name, r]));
  const resolved: ResolvedRuleConfig = { severities: {}, options: {} };
  for (const [id, value] of Object.entries(config)) {
    const rule = byId.get(id);
    if (!rule) {
      const near = nearestName(id, byId.keys());
      throw new RuleConfigError(id, `unknown rule "${id}"${near ? ` (did you mean "${near}"?)` : ''}`);
    }
    const [level, ...options] = Array.isArray(value) ? (value as readonly unknown[]) : [value];
    const severity = SEVERITIES.get(level);
    if (!severity) throw new RuleConfigError(id, `severity must be off, warn or error, not ${typeof level === 'string' ? `"${level}"` : JSON.stringify(level)}`);
    resolved.severities[id] = severity;
    if (Array.isArray(value)) {
      const problem = optionsProblem(rule, options);
      if (problem) throw new RuleConfigError(id, problem);
      resolved.options[id] = options;
    }
  }
  return resolved;
}

// verbose: errors carry their schema, so an unknown option can be answered with the known ones.
const ajv = new Ajv({ allErrors: false, strict: false, verbose: true });
const validators = new WeakMap<RuleModule, ValidateFunction>();

/**
 * ESLint's reading of `meta.schema`: an array holds one schema per positional option, and no more options than
 * schemas (`[]`: the rule takes none). Validated with ajv, as the config file will be.
 */
export function optionsProblem(rule: RuleModule, given: readonly unknown[]): string | undefined {
  const schemas = rule.meta.schema;
  if (given.length > schemas.length) {
    return schemas.length === 0 ? 'this rule takes no options' : `this rule takes ${schemas.length} option${schemas.length === 1 ? '' : 's'}`;
  }
  let validate = validators.get(rule);
  if (!validate) {
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
  const [index, ...rest] = error.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const field = rest.length > 0 ? `option "${rest.join('.')}"` : index !== undefined && schemas.length > 1 ? `option ${Number(index) + 1}` : 'options';
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
