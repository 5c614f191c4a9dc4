import type { Path } from '../../loader/parse.js';
import { nearestName } from '../evidence/nearest-name.js';
import { placeholderIn } from '../objects/placeholders.js';
import { isObject, textOf, type JsonObject } from '../objects/values.js';
import type { ObjectSchema, Schema } from './schema.js';

/**
 * What is wrong with one value against its type, as the API server decodes and validates it. Values arrive as
 * kubectl sends them (YAML 1.1 read by go-yaml, then JSON): a null is an absent field (encoding/json leaves the
 * zero value), so it is never a problem.
 */
export type SchemaProblem =
  | {
      readonly code: 'unknownField';
      readonly path: Path;
      readonly field: string;
      readonly closest?: string;
      readonly elsewhere?: Path;
      readonly otherReleases?: string;
      /** The built-in definition of the object that lacks the field (`networking.v1.IngressBackend`). */
      readonly definition?: string;
    }
  | { readonly code: 'wrongType'; readonly path: Path; readonly expected: string; readonly value: unknown; readonly definition?: string }
  | { readonly code: 'required'; readonly path: Path; readonly field: string; readonly definition?: string }
  | {
      readonly code: 'notInEnum';
      readonly path: Path;
      readonly value: string;
      readonly allowed: readonly unknown[];
      readonly closest?: string;
    }
  | { readonly code: 'invalidQuantity'; readonly path: Path; readonly value: string }
  | { readonly code: 'notBase64'; readonly path: Path; readonly value: string };

export interface ValidateOptions {
  /** True for a problem that another rule already reports (better): it is left out. */
  readonly ownedElsewhere?: (problem: SchemaProblem) => boolean;
  /** Problems stop being collected after this many (a file of the wrong kind would list hundreds). */
  readonly limit?: number;
}

/** Validates a value against a type, collecting the problems in document order. */
export function validateValue(value: unknown, schema: Schema, path: Path, options: ValidateOptions = {}): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const limit = options.limit ?? 50;
  const walker = new Walker(path, (problem) => {
    if (out.length >= limit) return;
    // A value that is or holds a placeholder (`${MEMORY}`, `{{ .Values.port }}`) is unknown until substituted:
    // nothing is concluded from it (objects/placeholders.ts), also in fields the engine's check leaves out.
    if ('value' in problem && placeholderIn(problem.value, problem.path[problem.path.length - 1])) return;
    if (options.ownedElsewhere?.(problem)) return;
    out.push(problem);
  });
  walker.walk(value, schema);
  return out;
}

interface Level {
  readonly schema: ObjectSchema;
  readonly path: Path;
}

/**
 * Walks a value and its type together. The path is one array pushed and popped on the way (copied only into
 * problems), so that a clean object, the common case, allocates nothing per field.
 */
class Walker {
  private readonly path: (string | number)[];
  /** The object types above the current value, with the length of the path at each. */
  private readonly levels: { schema: ObjectSchema; depth: number }[] = [];

  constructor(
    base: Path,
    private readonly report: (problem: SchemaProblem) => void,
  ) {
    this.path = [...base];
  }

  walk(value: unknown, schema: Schema): void {
    if (value === null || value === undefined) return;
    const report = this.report;
    switch (schema.type) {
      case 'any':
        return;
      case 'string':
      case 'integer':
      case 'number':
      case 'boolean': {
        if (!hasScalarType(value, schema.type)) {
          report({ code: 'wrongType', path: this.at(), expected: EXPECTED[schema.type], value });
          return;
        }
        if (schema.enum && value !== '' && !schema.enum.includes(value)) {
          const text = textOf(value);
          const closest = schema.enum.find((e) => typeof e === 'string' && e.toLowerCase() === text.toLowerCase()) as string | undefined;
          report({ code: 'notInEnum', path: this.at(), value: text, allowed: schema.enum, ...(closest ? { closest } : {}) });
          return;
        }
        if (schema.format === 'byte' && typeof value === 'string' && !isBase64(value))
          report({ code: 'notBase64', path: this.at(), value });
        return;
      }
      case 'int-or-string':
        if (typeof value !== 'string' && !(typeof value === 'number' && Number.isInteger(value))) {
          report({ code: 'wrongType', path: this.at(), expected: 'an integer or a string', value });
        }
        return;
      case 'quantity':
        if (typeof value === 'number') return;
        if (typeof value !== 'string')
          report({ code: 'wrongType', path: this.at(), expected: 'a quantity (a number, or a string such as "500m" or "1Gi")', value });
        else if (!isQuantity(value)) report({ code: 'invalidQuantity', path: this.at(), value });
        return;
      case 'array': {
        if (!Array.isArray(value)) {
          report({ code: 'wrongType', path: this.at(), expected: 'a list', value });
          return;
        }
        const items = schema.items();
        for (let i = 0; i < value.length; i++) {
          this.path.push(i);
          this.walk(value[i], items);
          this.path.pop();
        }
        return;
      }
      case 'map': {
        if (!isObject(value)) {
          report({ code: 'wrongType', path: this.at(), expected: 'a map', value });
          return;
        }
        const values = schema.values();
        for (const key in value) {
          if (!Object.hasOwn(value, key)) continue;
          this.path.push(key);
          this.walk(value[key], values);
          this.path.pop();
        }
        return;
      }
      case 'object':
        if (!isObject(value)) {
          report({
            code: 'wrongType',
            path: this.at(),
            expected: 'an object',
            value,
            ...(schema.definition ? { definition: schema.definition } : {}),
          });
          return;
        }
        this.walkObject(value, schema);
    }
  }

