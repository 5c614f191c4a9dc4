import path from 'node:path';
import type { ExternalPods, ResourceGraph } from '../graph.js';
import { identityIsPlaceholder } from '../objects/placeholders.js';
import type { Resource } from '../objects/resource.js';
import { getIn } from '../objects/values.js';
import { runsToCompletion } from '../pods/pod-template.js';
import { matchesLabels, type Selector } from '../pods/selector.js';
import type { NearMiss } from './near-miss.js';
import { inSameSubtree, shareABuild } from './apply-scope.js';
import { likelyCreatorByName } from './hints.js';

/**
 * Is this absence evidence of a mistake?
 *
 * A reference (an Ingress backend, an HPA's scaleTargetRef, a StatefulSet's serviceName) names an object the
 * input does not define. That alone proves nothing: the object may come from `kubectl run`, a Helm install, an
 * operator, or another repository, and a tree of unrelated apps says nothing about which of them are complete.
 * kubewire calls it a mistake (an error) only on positive evidence from the input:
 *
 * - a **meant** object: one the reference was surely written for, in the referrer's part of the tree, whose name
 *   is a typo of the reference and whose content confirms it (the close-named Service serves the port the
 *   Ingress asks for; the close-named Deployment is the one the HPA is named after; the close-named Service is
 *   headless and selects the StatefulSet's pods). A similar name alone is a hint, never evidence:
 *   `orders-db-postgresql` is what a chart names the Service of a release `orders-db`, not a typo of it;
 * - the exact name on **another kind** the reference could mean (an HPA with `kind: Deployment` naming a
 *   StatefulSet), in the referrer's part of the tree;
 * - the exact name in **another namespace**, applied together with the referrer (one file, one kustomize build,
 *   one folder).
 *
 * Everything else is unsure: a warning that says what kubewire could not see, or silence. Every reference rule
 * asks here, so that the same absence gets the same verdict whichever rule meets it.
 */
export type AbsenceVerdict =
  | { readonly kind: 'mistake'; readonly evidence: MistakeEvidence }
  | { readonly kind: 'unsure'; readonly reason: UnsureReason; readonly similar?: Resource; readonly elsewhere?: Resource };

export type MistakeEvidence =
  | { readonly kind: 'meant'; readonly candidate: Resource; readonly why: string }
  | { readonly kind: 'other-kind'; readonly candidate: Resource }
  | { readonly kind: 'other-namespace'; readonly candidate: Resource };

export type UnsureReason =
  /** The input has no object of the kind in the namespace: nothing to check against. */
  | { readonly kind: 'none-in-namespace' }
  /** Objects of the kind exist in the namespace, but none is defined with the referrer: another app's. */
  | { readonly kind: 'not-with-referrer' }
  /** Objects of the kind exist with the referrer, but none is the one meant: it may come from elsewhere. */
  | { readonly kind: 'not-in-input' }
  /** A custom resource in the namespace whose operator probably creates the object. */
  | { readonly kind: 'operator'; readonly operator: Resource }
  /** Objects of the kind in the namespace are named by placeholders: any of them may be the one. */
  | { readonly kind: 'placeholder-names' };

export interface MissingReference {
  /** The resource that holds the reference. */
  readonly from: Resource;
  /** Kind keys (as ResourceGraph.ofKind takes them) the reference means. */
  readonly kindKeys: readonly string[];
  /** Other kind keys that a wrong `kind:` could have meant (HPA: the other scalable kinds). */
  readonly otherKindKeys?: readonly string[];
  readonly namespace: string;
  readonly name: string;
  /**
   * Why a candidate is the object the reference was written for, judged on its content (the port it serves,
   * the pods it selects), or undefined when its content does not confirm it.
   */
  readonly confirms: (candidate: Resource) => string | undefined;
}

