import path from 'node:path';
import type { ResourceGraph } from '../graph.js';
import type { Resource } from '../objects/resource.js';

/**
 * Which resources of the input are applied to a cluster together. kubewire lints a whole tree at once, but a
 * tree is not always one release: kustomize overlays are built and applied one at a time, and a repository of
 * examples or of several apps holds folders that are never applied together. Cross-resource rules use this to
 * tell "these two collide" from "these two never meet".
 */

/**
 * False when both objects come from kustomize builds and no build includes both: each build is applied on its
 * own (`kubectl apply -k overlays/dev`), so the two never meet.
 */
export function appliedTogether(graph: ResourceGraph, a: Resource, b: Resource): boolean {
  if (a === b) return true;
  const inBuild = (r: Resource) => graph.kustomize.buildsOf(fileOf(r)).size > 0;
  return !inBuild(a) || !inBuild(b) || shareABuild(graph, a, b);
}

/** True when both are written in the same folder (or file, or both come from standard input). */
export function inSameFolder(a: Resource, b: Resource): boolean {
  return path.resolve(path.dirname(fileOf(a))) === path.resolve(path.dirname(fileOf(b)));
}

/**
 * Steps between the folders of two files in the directory tree (0: same folder; `a/x` and `a/y`: 2). The
 * nearer of two workloads is the likelier to be meant by a Service.
 */
export function folderDistance(a: Resource, b: Resource): number {
  const partsA = folderParts(fileOf(a));
  const partsB = folderParts(fileOf(b));
  let common = 0;
  while (common < partsA.length && common < partsB.length && partsA[common] === partsB[common]) common++;
  return partsA.length - common + (partsB.length - common);
}

/**
 * True when the two are written in one part of the tree: one's folder holds the other's (the same folder, a
 * folder above or below it), or one kustomize build includes both. A repository of examples or of several apps
 * keeps each in its own folder, so an object in a sibling folder (`examples/a/` and `examples/b/`) belongs to
 * another app; whether a reference's target is missing is only known from the targets near the reference.
 */
export function inSameSubtree(graph: ResourceGraph, a: Resource, b: Resource): boolean {
  return filesInSameSubtree(graph, fileOf(a), fileOf(b));
}

/** inSameSubtree for two files (cross-file context: whether a linted file takes part in a finding elsewhere). */
export function filesInSameSubtree(graph: ResourceGraph, a: string, b: string): boolean {
  if (a === b || filesShareABuild(graph, a, b)) return true;
  const partsA = folderParts(a);
  const partsB = folderParts(b);
  const shorter = partsA.length <= partsB.length ? partsA : partsB;
  const longer = shorter === partsA ? partsB : partsA;
  return shorter.every((part, i) => longer[i] === part);
}

/**
 * Files below the working directory are named relative to it, files outside it (cross-file context above a
 * subfolder: `kubewire deploy.yaml` in apps/web/ of a repository) absolutely: resolved, both compare.
 */
function folderParts(file: string): string[] {
  return path.resolve(path.dirname(file)).split(path.sep).filter((p) => p !== '');
}

function fileOf(resource: Resource): string {
  return resource.document.file.path;
}

/**
 * Of several definitions of one object (a Service "nginx" written in two examples of one repository), the one a
 * reference from `from` most likely means: one applied together with it, in the same file, else in the nearest
 * folder; among equals the last one, which wins on `kubectl apply`. A StatefulSet checked against the copy of
 * its Service that another example wrote would be reported for that example's labels.
 */
export function nearestDefinition(graph: ResourceGraph, from: Resource, definitions: readonly Resource[]): Resource | undefined {
  const together = definitions.filter((d) => appliedTogether(graph, from, d));
  const candidates = together.length > 0 ? together : definitions;
  let best: Resource | undefined;
  let bestRank = Infinity;
  for (const definition of candidates) {
    const rank = fileOf(definition) === fileOf(from) ? -1 : folderDistance(from, definition);
    if (rank <= bestRank) {
      best = definition;
      bestRank = rank;
    }
  }
  return best;
}

/**
 * True when nothing but a deliberate split could keep the two apart: the same file (`kubectl apply -f file`
 * sends both), or the same kustomize build (which refuses the pair outright).
 */
export function surelyAppliedTogether(graph: ResourceGraph, a: Resource, b: Resource): boolean {
  return fileOf(a) === fileOf(b) || shareABuild(graph, a, b);
}

/** True when one kustomize build of the input includes both files. */
export function shareABuild(graph: ResourceGraph, a: Resource, b: Resource): boolean {
  return filesShareABuild(graph, fileOf(a), fileOf(b));
}

function filesShareABuild(graph: ResourceGraph, a: string, b: string): boolean {
  const buildsOfB = graph.kustomize.buildsOf(b);
  return [...graph.kustomize.buildsOf(a)].some((build) => buildsOfB.has(build));
}
