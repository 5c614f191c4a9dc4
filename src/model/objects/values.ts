/**
 * Defensive readers for manifest data. Manifests are untrusted: any field may have any JSON type, so the
 * model reads through these instead of casting.
 */
export type JsonObject = { readonly [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asObject(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A value as text: a scalar as kubectl sends it (`true`, `8080`), an object or a list as JSON, never `[object Object]`. */
export function textOf(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/** The value at a path, or undefined when any step is missing or of the wrong type. */
export function getIn(root: unknown, path: readonly (string | number)[]): unknown {
  let current = root;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (!isObject(current) || !Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
      current = current[segment];
    }
  }
  return current;
}

/**
 * A string map such as labels or a Service selector. Values that are not strings are kept as kubectl would
 * send them (`true`, `8080`) so that rules can still compare them, and reported by the rules that care.
 */
export function asStringMap(value: unknown): Record<string, string> | undefined {
  if (!isObject(value)) return undefined;
  const out = Object.create(null) as Record<string, string>;
  for (const [key, v] of Object.entries(value)) {
    if (v === null || v === undefined) out[key] = '';
    else if (typeof v === 'object') continue;
    else out[key] = textOf(v);
  }
  return out;
}

/** Appends to the list kept under a key of a multimap, creating it on first use. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
