import { UNSURE_OPTION, type RuleConfig } from '../engine/rule-config.js';
import type { RuleModule } from '../engine/rule.js';

/**
 * The presets a config file can `extend`, made from the rules' meta (so a new rule is in each preset on the day it
 * lands):
 * - `kubewire:recommended`: every rule at its default severity (`kubewire rules` lists them), unsure findings
 *   warnings: what kubewire does with no configuration;
 * - `kubewire:strict`: every rule an error; findings a rule is unsure of stay warnings;
 * - `kubewire:all`: every finding an error, unsure ones included (`["error", { "unsure": "error" }]`).
 */
export const PRESETS = {
  'kubewire:recommended': (rules) => Object.fromEntries(rules.map((r) => [r.name, r.meta.defaultSeverity])),
  'kubewire:strict': (rules) => Object.fromEntries(rules.map((r) => [r.name, 'error'])),
  'kubewire:all': (rules) => Object.fromEntries(rules.map((r) => [r.name, ['error', { [UNSURE_OPTION]: 'error' }]])),
} as const satisfies Record<string, (rules: readonly RuleModule[]) => Record<string, RuleConfig>>;

export type PresetName = keyof typeof PRESETS;

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}
