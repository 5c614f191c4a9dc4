import path from 'node:path';
import type { KubewireOptions } from '../api/kubewire.js';
import type { RuleConfig } from '../engine/rule-config.js';
import type { RuleModule } from '../engine/rule.js';
import { allRules } from '../rules/index.js';
import { findConfigFile } from './discover.js';
import { loadConfigFile } from './load.js';
import { layerRules, type RuleOverride } from './overrides.js';
import { PRESETS, type PresetName } from './presets.js';
import type { ConfigFileData } from './schema.js';

/** What a host knows before a run: where it runs, which config file (if any), and its own input. */
export interface HostSettings {
  /** The run's working directory: reports name files relative to it, flags' paths are resolved against it. */
  cwd: string;
  /** Where the search for a config file starts (the Action's working-directory). Default: `cwd`. */
  searchFrom?: string;
  /** A config file named by the user (`--config`, the Action's `config` input), relative to `cwd`. */
  configFile?: string;
  /** Read no config file (`--no-config`). */
  noConfig?: boolean;
  /** What the host's own input sets (flags, action inputs): it wins over the config file. */
  flags?: KubewireOptions;
}

export interface ResolvedSettings {
  options: KubewireOptions;
  /** The config file read, absolute, or undefined when none was. */
  configFile: string | undefined;
  /** Its contents, as validated. */
  config: ConfigFileData | undefined;
}

/**
 * The one place where a host's input becomes a run: the config file (found from the working directory up, or
 * named), then the host's flags over it. The command line, the GitHub Action and (through the command line) the
 * pre-commit hook all call this, so the same settings give the same run everywhere. Throws a ConfigError for a
 * config file with mistakes.
 *
 * Precedence, as ESLint's: presets (`extends`), then the file's `rules`, then its `overrides` for the files they
 * name, then the flags' rules; scalar flags (`--namespace`, `--kubernetes-version`) replace the file's settings,
 * list flags (`--ignore-pattern`) add to them. Globs in the file are relative to the file's folder.
 */
export function resolveOptions(settings: HostSettings, rules: readonly RuleModule[] = allRules): ResolvedSettings {
  const flags = settings.flags ?? {};
  const configFile = settings.noConfig
    ? undefined
    : settings.configFile !== undefined
      ? path.resolve(settings.cwd, settings.configFile)
      : findConfigFile(settings.searchFrom ?? settings.cwd, settings.cwd);
  if (configFile === undefined) return { options: { cwd: settings.cwd, ...flags }, configFile: undefined, config: undefined };

  const { data } = loadConfigFile(configFile, settings.cwd, rules);
  const folder = path.dirname(configFile);
  const inFolder = (glob: string) => `${escapeFolder(folder)}/${glob.replace(/^\.\//, '')}`;
  let fileRules: Record<string, RuleConfig> = {};
  for (const preset of [data.extends ?? []].flat() as PresetName[]) fileRules = layerRules(fileRules, PRESETS[preset](rules));
  fileRules = layerRules(fileRules, data.rules ?? {});
  const overrides: RuleOverride[] = [
    ...(data.overrides ?? []).map((o) => ({ files: o.files, basePath: folder, rules: o.rules })),
    ...(flags.rules && Object.keys(flags.rules).length > 0 ? [{ rules: flags.rules }] : []),
    ...(flags.overrides ?? []),
  ];
  const namespace = flags.namespace ?? data.namespace;
  const kubernetesVersion = flags.kubernetesVersion ?? data.kubernetesVersion;
  const reportUnused = flags.reportUnusedDisableDirectives ?? data.reportUnusedDisableDirectives;
  const ignorePatterns = [...(data.ignore ?? []).map(inFolder), ...(flags.ignorePatterns ?? [])];
  // `--context` (or `--no-context`, an empty list) replaces the file's context: flags win.
  const context = flags.context ?? (data.context ?? []).map(inFolder);
  const externalPods = [
    ...(data.externalPods ?? []).map(({ labels, namespace: ns }) => ({ labels, ...(ns !== undefined ? { namespace: ns } : {}) })),
    ...(flags.externalPods ?? []),
  ];
  const options: KubewireOptions = {
    ...flags,
    cwd: settings.cwd,
    rules: fileRules,
    ...(overrides.length > 0 ? { overrides } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    ...(kubernetesVersion !== undefined ? { kubernetesVersion } : {}),
    ...(reportUnused !== undefined ? { reportUnusedDisableDirectives: reportUnused } : {}),
    ...(ignorePatterns.length > 0 ? { ignorePatterns } : {}),
    ...(flags.context !== undefined || context.length > 0 ? { context } : {}),
    ...(externalPods.length > 0 ? { externalPods } : {}),
  };
  return { options, configFile, config: data };
}

/**
 * The config file's folder as the start of a glob, its glob syntax escaped with backslashes as fast-glob's
 * escapePath does (`()*?[]{}|` and backslashes; `!` at the start; `!`, `+` and `@` before `(`), without
 * loading fast-glob for it: a run over named files never needs fast-glob otherwise.
 */
function escapeFolder(folder: string): string {
  return folder
    .split(path.sep)
    .join('/')
    .replace(/[()*?[\]{}|\\]|^!|[!+@](?=\()/g, (c) => `\\${c}`);
}