export function judgeAbsence(graph: ResourceGraph, reference: MissingReference): AbsenceVerdict {
  const { from, namespace, name } = reference;
  const ofKinds = (keys: readonly string[]) => keys.flatMap((k) => graph.ofKind(k));
  const all = ofKinds(reference.kindKeys);
  const sameNamespace = all.filter((r) => r.namespace === namespace);

  const otherKind = ofKinds(reference.otherKindKeys ?? []).find(
    (r) => r.namespace === namespace && r.name === name && nearReferrer(graph, from, r),
  );
  if (otherKind) return { kind: 'mistake', evidence: { kind: 'other-kind', candidate: otherKind } };

  const elsewhere = all.find((r) => r.namespace !== namespace && r.name === name && namespaceDifferenceIsEvidence(graph, from, r));
  if (elsewhere) return { kind: 'mistake', evidence: { kind: 'other-namespace', candidate: elsewhere } };

  let similar: Resource | undefined;
  for (const candidate of sameNamespace) {
    if (!candidate.name || !nearReferrer(graph, from, candidate)) continue;
    // A name that adds or drops whole words (`orders-db` for `orders-db-postgresql`, `web` for `web-svc`) is how
    // teams and charts name related objects: a hint below, never evidence, whatever the content says.
    if (!isTypo(name, candidate.name)) continue;
    const why = reference.confirms(candidate);
    if (why) return { kind: 'mistake', evidence: { kind: 'meant', candidate, why } };
    similar ??= candidate;
  }
  similar ??= sameNamespace.find((r) => r.name && r.name !== name && (isTypo(name, r.name) || addsOrDropsWords(name, r.name)));
  const inOtherNamespace = all.find((r) => r.namespace !== namespace && r.name === name);
  const hints = { ...(similar ? { similar } : {}), ...(inOtherNamespace ? { elsewhere: inOtherNamespace } : {}) };

  const operator = likelyCreatorByName(graph, namespace, name);
  if (operator) return { kind: 'unsure', reason: { kind: 'operator', operator }, ...hints };
  if (sameNamespace.some(identityIsPlaceholder)) return { kind: 'unsure', reason: { kind: 'placeholder-names' }, ...hints };
  if (sameNamespace.length === 0) return { kind: 'unsure', reason: { kind: 'none-in-namespace' }, ...hints };
  if (!sameNamespace.some((r) => appliedAsOne(graph, from, r))) return { kind: 'unsure', reason: { kind: 'not-with-referrer' }, ...hints };
  return { kind: 'unsure', reason: { kind: 'not-in-input' }, ...hints };
}

/**
 * The pods that the configuration declares as created by other systems (`externalPods`: an operator's, a chart
 * installed from elsewhere) that a selector selects in a namespace. A selector that selects only such pods
 * selects something: no absence, so no finding; and since their containers are not in the input, nothing that
 * depends on them (the ports they serve) can be checked either.
 */
export function externalPodsSelectedBy(graph: ResourceGraph, selector: Selector, namespace: string): readonly ExternalPods[] {
  const declared = graph.options.externalPods ?? [];
  if (declared.length === 0) return [];
  return declared.filter((pods) => (pods.namespace === undefined || pods.namespace === namespace) && matchesLabels(selector, pods.labels));
}

/**
 * Whether a selector that selects nothing is a mistake, judged on its near miss (near-miss.ts): a pod template
 * in the selector owner's part of the tree whose difference is itself a mistake, or of a workload the owner is
 * named after (Service `checkout`, Deployment `checkout`), or of one that no Service selects (each is what the
 * other is missing); or the exact labels in another namespace, applied together with an owner that names its
 * namespace. A resemblance elsewhere is a hint: the pods may come from a chart, an operator or another repository.
 */
export function selectorMissIsMistake(graph: ResourceGraph, owner: Resource, near: NearMiss): boolean {
  const workload = near.template.owner;
  if (near.template.namespace !== owner.namespace) return namespaceDifferenceIsEvidence(graph, owner, workload);
  const orphan = graph.servicesSelecting(near.template).length === 0 && !runsToCompletion(near.template);
  return nearReferrer(graph, owner, workload) && (near.evidence || workload.name === owner.name || orphan);
}

/**
 * True when two objects in different namespaces are surely in different namespaces once applied: applied as one,
 * `from` names its namespace (one that names none lands wherever `kubectl apply -n` puts it), and no kustomize
 * build moves either (a base shared by overlays with namespaces of their own keeps its written namespace here,
 * but after each build both are in the build's namespace).
 */
export function namespaceDifferenceIsEvidence(graph: ResourceGraph, from: Resource, other: Resource): boolean {
  const movedByBuild = (r: Resource) => graph.kustomize.namespaceSetByBuild(r.document.file.path);
  return namesItsNamespace(graph, from) && !movedByBuild(from) && !movedByBuild(other) && appliedAsOne(graph, from, other);
}

/** True when the resource's namespace is written (metadata.namespace, or its kustomization's `namespace:`). */
function namesItsNamespace(graph: ResourceGraph, resource: Resource): boolean {
  return (
    typeof getIn(resource.object, ['metadata', 'namespace']) === 'string' ||
    graph.kustomize.namespaceOf(resource.document.file.path) !== undefined
  );
}

/**
 * True when the two are applied as one: the same kustomize build, else (outside kustomize) the same file or the
 * same app folder. An app folder is the folder of the file, or its parent when the folder is named for a kind
 * (`k8s/services/`, `k8s/deployments/`): repositories that file manifests by kind apply the parent.
 */
export function appliedAsOne(graph: ResourceGraph, a: Resource, b: Resource): boolean {
  const fileA = a.document.file.path;
  const fileB = b.document.file.path;
  if (fileA === fileB) return true;
  const inBuild = (file: string) => graph.kustomize.buildsOf(file).size > 0;
  if (inBuild(fileA) || inBuild(fileB)) return shareABuild(graph, a, b);
  return appFolder(fileA) === appFolder(fileB);
}

