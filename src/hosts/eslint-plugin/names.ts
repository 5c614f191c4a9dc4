/** The name the plugin is registered under in `plugins`, and so the prefix of its rule ids. */
export const PLUGIN_NAME = 'kubewire';

/** `language: 'kubewire/yaml'` in a config block: the plugin's name and the key in its `languages`. */
export const LANGUAGE_KEY = 'yaml';
export const LANGUAGE_ID = `${PLUGIN_NAME}/${LANGUAGE_KEY}`;
