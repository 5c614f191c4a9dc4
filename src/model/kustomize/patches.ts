import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ManifestDocument, Path } from '../../loader/parse.js';
import { asArray, asObject, asString, isObject } from '../objects/values.js';
import type { Resource } from '../objects/resource.js';
import { isKustomization, type KustomizeBuilds } from './builds.js';

/**
 * The patches of the kustomizations in the input: strategic-merge patches (`patchesStrategicMerge`, `patches`
 * with a partial object) and JSON 6902 patches (`patchesJson6902`, `patches` with a list of operations), from a
 * file or inline (sigs.k8s.io/kustomize api/types/kustomization.go, builtin PatchTransformer,
 * PatchStrategicMergeTransformer, PatchJson6902Transformer).
 *
 * kubewire lints the objects as written, before any patch: a patch can change the very field a finding is
 * about (a component's `replicas: 2`, a port an overlay renames), and a base may be patched in one build and not
 * in another. It does not apply them; it knows which fields they touch, so that a finding on such a field says
 * so and is never an error (see `patchesTouching`).
 */
export interface BuildPatch {
  /** The kustomization that declares the patch, and where. */
  readonly kustomization: ManifestDocument;
  readonly entryPath: Path;
  /** The file the patch is read from, when it is not inline. */
  readonly file: string | undefined;
  /** What it patches: kind and name when the patch says (a missing one matches every object). */
  readonly kind: string | undefined;
  readonly name: string | undefined;
  /** The fields it sets or removes, as key paths without list indexes (`spec.template.spec.containers.ports`). */
  readonly touches: readonly (readonly string[])[];
}

export function kustomizePatches(documents: readonly ManifestDocument[]): BuildPatch[] {
  const byFile = new Map<string, ManifestDocument[]>();
  for (const document of documents) {
    const list = byFile.get(document.file.path);
    if (list) list.push(document);
    else byFile.set(document.file.path, [document]);
  }
  const out: BuildPatch[] = [];
  for (const kustomization of documents) {
    const value = asObject(kustomization.value);
    if (!value || !isKustomization(kustomization)) continue;
    const folder = path.dirname(kustomization.file.path);
    const add = (entryPath: Path, source: { file?: string; inline?: string }, target: unknown) => {
      const contents: unknown[] = source.file
        ? (byFile.get(source.file) ?? []).map((d) => d.value)
        : source.inline !== undefined
          ? parseInline(source.inline)
          : [];
      const targetObject = asObject(target);
      for (const content of contents) {
        const patchObject = asObject(content);
        const kind = asString(targetObject?.kind) ?? asString(patchObject?.kind);
        const name = targetObject ? asString(targetObject.name) : asString(asObject(patchObject?.metadata)?.name);
        out.push({ kustomization, entryPath, file: source.file, kind, name, touches: touchedPaths(content) });
      }
    };
    const source = (entry: unknown): { file?: string; inline?: string } => {
      const text = asString(entry) ?? asString(asObject(entry)?.path);
      if (text !== undefined && !text.includes('\n')) return { file: path.join(folder, text) };
      const inline = text ?? asString(asObject(entry)?.patch);
      return inline !== undefined ? { inline } : {};
    };
    asArray(value.patchesStrategicMerge).forEach((entry, i) => add(['patchesStrategicMerge', i], source(entry), undefined));
    asArray(value.patches).forEach((entry, i) => add(['patches', i], source(entry), asObject(entry)?.target));
    asArray(value.patchesJson6902).forEach((entry, i) => add(['patchesJson6902', i], source(entry), asObject(entry)?.target));
  }
  return out;
}

function parseInline(text: string): unknown[] {
  try {
    return parseAllDocuments(text).flatMap((d) =>
      'errors' in d && d.errors.length === 0 ? [d.toJS({ maxAliasCount: 100 }) as unknown] : [],
    );
  } catch {
    return [];
  }
}

/** Leaf key paths of a strategic-merge patch, or the paths of a JSON 6902 patch's operations, without indexes. */
function touchedPaths(content: unknown): string[][] {
  if (Array.isArray(content)) {
    return content.flatMap((op) => {
      const pointer = asString(asObject(op)?.path);
      return pointer
        ? [
            pointer
              .split('/')
              .slice(1)
              .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
              .filter((p) => !/^(\d+|-)$/.test(p)),
          ]
        : [];
    });
  }
  const out: string[][] = [];
  const walk = (value: unknown, at: string[]) => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item, at);
    } else if (isObject(value)) {
      const keys = Object.keys(value).filter(
        (k) =>
          !(at.length === 0 && (k === 'apiVersion' || k === 'kind')) &&
          !(at.length === 1 && at[0] === 'metadata' && (k === 'name' || k === 'namespace')),
      );
      // `metadata` that only names the target (name, namespace) changes nothing.
      if (keys.length === 0 && at.length > 0 && !(at.length === 1 && at[0] === 'metadata')) out.push(at);
      for (const key of keys) walk(value[key], [...at, key]);
    } else if (at.length > 0) {
      out.push(at);
    }
  };
  walk(content, []);
  return out;
}

/**
 * The patches that change a resource in some build: those of a kustomization that includes its file, aimed at
 * its kind and name, and touching `field` (a field inside, around or equal to one the patch sets) when given.
 */
export function patchesTouching(patches: readonly BuildPatch[], builds: KustomizeBuilds, resource: Resource, field?: Path): BuildPatch[] {
  const file = resource.document.file.path;
  const keys = field?.filter((s): s is string => typeof s === 'string');
  return patches.filter(
    (patch) =>
      (patch.kind === undefined || patch.kind === resource.kind) &&
      (patch.name === undefined || patch.name === resource.name) &&
      builds.filesPatchedBy(patch.kustomization.file.path).has(file) &&
      (keys === undefined || patch.touches.some((touched) => isPrefix(touched, keys) || isPrefix(keys, touched))),
  );
}

function isPrefix(prefix: readonly string[], path: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => path[i] === segment);
}

/** The end of a message whose finding a patch may change: what kubewire could not follow, and how to check it. */
export function patchNote(patch: BuildPatch, resource: Resource): string {
  const where = `${patch.kustomization.file.path}:${patch.kustomization.locate(patch.entryPath).range.line}`;
  const fields = [...new Set(patch.touches.map((t) => t.join('.')))].slice(0, 3).join(', ');
  const folder = path.dirname(patch.kustomization.file.path);
  return ` This is a warning, not an error: a kustomize patch (${where}) changes ${fields || 'this object'} of ${resource.kind} "${resource.name}" in the builds that include it, and kubewire checks objects as written, before patches. Lint the built output (\`kustomize build ${folder} | kubewire -\`) to check it.`;
}
