import { CST, Document, isScalar, Parser } from 'yaml';
import type { ScalarTag } from 'yaml';
import { KUBECTL_PARSE_OPTIONS } from './yaml-schema.js';

/**
 * The value of one document piece built straight from the `yaml` package's syntax tree (its `Parser`, skipping
 * the `Composer` and `toJS`), for the plain YAML nearly every manifest is written in: block and one-line flow
 * collections of plain, quoted and block scalars, with comments.
 *
 * The result must be exactly what the composer path in parse.ts builds (the value of `Document.toJS()` with
 * kubectl's scalar resolution, see yaml-schema.ts) for a document with no problem at all. So this builder does
 * not try to read everything: anything that could give a problem or needs the composer's machinery (parser
 * errors, anchors, aliases, tags, merge keys, explicit `?` keys, duplicate or null keys, tabs, multi-line flow
 * collections, `.inf`, deep nesting, several documents in one piece) makes it return undefined, and the caller
 * parses the piece with the composer instead. Each check below mirrors one of the composer's own checks
 * (yaml/dist/compose/resolve-block-map.js, resolve-block-seq.js, resolve-flow-collection.js, resolve-props.js,
 * resolve-end.js, compose-doc.js) for the token shapes accepted here; test/fast-parse.test.ts compares the two
 * paths on generated and real inputs.
 */
export function buildPlainDocument(source: string): { value: unknown } | undefined {
  let document: CST.Document | undefined;
  for (const token of new Parser().parse(source)) {
    if (token.type === 'document' && !document) document = token;
    else if (token.type !== 'comment' && token.type !== 'newline' && !(token.type === 'space' && !token.source.includes('\t')))
      return undefined;
  }
  if (!document?.value) return undefined;
  try {
    checkProps(document.start, 'doc-start', true, 0);
    const value = buildNode(document.value, 1);
    checkEnd(document.end, false);
    return { value };
  } catch (error) {
    if (error === NEEDS_COMPOSER) return undefined;
    throw error;
  }
}

/** Thrown (and caught above, and in line-scan.ts) when the piece leaves the subset this builder reads exactly. */
export const NEEDS_COMPOSER = new Error('needs the composer');

function fail(): never {
  throw NEEDS_COMPOSER;
}

/** Well below parse.ts's MAX_NESTING_DEPTH: deeper documents go to the composer path, which reports them. */
const MAX_DEPTH = 200;

/** The same options and schema the composer uses (a Document made with kubectl's parse options). */
const reference = new Document(undefined, KUBECTL_PARSE_OPTIONS);
const resolveOptions = reference.options;
if (reference.schema.compat) throw new Error('kubewire: the fast YAML path assumes a schema without compat tags');
const tags = reference.schema.tags as ScalarTag[];
/** The tags a plain scalar is tested against (compose-scalar.js findScalarTagByTest), in the schema's order. */
const valueTags = tags.filter((tag) => tag.default === true && tag.test);
const keyTags = tags.filter((tag) => (tag.default === true || tag.default === 'key') && tag.test);

/**
 * Resolved plain scalars, by their text, apart for values and keys (whose tags differ): manifests repeat the
 * same few hundred (`TCP`, `http`, `80`, `true`; `name`, `image`, `ports`), and each resolution tests every
 * tag's pattern. Values are primitives, so sharing them is safe. A text the composer must read is not kept.
 */
const resolvedValues = new Map<string, unknown>();
const resolvedKeys = new Map<string, unknown>();
const MAX_RESOLVED_PLAIN = 20_000;

/**
 * The characters a plain scalar kubectl's schema resolves (null, booleans, numbers, the merge key) can start
 * with; a scalar that starts with any other is a string, without testing a pattern (most names, images, paths).
 * test/fast-parse.test.ts checks every tag's pattern against it.
 */
export const RESOLVABLE_FIRST_CHARACTERS = '-+.0123456789~<nNyYtTfFoO';
const resolvable = new Uint8Array(128);
for (const c of RESOLVABLE_FIRST_CHARACTERS) resolvable[c.charCodeAt(0)] = 1;

