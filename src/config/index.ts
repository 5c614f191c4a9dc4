/**
 * kubewire's config file and the one way a host turns its input into a run: `resolveOptions` (discovery from
 * the working directory up, loading with positions, validation, presets, overrides, flags over the file).
 */
export { resolveOptions, type HostSettings, type ResolvedSettings } from './resolve.js';
export { findConfigFile, CONFIG_FILE_NAMES } from './discover.js';
export { loadConfigFile, ConfigError, formatConfigProblem, type ConfigProblem, type LoadedConfig } from './load.js';
export { configSchema, CONFIG_SCHEMA_URL, CONFIG_SCHEMA_PATH, type ConfigFileData } from './schema.js';
export { PRESETS, PRESET_NAMES, type PresetName } from './presets.js';
export { layerRules, RuleConfigByFile, type RuleOverride } from './overrides.js';
export { printConfig } from './print-config.js';
