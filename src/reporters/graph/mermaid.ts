import type { Wiring } from '../../model/wiring.js';
import { escapeControl } from '../escape.js';
import { foldedNote, groupTitle, wiringView, type ViewLimits, type ViewNodeStyle } from './view.js';

/**
 * The wiring as a Mermaid flowchart (what GitHub renders in Markdown, the job summary included): one subgraph
 * per namespace, nodes labelled kind/name, edges labelled with the resolved ports; broken edges thick and red,
 * uncertain ones dotted and amber, so the colour is not the only sign.
 *
 * Every label is a quoted string whose characters outside a small safe set are written as Mermaid entity codes
 * (`#60;` for `<`): no name from a manifest can end the string, start a statement, inject HTML or a Markdown
 * string, or break the diagram. Ids (`n0`, `g0`) never come from manifests.
 */
export function mermaidWiring(wiring: Wiring, limits?: ViewLimits): string {
  const view = wiringView(wiring, limits);
  const lines: string[] = [];
  if (view.folded) {
    // A title (front matter, shown above the chart) so the reader knows the diagram is not the whole wiring; it
    // holds only numbers and words of ours.
    lines.push('---', `title: ${foldedNote(view.folded)}`, '---');
  }
  lines.push('flowchart LR');
  view.groups.forEach((group, i) => {
    const nodes = group.nodes.map((n) => `${n.id}${shape(n.style, mermaidText(n.label))}`);
    if (group.namespace === '' && view.groups.length === 1) {
      lines.push(...nodes.map((n) => `  ${n}`));
      return;
    }
    // A subgraph lays itself out top to bottom unless told otherwise, whatever the chart's direction.
    lines.push(
      `  subgraph g${i}[${mermaidText(groupTitle(group.namespace))}]`,
      '    direction LR',
      ...nodes.map((n) => `    ${n}`),
      '  end',
    );
  });
  const broken: number[] = [];
  const uncertain: number[] = [];
  view.edges.forEach((edge, i) => {
    const arrow = edge.state === 'broken' ? '==>' : edge.state === 'warning' ? '-.->' : '-->';
    lines.push(`  ${edge.from} ${arrow}|${mermaidText(edge.label)}| ${edge.to}`);
    if (edge.state === 'broken') broken.push(i);
    if (edge.state === 'warning') uncertain.push(i);
  });
  if (broken.length > 0) lines.push(`  linkStyle ${broken.join(',')} stroke:${RED},stroke-width:3px,color:${RED}`);
  if (uncertain.length > 0) lines.push(`  linkStyle ${uncertain.join(',')} stroke:${AMBER},color:${AMBER}`);
  const styled = (style: ViewNodeStyle) =>
    view.groups
      .flatMap((g) => g.nodes)
      .filter((n) => n.style === style)
      .map((n) => n.id);
  for (const [style, css] of NODE_CLASSES) {
    const ids = styled(style);
    if (ids.length === 0) continue;
    lines.push(`  classDef ${style} ${css}`, `  class ${ids.join(',')} ${style}`);
  }
  return `${lines.join('\n')}\n`;
}

const RED = '#d1242f';
const AMBER = '#9a6700';

const NODE_CLASSES: readonly (readonly [ViewNodeStyle, string])[] = [
  ['missing', `stroke:${RED},stroke-width:2px,stroke-dasharray:5 3,color:${RED}`],
  ['no-pods', `stroke:${RED},stroke-width:2px,stroke-dasharray:5 3,color:${RED}`],
  ['external', 'stroke-dasharray:2 2'],
  ['summary', 'stroke-dasharray:2 2'],
];

function shape(style: ViewNodeStyle, text: string): string {
  // Stadium for what is not an object of the input; a box for objects.
  return style === 'resource' ? `[${text}]` : `([${text}])`;
}

/** Characters Mermaid reads as themselves inside a quoted label; everything else becomes an entity code. */
const SAFE = /[A-Za-z0-9 ._\-/:,=+*()→✗–×]/u;

/** A quoted Mermaid label that shows `text` exactly, control characters made visible (`\n`). */
export function mermaidText(text: string): string {
  let out = '';
  for (const ch of escapeControl(text)) out += SAFE.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  return `"${out}"`;
}