export function resolvePlain(text: string, atKey: boolean): unknown {
  const first = text.charCodeAt(0);
  // The empty text (NaN here) is null: resolved below.
  if (first >= 128 || resolvable[first] === 0) return text;
  const resolved = atKey ? resolvedKeys : resolvedValues;
  const known = resolved.get(text);
  if (known !== undefined || resolved.has(text)) return known;
  const tag = (atKey ? keyTags : valueTags).find((t) => t.test!.test(text));
  // A `default: 'key'` tag is the merge key `<<`: the composer's business.
  if (tag && tag.default !== true) fail();
  let value: unknown = text;
  if (tag) {
    const result = tag.resolve(text, fail, resolveOptions);
    value = isScalar(result) ? result.value : result;
  }
  if (typeof value === 'bigint' || (typeof value === 'object' && value !== null)) fail();
  if (resolved.size >= MAX_RESOLVED_PLAIN) resolved.clear();
  resolved.set(text, value);
  return value;
}

function scalarValue(token: CST.FlowScalar | CST.BlockScalar, atKey: boolean): unknown {
  const resolved = CST.resolveAsScalar(token, true, fail);
  if (!resolved) fail();
  // Quoted and block scalars are strings (the schema's `str` tag); only plain ones are resolved by pattern.
  return token.type === 'scalar' ? resolvePlain(resolved.value, atKey) : resolved.value;
}

/** An empty value (`key:` with nothing after it): the composer resolves an empty plain scalar (null). */
function emptyValue(): unknown {
  return resolvePlain('', false);
}

function buildNode(token: CST.Token, depth: number): unknown {
  switch (token.type) {
    case 'scalar':
    case 'single-quoted-scalar':
    case 'double-quoted-scalar':
    case 'block-scalar': {
      const value = scalarValue(token, false);
      // `.inf`, `.nan` (and a float too large for a double): structureOf rejects some; leave all to the composer.
      if (typeof value === 'number' && !Number.isFinite(value)) fail();
      return value;
    }
    case 'block-map':
      return buildBlockMap(token, depth);
    case 'block-seq':
      return buildBlockSeq(token, depth);
    case 'flow-collection':
      return buildFlowCollection(token, depth);
    default:
      return fail();
  }
}

/** A key as the composer's toJS writes it in an object (addPairToJSMap's stringifyKey). */
function keyOf(token: CST.Token | null | undefined, flow: boolean): string {
  if (!token || (token.type !== 'scalar' && token.type !== 'single-quoted-scalar' && token.type !== 'double-quoted-scalar')) return fail();
  // MULTILINE_IMPLICIT_KEY (util-contains-newline.js).
  if (token.source.includes('\n') || token.end?.some((t) => t.type !== 'space' || t.source.includes('\t'))) fail();
  if (flow && token.end && token.end.length > 0) fail();
  const value = scalarValue(token, true);
  // A null key is a go-yaml rejection (structureOf); `<<` is a merge key or skipped by the duplicate check.
  if (value === null) fail();
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a scalar resolves to a string, number or boolean
  const key = String(value);
  if (key === '<<') fail();
  return key;
}

export function setKey(object: Record<string, unknown>, key: string, value: unknown): void {
  // A repeated key is a `duplicate-key` (or `missing-separator`) problem: the composer path reports it.
  if (Object.prototype.hasOwnProperty.call(object, key)) fail();
  // As addPairToJSMap: `__proto__` (and other inherited names) become own properties.
  if (key in object) Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

function buildBlockMap(map: CST.BlockMap, depth: number): Record<string, unknown> {
  if (depth > MAX_DEPTH) fail();
  const object: Record<string, unknown> = {};
  const items = map.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.explicitKey) fail();
    checkProps(item.start, 'explicit-key-ind', true, 0);
    if (!item.key && !item.sep) {
      // Comment lines after the last pair; anywhere else the composer says "Map comment with trailing content".
      if (i !== items.length - 1) fail();
      continue;
    }
    const key = item.key;
    if (!key || !item.sep || !('indent' in key) || key.indent !== map.indent) fail();
    const name = keyOf(key, false);
    const indicator = checkProps(item.sep, 'map-value-ind', false, 1);
    // KEY_OVER_1024_CHARS, with room to spare.
    if (indicator - key.offset > 512) fail();
    const value = item.value;
    // "Nested mappings are not allowed in compact mappings" (and a block sequence on the key's line).
    if (value && (value.type === 'block-map' || value.type === 'block-seq') && !propsHadNewline) fail();
    setKey(object, name, value ? buildNode(value, depth + 1) : emptyValue());
  }
  return object;
}

