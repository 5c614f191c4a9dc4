import type { Wiring } from '../../model/wiring.js';
import { escapeControl } from '../escape.js';
import { foldedNote, groupTitle, wiringView, type ViewLimits, type ViewNodeStyle } from './view.js';

/**
 * The wiring as Graphviz DOT (`kubewire graph --format dot | dot -Tsvg`): one cluster per namespace, nodes
 * labelled kind/name, edges labelled with the resolved ports; broken edges red and bold, uncertain ones dashed
 * and amber. Labels are double-quoted DOT strings with `"` and `\` escaped (so `\N`, `\G` and `\l` from a
 * manifest stay text) and `&` written as `&amp;` (Graphviz reads HTML entities in labels); ids never come from
 * manifests.
 */
export function dotWiring(wiring: Wiring, limits?: ViewLimits): string {
  const view = wiringView(wiring, limits);
  const lines = [
    'digraph wiring {',
    '  rankdir=LR;',
    '  node [shape=box, fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  if (view.folded) {
    lines.push(`  label=${dotText(foldedNote(view.folded))};`, '  labelloc=t;');
  }
  view.groups.forEach((group, i) => {
    const nodes = group.nodes.map((n) => `${n.id} [label=${dotText(n.label)}${NODE_ATTRIBUTES[n.style]}];`);
    if (group.namespace === '' && view.groups.length === 1) {
      lines.push(...nodes.map((n) => `  ${n}`));
      return;
    }
    lines.push(`  subgraph cluster_${i} {`, `    label=${dotText(groupTitle(group.namespace))};`, ...nodes.map((n) => `    ${n}`), '  }');
  });
  for (const edge of view.edges) {
    lines.push(`  ${edge.from} -> ${edge.to} [label=${dotText(edge.label)}${EDGE_ATTRIBUTES[edge.state]}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

const RED = '"#d1242f"';
const AMBER = '"#9a6700"';

const NODE_ATTRIBUTES: Readonly<Record<ViewNodeStyle, string>> = {
  resource: '',
  missing: `, style="dashed,rounded", color=${RED}, fontcolor=${RED}`,
  'no-pods': `, style="dashed,rounded", color=${RED}, fontcolor=${RED}`,
  external: ', style="dashed,rounded"',
  summary: ', style="dotted,rounded"',
};

const EDGE_ATTRIBUTES = {
  ok: '',
  warning: `, style=dashed, color=${AMBER}, fontcolor=${AMBER}`,
  broken: `, color=${RED}, fontcolor=${RED}, penwidth=2.5`,
} as const;

/** A double-quoted DOT string that Graphviz shows as `text`, control characters made visible (`\n`). */
export function dotText(text: string): string {
  return `"${escapeControl(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/&/g, '&amp;')}"`;
}