  private walkObject(value: JsonObject, schema: ObjectSchema): void {
    this.levels.push({ schema, depth: this.path.length });
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const childSchema = schema.field(key);
      if (childSchema) {
        this.path.push(key);
        this.walk(value[key], childSchema);
        this.path.pop();
      } else if (!schema.open) {
        const parent = this.levels[this.levels.length - 2];
        this.report(
          unknownField(key, { schema, path: this.at() }, parent && { schema: parent.schema, path: this.path.slice(0, parent.depth) }),
        );
      }
    }
    for (const field of schema.required) {
      if (value[field] === undefined || value[field] === null) {
        this.report({ code: 'required', path: this.at(), field, ...(schema.definition ? { definition: schema.definition } : {}) });
      }
    }
    this.levels.pop();
  }

  private at(): Path {
    return this.path.slice();
  }
}

function unknownField(field: string, level: Level, parent: Level | undefined): SchemaProblem {
  const problem = unknownFieldAt(field, level, parent);
  return level.schema.definition ? { ...problem, definition: level.schema.definition } : problem;
}

function unknownFieldAt(field: string, level: Level, parent: Level | undefined): SchemaProblem & { code: 'unknownField' } {
  const path = [...level.path, field];
  const otherReleases = level.schema.otherReleasesOf?.(field);
  if (otherReleases) return { code: 'unknownField', path, field, otherReleases };
  const sameLetters = level.schema.fieldNames().find((c) => c.toLowerCase() === field.toLowerCase());
  if (sameLetters) return { code: 'unknownField', path, field, closest: sameLetters };
  // The same name one level up or below is stronger evidence than a name that is only close.
  if (parent?.schema.field(field)) return { code: 'unknownField', path, field, elsewhere: [...parent.path, field] };
  const below = findBelow(field, level.schema, level.path);
  if (below) return { code: 'unknownField', path, field, elsewhere: below };
  const closest = nearestName(field, level.schema.fieldNames());
  return { code: 'unknownField', path, field, ...(closest ? { closest } : {}) };
}

/**
 * Where a field that this object does not have exists in the objects below it (a list of objects counts as one
 * level), breadth first, up to three levels down: `containers` written in a Deployment's spec is
 * spec.template.spec.containers.
 */
function findBelow(field: string, schema: ObjectSchema, path: Path): Path | undefined {
  let frontier: { schema: ObjectSchema; path: Path }[] = [{ schema, path }];
  const seen = new Set<ObjectSchema>([schema]);
  for (let depth = 0; depth < 3; depth++) {
    const next: { schema: ObjectSchema; path: Path }[] = [];
    for (const { schema: current, path: at } of frontier) {
      for (const name of current.fieldNames()) {
        let child = current.field(name);
        const childPath: (string | number)[] = [...at, name];
        if (child?.type === 'array') {
          child = child.items();
          childPath.push(0);
        }
        if (child?.type !== 'object' || seen.has(child)) continue;
        seen.add(child);
        if (child.field(field)) return [...childPath, field];
        next.push({ schema: child, path: childPath });
      }
    }
    frontier = next;
  }
  return undefined;
}

const EXPECTED = { string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false' } as const;

function hasScalarType(value: unknown, type: 'string' | 'integer' | 'number' | 'boolean'): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    // 3.0 is sent as 3 (YAML float, then JSON), which decodes into an int.
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
  }
}

/**
 * resource.Quantity syntax (k8s.io/apimachinery/pkg/api/resource/quantity.go, ParseQuantity): a signed decimal
 * number, then one suffix: binary (Ki Mi Gi Ti Pi Ei), decimal (n u m "" k M G T P E) or an exponent (e3, E-2).
 * Case matters: `1gi`, `500MB` and `1 Gi` are rejected.
 */
const QUANTITY = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

export function isQuantity(text: string): boolean {
  return QUANTITY.test(text);
}

/** encoding/json decodes a []byte with base64.StdEncoding, which requires padding and skips CR and LF. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function isBase64(text: string): boolean {
  return BASE64.test(text.replace(/[\r\n]/g, ''));
}

/** How a message shows a value it got: `the string "80"`, `the number 3.5`, `a list`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (Array.isArray(value)) return 'a list';
  if (isObject(value)) return 'an object';
  return String(value);
}