function buildBlockSeq(seq: CST.BlockSequence, depth: number): unknown[] {
  if (depth > MAX_DEPTH) fail();
  const array: unknown[] = [];
  for (const item of seq.items) {
    if (checkProps(item.start, 'seq-item-ind', true, -1) < 0) {
      // Comment lines only; a value without `-` is the composer's error.
      if (item.value) fail();
      continue;
    }
    array.push(item.value ? buildNode(item.value, depth + 1) : emptyValue());
  }
  return array;
}

/**
 * Flow collections on one line (`[a, "b"]`, `{cpu: 100m}`, `{}`): items separated by single commas, pairs only
 * in maps, nothing but spaces between tokens. Multi-line ones (JSON manifests) are left to the composer.
 */
function buildFlowCollection(collection: CST.FlowCollection, depth: number): unknown {
  if (depth > MAX_DEPTH) fail();
  const isMap = collection.start.source === '{';
  const out: Record<string, unknown> | unknown[] = isMap ? {} : [];
  const items = collection.items;
  for (let i = 0; i < items.length; i++) {
    const { start, key, sep, value } = items[i]!;
    let commas = 0;
    for (const t of start) {
      if (t.type === 'comma') commas++;
      else if (t.type !== 'space' || t.source.includes('\t')) fail();
    }
    if (commas !== (i === 0 ? 0 : 1)) fail();
    if (key === undefined && !sep && !value) {
      // `[ ]`, or a trailing comma: "Unexpected empty item" anywhere else.
      if (i !== items.length - 1) fail();
      continue;
    }
    if (isMap) {
      if (!sep) fail();
      const name = keyOf(key, true);
      let found = 0;
      for (const t of sep) {
        if (t.type === 'map-value-ind') found++;
        else if (t.type !== 'space' || t.source.includes('\t')) fail();
      }
      if (found !== 1) fail();
      setKey(out as Record<string, unknown>, name, value ? buildFlowItem(value, depth) : emptyValue());
    } else {
      if (key !== undefined || sep || !value) fail();
      (out as unknown[]).push(buildFlowItem(value, depth));
    }
  }
  const [close, ...rest] = collection.end;
  if (close?.source !== (isMap ? '}' : ']')) fail();
  checkEnd(rest, true);
  return out;
}

function buildFlowItem(token: CST.Token, depth: number): unknown {
  if (token.type === 'flow-collection') return buildFlowCollection(token, depth + 1);
  if (token.type !== 'scalar' && token.type !== 'single-quoted-scalar' && token.type !== 'double-quoted-scalar') return fail();
  if (token.source.includes('\n') || token.end?.some((t) => t.type !== 'space' || t.source.includes('\t'))) fail();
  return buildNode(token, depth + 1);
}

/** Whether the tokens checkProps last read had a line break (read right after the call). */
let propsHadNewline = false;

/**
 * The white space, comments and indicator before a node (resolve-props.js) with no anchor and no tag: exactly
 * `indicators` of the expected indicator (-1: zero or one), comments separated by white space, no tab. Returns
 * the offset of the indicator, -1 when there is none.
 */
function checkProps(tokens: readonly CST.SourceToken[], indicator: string, startOnNewline: boolean, indicators: number): number {
  let hasSpace = startOnNewline;
  let found = -1;
  let count = 0;
  let newline = false;
  for (const token of tokens) {
    switch (token.type) {
      case 'space':
        if (token.source.includes('\t')) fail();
        hasSpace = true;
        break;
      case 'newline':
        newline = true;
        hasSpace = true;
        break;
      case 'comment':
        if (!hasSpace) fail();
        break;
      default:
        if (token.type !== indicator || ++count > 1) fail();
        found = token.offset;
        hasSpace = false;
    }
  }
  if (indicators >= 0 && count !== indicators) fail();
  propsHadNewline = newline;
  return found;
}

/** The tokens after a node or document (resolve-end.js): white space and comments only. */
function checkEnd(tokens: readonly CST.SourceToken[] | undefined, requireSpace: boolean): void {
  let hasSpace = false;
  for (const token of tokens ?? []) {
    if (token.type === 'space' || token.type === 'newline') hasSpace = true;
    else if (token.type !== 'comment' || (requireSpace && !hasSpace)) fail();
  }
}
