import type { Wiring, WiringEdge, WiringEdgeState, WiringNode } from '../../model/wiring.js';

/**
 * What a wiring diagram shows, before it is written as Mermaid or DOT: nodes grouped by namespace, with their
 * labels, and the edges between them. Both renderers draw the same view, so they cap the same way.
 *
 * A diagram of a whole platform repository is unreadable long before it is too big to render, and GitHub
 * refuses a job summary over 1 MiB (and its Mermaid renders at most 500 edges): past `maxNodes` nodes or
 * `maxEdges` edges, every namespace is folded into one node that counts its objects, and only the broken and
 * uncertain edges are drawn with their ends, as many as fit: what a reviewer has to look at.
 */
export interface WiringView {
  readonly groups: readonly ViewGroup[];
  readonly edges: readonly ViewEdge[];
  /** Set when the wiring was too big to draw whole. */
  readonly folded?: { readonly nodes: number; readonly edges: number; readonly problemEdgesLeftOut: number };
}

export interface ViewGroup {
  /** '' holds what has no namespace (cluster-scoped objects, external DNS names). */
  readonly namespace: string;
  readonly nodes: readonly ViewNode[];
}

export type ViewNodeStyle = 'resource' | 'missing' | 'no-pods' | 'external' | 'summary';

export interface ViewNode {
  /** `n0`, `n1`...: never text from a manifest. */
  readonly id: string;
  /** Untrusted text: renderers escape it. */
  readonly label: string;
  readonly style: ViewNodeStyle;
}

export interface ViewEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly state: WiringEdgeState;
}

export interface ViewLimits {
  readonly maxNodes: number;
  readonly maxEdges: number;
}

export const DEFAULT_VIEW_LIMITS: ViewLimits = { maxNodes: 150, maxEdges: 300 };

export function wiringView(wiring: Wiring, limits: ViewLimits = DEFAULT_VIEW_LIMITS): WiringView {
  if (wiring.nodes.length <= limits.maxNodes && wiring.edges.length <= limits.maxEdges) {
    return draw(wiring.nodes, wiring.edges, new Map());
  }
  return foldedView(wiring, limits);
}

function foldedView(wiring: Wiring, limits: ViewLimits): WiringView {
  const namespaces = [...new Set(wiring.nodes.map((n) => n.namespace))];
  const kept = new Set<string>();
  const edges: WiringEdge[] = [];
  // The namespace summaries take their places first; broken edges before uncertain ones.
  const budget = limits.maxNodes - Math.min(namespaces.length, limits.maxNodes);
  const problems = wiring.edges.filter((e) => e.state !== 'ok').sort((a, b) => rank(b.state) - rank(a.state));
  for (const edge of problems) {
    const added = [edge.from, edge.to].filter((id) => !kept.has(id));
    if (edges.length >= limits.maxEdges || kept.size + added.length > budget) break;
    for (const id of added) kept.add(id);
    edges.push(edge);
  }
  const shown = wiring.nodes.filter((n) => kept.has(n.id));
  const summaries = new Map<string, string>();
  for (const namespace of namespaces.slice(0, limits.maxNodes)) {
    const rest = wiring.nodes.filter((n) => n.namespace === namespace && !kept.has(n.id) && n.role === 'resource');
    if (rest.length > 0) summaries.set(namespace, `${shown.some((n) => n.namespace === namespace) ? 'and ' : ''}${countByKind(rest)}`);
  }
  const view = draw(shown, edges, summaries);
  return {
    ...view,
    folded: { nodes: wiring.nodes.length, edges: wiring.edges.length, problemEdgesLeftOut: problems.length - edges.length },
  };
}

function draw(nodes: readonly WiringNode[], edges: readonly WiringEdge[], summaries: ReadonlyMap<string, string>): WiringView {
  const ids = new Map<string, string>();
  const groups = new Map<string, ViewNode[]>();
  const group = (namespace: string) => {
    let found = groups.get(namespace);
    if (!found) groups.set(namespace, (found = []));
    return found;
  };
  for (const node of nodes) {
    const id = `n${ids.size}`;
    ids.set(node.id, id);
    group(node.role === 'external' ? '' : node.namespace).push({ id, label: labelOf(node), style: node.role });
  }
  let summary = 0;
  for (const [namespace, text] of summaries) group(namespace).push({ id: `s${summary++}`, label: text, style: 'summary' });
  return {
    groups: [...groups].map(([namespace, members]) => ({ namespace, nodes: members })),
    edges: edges.map((e) => ({ from: ids.get(e.from)!, to: ids.get(e.to)!, label: e.label, state: e.state })),
  };
}

function labelOf(node: WiringNode): string {
  switch (node.role) {
    case 'missing':
      return `${node.kind}/${node.name} (not found)`;
    case 'no-pods':
      return 'no matching pods';
    case 'external':
      return `DNS ${node.name}`;
    default:
      return `${node.kind}/${node.name}`;
  }
}

/** `Deployment ×5, Service ×3, Ingress ×1`, largest first (kinds are not pluralised: `Endpoints`, `Ingress`). */
function countByKind(nodes: readonly WiringNode[]): string {
  const counts = new Map<string, number>();
  for (const node of nodes) counts.set(node.kind, (counts.get(node.kind) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([kind, n]) => `${kind} ×${n}`)
    .join(', ');
}

function rank(state: WiringEdgeState): number {
  return state === 'broken' ? 2 : state === 'warning' ? 1 : 0;
}

/** How a namespace group is titled. */
export function groupTitle(namespace: string): string {
  return namespace === '' ? 'outside namespaces' : `namespace ${namespace}`;
}

/** Said above a folded diagram, so that nobody takes it for the whole wiring. Numbers and our words only. */
export function foldedNote(folded: NonNullable<WiringView['folded']>): string {
  const left = folded.problemEdgesLeftOut > 0 ? `, ${folded.problemEdgesLeftOut} more left out` : '';
  return `${folded.nodes} nodes and ${folded.edges} edges are too many to draw - namespaces folded, broken and uncertain edges shown${left}`;
}
