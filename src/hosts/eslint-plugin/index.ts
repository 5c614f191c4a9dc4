/**
 * `kubewire/eslint-plugin`: kubewire in ESLint 9 and 10 (flat config), and so in every editor that runs ESLint.
 *
 *   import kubewire from 'kubewire/eslint-plugin';
 *   export default [kubewire.configs.recommended];
 *
 * A thin shell over the `Kubewire` API, as the command line is: the language hands ESLint the file and its `#`
 * comments, and each `kubewire/<id>` rule reports what the engine finds for that rule.
 */
import { VERSION } from '../../version.js';
import type { EslintRule } from './eslint-types.js';
import { manifestLanguage } from './language.js';
import { LANGUAGE_ID, LANGUAGE_KEY, PLUGIN_NAME } from './names.js';
import { recommendedRules, rules } from './rules.js';
import { manifestsFingerprint } from './manifests-fingerprint.js';
import { manifestProcessor } from './severity.js';

export type { KubewireEslintSettings } from './settings.js';

export interface KubewireEslintConfig {
  name: string;
  files: string[];
  plugins: Record<string, KubewireEslintPlugin>;
  language: string;
  processor: string;
  rules: Record<string, 'warn' | 'error'>;
  settings?: Record<string, unknown>;
}

export interface KubewireEslintPlugin {
  meta: { name: string; version: string; namespace: string };
  languages: Record<string, typeof manifestLanguage>;
  rules: Record<string, EslintRule>;
  processors: Record<string, typeof manifestProcessor>;
  configs: { recommended: KubewireEslintConfig };
}

const plugin: KubewireEslintPlugin = {
  // ESLint's cache key includes the plugin's name and version, so a kubewire upgrade relints every file.
  meta: { name: 'kubewire', version: VERSION, namespace: PLUGIN_NAME },
  languages: { [LANGUAGE_KEY]: manifestLanguage },
  rules,
  processors: { manifest: manifestProcessor },
  configs: {} as KubewireEslintPlugin['configs'],
};

function recommended(): KubewireEslintConfig {
  const fingerprint = manifestsFingerprint(process.cwd());
  return {
    name: 'kubewire/recommended',
    // JSON is left out: a repository's other .json files (package.json, tsconfig.json with comments) are not
    // manifests, and a file has one language, so taking them would displace @eslint/json. JSON manifests are
    // still read as context; to lint them too, add a block with their folder (README, "In the editor").
    files: ['**/*.yaml', '**/*.yml'],
    plugins: { [PLUGIN_NAME]: plugin },
    language: LANGUAGE_ID,
    // Findings kubewire itself reports as warnings stay warnings (severity.ts).
    processor: `${PLUGIN_NAME}/manifest`,
    rules: recommendedRules,
    // --cache: a manifest changed anywhere in the repository relints every manifest (manifests-fingerprint.ts).
    ...(fingerprint ? { settings: { kubewireManifests: fingerprint } } : {}),
  };
}

// Read when the config file is loaded (once per ESLint run and thread), so the fingerprint is that run's.
Object.defineProperty(plugin.configs, 'recommended', { get: recommended, enumerable: true });

export default plugin;
