import { ManifestDocument, type DocumentOrigin, type ParseProblem } from './parse.js';
import type { SourceFile } from './source.js';

/**
 * A file's parse result as text, for the cache of earlier runs (src/engine/parse-cache.ts). JSON is the
 * cheapest way to store it (JSON.parse builds objects faster than any parse of YAML), and a document keeps
 * nothing that JSON cannot carry: its value, its problems (positions already in lines and columns) and where it
 * is in the file, from which `locate` finds positions again when asked.
 */
interface EncodedDocument {
  /** Absent when the document has no value (it could not be parsed). */
  v?: unknown;
  p: ParseProblem[];
  o: DocumentOrigin;
}

/**
 * The documents of one file as JSON, or undefined when a value holds a number JSON would change (`-0`, and
 * `Infinity` or `NaN`, which a problem-free document never has but a float like `1.0e999` can): such a file is
 * parsed where it is used instead.
 */
export function encodeParsedFile(documents: readonly ManifestDocument[]): string | undefined {
  const encoded: EncodedDocument[] = [];
  for (const document of documents) {
    if (!survivesJson(document.value)) return undefined;
    encoded.push({ ...(document.value === undefined ? {} : { v: document.value }), p: document.problems, o: document.origin });
  }
  return JSON.stringify(encoded);
}

/** The documents encodeParsedFile wrote, for the same text (the caller checks that it is the same). */
export function decodeParsedFile(file: SourceFile, json: string): ManifestDocument[] {
  const encoded = JSON.parse(json) as EncodedDocument[];
  return encoded.map((d, index) => new ManifestDocument(file, index, d.v, d.p, d.o));
}

/** Whether JSON.parse(JSON.stringify(value)) gives the value back: only finite numbers other than -0 change. */
function survivesJson(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'number') {
      if (!Number.isFinite(item) || Object.is(item, -0)) return false;
    } else if (Array.isArray(item)) {
      for (const element of item) if (typeof element === 'object' || typeof element === 'number') stack.push(element);
    } else if (item && typeof item === 'object') {
      for (const key in item) {
        const element = (item as Record<string, unknown>)[key];
        if (typeof element === 'object' || typeof element === 'number') stack.push(element);
      }
    }
  }
  return true;
}
