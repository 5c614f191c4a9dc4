import { parseRelease } from '../../model/schema/kubernetes-api.js';
import { PLUGIN_NAME } from './names.js';

/** `settings.kubewire` of an ESLint config: the engine options that are not per rule. */
export interface KubewireEslintSettings {
  /**
   * Globs (relative to ESLint's working directory) of the files whose objects feed the graph, so that a Service is
   * judged with the Deployment of another file. Default: the repository the linted file is in (the nearest folder
   * with a `.git`).
   */
  context?: string[];
  /** Namespace of objects that name none, as `kubewire --namespace` (default `default`). */
  namespace?: string;
  /** The Kubernetes release objects are checked against, as `kubewire --kubernetes-version`. */
  kubernetesVersion?: string;
}

const KNOWN = ['context', 'namespace', 'kubernetesVersion'] as const;

/** Reads `settings.kubewire`; an unknown key or a wrong type is an error that names the setting and what is allowed. */
export function settingsOf(settings: Readonly<Record<string, unknown>>): KubewireEslintSettings {
  const own = settings[PLUGIN_NAME];
  if (own === undefined) return {};
  if (typeof own !== 'object' || own === null || Array.isArray(own)) {
    throw new TypeError(`settings.${PLUGIN_NAME} must be an object with ${KNOWN.join(', ')}; got ${JSON.stringify(own)}`);
  }
  const result: KubewireEslintSettings = {};
  for (const [key, value] of Object.entries(own)) {
    if (!(KNOWN as readonly string[]).includes(key)) {
      throw new TypeError(`settings.${PLUGIN_NAME}.${key} is not a kubewire setting; the settings are ${KNOWN.join(', ')}`);
    }
    if (key === 'context') {
      if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v !== '')) {
        throw new TypeError(
          `settings.${PLUGIN_NAME}.context must be a list of globs, such as ["deploy/**/*.yaml"]; got ${JSON.stringify(value)}`,
        );
      }
      result.context = value as string[];
      continue;
    }
    if (typeof value !== 'string') throw new TypeError(`settings.${PLUGIN_NAME}.${key} must be a string; got ${JSON.stringify(value)}`);
    if (key === 'kubernetesVersion') {
      const release = parseRelease(value);
      if ('problem' in release) throw new TypeError(`settings.${PLUGIN_NAME}.kubernetesVersion: ${release.problem}`);
    }
    result[key as 'namespace' | 'kubernetesVersion'] = value;
  }
  return result;
}
