import type { Wiring } from '../../model/wiring.js';
import { dotWiring } from './dot.js';
import { mermaidWiring } from './mermaid.js';
import type { ViewLimits } from './view.js';

/** `kubewire graph --format <name>`: the formats the wiring diagram is written in. */
export const GRAPH_FORMATS = ['mermaid', 'dot'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export function isGraphFormat(name: string): name is GraphFormat {
  return (GRAPH_FORMATS as readonly string[]).includes(name);
}

export function formatWiring(format: GraphFormat, wiring: Wiring, limits?: ViewLimits): string {
  return format === 'dot' ? dotWiring(wiring, limits) : mermaidWiring(wiring, limits);
}