/**
 * The referrer's part of the tree, where the object a reference was written for is looked for: its folder, the
 * folders above and below it, its kustomize build, and its app folder.
 */
export function nearReferrer(graph: ResourceGraph, from: Resource, candidate: Resource): boolean {
  return inSameSubtree(graph, from, candidate) || appliedAsOne(graph, from, candidate);
}

const KIND_FOLDERS = new Set([
  'deployment',
  'deployments',
  'deploy',
  'statefulset',
  'statefulsets',
  'daemonset',
  'daemonsets',
  'service',
  'services',
  'svc',
  'ingress',
  'ingresses',
  'hpa',
  'hpas',
  'autoscaling',
  'pdb',
  'pdbs',
  'networkpolicy',
  'networkpolicies',
  'network-policies',
  'configmap',
  'configmaps',
  'secret',
  'secrets',
  'job',
  'jobs',
  'cronjob',
  'cronjobs',
  'pod',
  'pods',
  'workloads',
  'networking',
  'rbac',
  'storage',
  'volumes',
]);

function appFolder(file: string): string {
  let folder = path.dirname(file);
  while (KIND_FOLDERS.has(path.basename(folder).toLowerCase()) && path.dirname(folder) !== folder) folder = path.dirname(folder);
  return folder;
}

/**
 * A slip of the keyboard: at most two edits (a swapped pair counts as one), or one for short names, and not the
 * insertion or removal of whole words, which is how teams name related objects on purpose (`orders-db` and
 * `orders-db-postgresql`, `shop-application-controller` and `shop-applicationset-controller` are different
 * objects).
 */
export function isTypo(wanted: string, candidate: string): boolean {
  if (wanted === candidate) return false;
  if (addsOrDropsWords(wanted, candidate)) return false;
  const distance = transpositionDistance(wanted, candidate);
  const shorter = Math.min(wanted.length, candidate.length);
  const allowed = shorter <= 4 ? 1 : 2;
  if (distance > allowed) return false;
  // Letters added to the end of a word make another word (`application` and `applicationset`), not a slip.
  const wantedWords = wordsOf(wanted);
  const candidateWords = wordsOf(candidate);
  if (wantedWords.length !== candidateWords.length) return true;
  return !wantedWords.some((w, i) => {
    const other = candidateWords[i];
    return other !== undefined && other !== w && (other.startsWith(w) || w.startsWith(other)) && Math.abs(other.length - w.length) >= 2;
  });
}

/** True when one name is the other with whole words (between `-`, `.` or `_`) added or dropped. */
export function addsOrDropsWords(a: string, b: string): boolean {
  if (a === b) return false;
  const [short, long] = a.length <= b.length ? [wordsOf(a), wordsOf(b)] : [wordsOf(b), wordsOf(a)];
  if (short.length === long.length) return false;
  let i = 0;
  for (const word of long) if (i < short.length && word === short[i]) i++;
  return i === short.length;
}

function wordsOf(name: string): string[] {
  return name.split(/[-._]/).filter((w) => w !== '');
}

/** Edit distance where swapping two neighbouring characters is one edit (optimal string alignment). */
function transpositionDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return Math.abs(a.length - b.length);
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * Why an unsure absence is only a warning, for the end of a message: what kubewire could not see. `what` names
 * the missing object (`the Service`, `the target`), `referrer` the object that names it (`the Ingress`).
 */
export function unsureBecause(
  graph: ResourceGraph,
  verdict: Extract<AbsenceVerdict, { kind: 'unsure' }>,
  from: Resource,
  what: string,
  referrer: string,
): string {
  const { reason } = verdict;
  if (verdict.elsewhere && !namesItsNamespace(graph, from)) {
    return `${referrer} names no namespace, so \`kubectl apply -n ${verdict.elsewhere.namespace}\` puts it beside ${verdict.elsewhere.kind} "${verdict.elsewhere.name}"; applied anywhere else, it finds nothing`;
  }
  switch (reason.kind) {
    case 'none-in-namespace':
      return `the input has nothing of that kind in namespace "${from.namespace}", so kubewire cannot check ${what}`;
    case 'not-with-referrer':
      return `nothing of that kind is applied with ${referrer} (its file, app folder or kustomize build), so ${what} is probably applied with another app`;
    case 'operator':
      return `${what} is probably created by the operator of ${reason.operator.kind} "${reason.operator.name}"`;
    case 'placeholder-names':
      return `objects of that kind in namespace "${from.namespace}" are named by placeholders, and ${what} may be one of them`;
    case 'not-in-input':
      return `nothing in the input shows that the name is wrong: ${what} may come from a Helm release, an operator or another repository`;
  }
}
