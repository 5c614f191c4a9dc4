import path from 'node:path';
import picomatch from 'picomatch';
import type { ResolvedRuleConfig, RuleConfig } from '../engine/rule-config.js';

/**
 * Rule settings for some files: ESLint's `files:` idea (flat config objects, and the `overrides` of its older
 * config files), e.g. `{ files: ['legacy/**'], rules: { 'service-target-port': 'warn' } }`.
 */
export interface RuleOverride {
  /**
   * Globs of the files it applies to, relative to `basePath` (`legacy/**`, `**\/*.generated.yaml`); without
   * `files` it applies to every file (the command line's `--rule` comes last as such an override, so flags win).
   */
  files?: readonly string[];
  /** The folder `files` are relative to (ESLint's `basePath`): the config file's folder. Default: the run's `cwd`. */
  basePath?: string;
  rules: Readonly<Record<string, RuleConfig>>;
}

/**
 * One rule setting laid over another, as ESLint merges config objects: a severity alone keeps the options
 * set before (`"warn"` over `["error", { "range": "20000-22767" }]` is `["warn", { "range": ... }]`).
 */
export function layerRules(
  lower: Readonly<Record<string, RuleConfig>>,
  upper: Readonly<Record<string, RuleConfig>>,
): Record<string, RuleConfig> {
  const merged: Record<string, RuleConfig> = { ...lower };
  for (const [id, value] of Object.entries(upper)) {
    const before = merged[id];
    merged[id] = !Array.isArray(value) && Array.isArray(before) ? ([value, ...before.slice(1)] as unknown as RuleConfig) : value;
  }
  return merged;
}

/**
 * The rule configuration of each file: `rules`, then every override whose `files` match it, in order. Files
 * that the same overrides match share one resolved configuration (the engine runs a rule once per distinct one).
 */
export class RuleConfigByFile {
  /** The configuration of a file that no override with `files` matches. */
  readonly base: ResolvedRuleConfig;
  /** True when some override names files, so that files can differ. */
  readonly variesByFile: boolean;
  readonly #rules: Readonly<Record<string, RuleConfig>>;
  readonly #overrides: readonly { override: RuleOverride; matches: (filePath: string) => boolean }[];
  readonly #resolve: (rules: Readonly<Record<string, RuleConfig>>) => ResolvedRuleConfig;
  readonly #byMatches = new Map<string, ResolvedRuleConfig>();
  readonly #byFile = new Map<string, ResolvedRuleConfig>();

  /** `resolve` checks and resolves one `rules` setting; it is called on each layer first, so errors come early. */
  constructor(
    cwd: string,
    rules: Readonly<Record<string, RuleConfig>>,
    overrides: readonly RuleOverride[],
    resolve: (rules: Readonly<Record<string, RuleConfig>>) => ResolvedRuleConfig,
  ) {
    this.#rules = rules;
    this.#resolve = resolve;
    resolve(rules);
    for (const override of overrides) resolve(override.rules);
    this.#overrides = overrides.map((override) => ({ override, matches: matcherOf(cwd, override) }));
    this.variesByFile = overrides.some((o) => o.files !== undefined);
    this.base = this.#layered(this.#overrides.map((o) => o.override.files === undefined));
  }

  /** The configuration of a file, by the path results name it with (relative to `cwd`, or absolute). */
  forFile(filePath: string): ResolvedRuleConfig {
    let config = this.#byFile.get(filePath);
    if (!config) {
      config = this.#layered(this.#overrides.map((o) => o.matches(filePath)));
      this.#byFile.set(filePath, config);
    }
    return config;
  }

  #layered(applies: readonly boolean[]): ResolvedRuleConfig {
    const key = applies.map((a) => (a ? '1' : '0')).join('');
    let config = this.#byMatches.get(key);
    if (!config) {
      let rules = this.#rules;
      this.#overrides.forEach((o, i) => {
        if (applies[i]) rules = layerRules(rules, o.override.rules);
      });
      config = this.#resolve(rules);
      this.#byMatches.set(key, config);
    }
    return config;
  }
}

/** ESLint's reading of `files`: globs matched against the path relative to the base path; `dot` files included. */
function matcherOf(cwd: string, override: RuleOverride): (filePath: string) => boolean {
  const { files } = override;
  if (files === undefined) return () => true;
  const base = path.resolve(cwd, override.basePath ?? '.');
  const isMatch = picomatch([...files], { dot: true });
  return (filePath) => {
    const relative = path.relative(base, path.resolve(cwd, filePath));
    // Standard input, or a file outside the base path, is not one the globs name.
    if (filePath.startsWith('<') || relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return false;
    return isMatch(relative.split(path.sep).join('/'));
  };
}
