import type { Kubewire } from '../api/kubewire.js';
import { displayPath } from '../loader/read-inputs.js';
import { knownReleases, releaseName } from '../model/schema/kubernetes-api.js';
import type { ResolvedSettings } from './resolve.js';

/**
 * `kubewire --print-config <file>`: the settings a run would use for one file, defaults filled in, as JSON
 * (ESLint's --print-config): the config file read, the run-wide settings, and every rule as the file gets it.
 */
export function printConfig(settings: ResolvedSettings, kubewire: Kubewire, filePath: string): string {
  const { options } = settings;
  const cwd = kubewire.cwd;
  const releases = knownReleases();
  const effective = {
    configFile: settings.configFile !== undefined ? displayPath(settings.configFile, cwd) : null,
    filePath,
    namespace: options.namespace ?? 'default',
    kubernetesVersion: options.kubernetesVersion ?? releaseName(releases[releases.length - 1]!),
    ignorePatterns: options.ignorePatterns ?? [],
    context: options.context ?? [],
    externalPods: options.externalPods ?? [],
    reportUnusedDisableDirectives: options.reportUnusedDisableDirectives ?? 'warn',
    rules: kubewire.calculateConfigForFile(filePath).rules,
  };
  return `${JSON.stringify(effective, null, 2)}\n`;
}
