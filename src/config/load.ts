import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { didYouMean } from '../model/evidence/nearest-name.js';
import { formatPath } from '../engine/linter.js';
import { resolveRuleConfig, RuleConfigError } from '../engine/rule-config.js';
import type { RuleModule } from '../engine/rule.js';
import { parseManifestFile, type ManifestDocument, type Path } from '../loader/parse.js';
import { displayPath, UsageError } from '../loader/read-inputs.js';
import { SourceFile } from '../loader/source.js';
import { parseRelease } from '../model/schema/kubernetes-api.js';
import { isPresetName, PRESET_NAMES } from './presets.js';
import { configSchema, type ConfigFileData } from './schema.js';

/** One mistake in a config file: where (file, line, column, key) and what is allowed instead. */
export interface ConfigProblem {
  /** The config file as shown to the user (relative to the working directory when below it). */
  file: string;
  line?: number;
  column?: number;
  /** The setting, as a path: `rules.service-node-port`, `overrides[0].files`. */
  key?: string;
  message: string;
}

/** A config file kubewire refuses: every problem found, each with its position. Hosts exit 2 (a usage error). */
export class ConfigError extends UsageError {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map(formatConfigProblem).join('\n'));
  }
}

/** `kubewire.config.yaml:3:5: rules.servce-node-port: unknown rule "servce-node-port" (did you mean "service-node-port"?)` */
export function formatConfigProblem(problem: ConfigProblem): string {
  const where = problem.line !== undefined ? `${problem.file}:${problem.line}:${problem.column ?? 1}` : problem.file;
  return `${where}: ${problem.key ? `${problem.key}: ` : ''}${problem.message}`;
}

export interface LoadedConfig {
  /** Absolute path of the file. */
  path: string;
  data: ConfigFileData;
}

const DATA_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/**
 * Reads and validates a config file: parsed with kubewire's own loader (YAML 1.1 as go-yaml reads it, positions
 * of every key), checked with ajv against the shipped schema, and each rule setting against the rule's
 * meta.schema. Throws a ConfigError listing every problem, each with its file, line, column and key.
 */
export function loadConfigFile(absolute: string, cwd: string, rules: readonly RuleModule[]): LoadedConfig {
  const shown = displayPath(absolute, cwd);
  const fail = (message: string): never => {
    throw new ConfigError([{ file: shown, message }]);
  };
  if (!DATA_EXTENSIONS.has(path.extname(absolute).toLowerCase())) {
    fail(
      'kubewire reads config files in YAML or JSON only (.yaml, .yml, .json): no config format that runs code, since kubewire runs on pull requests from forks',
    );
  }
  let text = '';
  try {
    if (statSync(absolute).isDirectory()) fail('is a directory; name the config file itself (kubewire.config.yaml)');
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    fail(
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied: kubewire cannot read it'
          : `cannot read it (${code ?? (error as Error).message})`,
    );
  }
  const file = new SourceFile(shown, text.replace(/^\uFEFF/, ''));
  const problems: ConfigProblem[] = [];
  const documents = parseManifestFile(file);
  for (const document of documents) {
    for (const problem of document.problems) {
      if (problem.kind === 'lenient') continue;
      problems.push({ file: shown, line: problem.range.line, column: problem.range.column, message: problem.message });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const filled = documents.filter((d) => d.value !== null && d.value !== undefined);
  if (filled.length > 1) {
    const second = filled[1]!.locate([]).range;
    problems.push({
      file: shown,
      line: second.line,
      column: second.column,
      message: 'a config file holds one YAML document; remove the `---` and merge the settings',
    });
  }
  const document = filled[0];
  if (!document) return { path: absolute, data: {} };
  const data = document.value;
  if (typeof data !== 'object' || Array.isArray(data)) {
    const at = document.locate([]).range;
    problems.push({
      file: shown,
      line: at.line,
      column: at.column,
      message: 'must be a mapping of settings (extends, rules, namespace, ignore, overrides, ...)',
    });
    throw new ConfigError(problems);
  }
  const settings = offAsWord(document, structuredClone(data as Record<string, unknown>));
  problems.push(...validate(document, settings, rules));
  if (problems.length > 0) throw new ConfigError(problems);
  return { path: absolute, data: settings };
}

/**
 * `off` where a severity goes is the word: YAML 1.1 (which kubewire reads, as kubectl does) would make a plain
 * `off` the boolean false, and `service-node-port: off` means the rule is off.
 */
function offAsWord(document: ManifestDocument, data: Record<string, unknown>): Record<string, unknown> {
  const writtenOff = (where: Path) => document.scalarSource(where)?.text.toLowerCase() === 'off';
  const fix = (holder: Record<string | number, unknown>, key: string | number, where: Path) => {
    if (holder[key] === false && writtenOff(where)) holder[key] = 'off';
  };
  fix(data, 'reportUnusedDisableDirectives', ['reportUnusedDisableDirectives']);
  const maps: Path[] = [['rules'], ...asArray(data.overrides).map((_, i): Path => ['overrides', i, 'rules'])];
  for (const mapPath of maps) {
    const map = valueAt(data, mapPath);
    if (typeof map !== 'object' || map === null || Array.isArray(map)) continue;
    for (const [id, value] of Object.entries(map as Record<string, unknown>)) {
      fix(map as Record<string, unknown>, id, [...mapPath, id]);
      if (!Array.isArray(value)) continue;
      fix(value as unknown as Record<number, unknown>, 0, [...mapPath, id, 0]);
      const options: unknown = value[1];
      if (typeof options === 'object' && options !== null && !Array.isArray(options))
        fix(options as Record<string, unknown>, 'unsure', [...mapPath, id, 1, 'unsure']);
    }
  }
  return data;
}

// validateSchema: false: the schema is kubewire's own, checked against JSON Schema draft-07 by the test suite;
// checking it again on every run would double the cost of compiling it. Made when a config file is first read:
// a run without one does not pay for it at start-up.
let ajv: Ajv | undefined;
const validators = new WeakMap<readonly RuleModule[], ValidateFunction>();

function validate(document: ManifestDocument, data: Record<string, unknown>, rules: readonly RuleModule[]): ConfigProblem[] {
  let check = validators.get(rules);
  // The schema without its per-rule entries (those are for editors): rule settings are checked below, each
  // against its rule's meta.schema, and compiling every rule's option schema would cost a third of a second.
  if (!check) {
    ajv ??= new Ajv({ allErrors: true, strict: false, verbose: true, validateSchema: false });
    validators.set(rules, (check = ajv.compile(configSchema([]))));
  }
  const problems: ConfigProblem[] = [];
  const at = (where: Path, message: string, keyPath: Path = where) => {
    const range = document.locate(where).range;
    problems.push({ file: document.file.path, line: range.line, column: range.column, key: formatPath(keyPath), message });
  };
  const ruleMaps: Path[] = [['rules'], ...asArray(data.overrides).map((_, i): Path => ['overrides', i, 'rules'])];
  // These are checked below, in their own words (the nearest rule id, the rule's own option schema).
  const ownChecks: Path[] = [['extends'], ['kubernetesVersion'], ...ruleMaps];
  if (!check(data)) {
    for (const error of check.errors ?? []) {
      const where = pathOf(data, error.instancePath);
      if (ownChecks.some((prefix) => startsWith(where, prefix))) continue;
      const problem = describe(error, where, document);
      at(problem.where, problem.message);
    }
  }

  if (data.extends !== undefined) {
    const names = Array.isArray(data.extends) ? data.extends : [data.extends];
    names.forEach((name, i) => {
      const where: Path = Array.isArray(data.extends) ? ['extends', i] : ['extends'];
      if (typeof name === 'string' && isPresetName(name)) return;
      const presets = PRESET_NAMES.join(', ');
      if (typeof name !== 'string') at(where, `must be a preset name: ${presets}`);
      else if (/[/\\]|\.(ya?ml|json)$/.test(name))
        at(where, `kubewire extends only its presets (${presets}): a config file does not include other files`);
      else at(where, `unknown preset "${name}"${didYouMean(name, PRESET_NAMES)}; the presets are ${presets}`);
    });
  }

  if (data.kubernetesVersion !== undefined) {
    const version = data.kubernetesVersion;
    if (typeof version === 'number') {
      const written = document.scalarSource(['kubernetesVersion'])?.text ?? String(version);
      at(
        ['kubernetesVersion'],
        `must be a string: YAML reads ${written} as the number ${version}; quote it: kubernetesVersion: "${written}"`,
      );
    } else if (typeof version !== 'string') {
      at(['kubernetesVersion'], 'must be a Kubernetes release such as "1.30"');
    } else {
      const release = parseRelease(version);
      if ('problem' in release) at(['kubernetesVersion'], release.problem);
    }
  }

  for (const mapPath of ruleMaps) {
    const map = valueAt(data, mapPath);
    if (map === undefined) continue;
    if (typeof map !== 'object' || map === null || Array.isArray(map)) {
      at(mapPath, 'must be a mapping of rule ids to severities (off, warn, error) or ["<severity>", { options }]');
      continue;
    }
    for (const [id, value] of Object.entries(map)) {
      try {
        resolveRuleConfig(rules, { [id]: value as never });
      } catch (error) {
        if (!(error instanceof RuleConfigError)) throw error;
        const entry: Path = [...mapPath, id];
        const where: Path =
          error.field === 'severity' && Array.isArray(value)
            ? [...entry, 0]
            : error.field === 'unsure'
              ? [...entry, 1, 'unsure']
              : error.field === 'options' && Array.isArray(value) && value.length > 1
                ? [...entry, 1]
                : entry;
        const message =
          error.field === 'id' && !error.problem.includes('did you mean')
            ? `${error.problem}; \`kubewire rules\` lists them`
            : error.problem;
        at(where, message, entry);
      }
    }
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return problems.filter((p, i) => i === 0 || formatConfigProblem(p) !== formatConfigProblem(problems[i - 1]!));
}

/** An ajv error in the words of the setting: what is wrong, and what is allowed. */
function describe(error: ErrorObject, where: Path, document: ManifestDocument): { where: Path; message: string } {
  const schema = error.parentSchema as { description?: string; pattern?: string } | undefined;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const allowed = Object.keys((schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {}).filter(
        (k) => k !== '$schema',
      );
      return {
        where: [...where, key],
        message: `unknown setting "${key}"${didYouMean(key, allowed)}; allowed here: ${allowed.join(', ')}`,
      };
    }
    case 'required': {
      const missing = String(error.params.missingProperty);
      const about = (
        (schema as { properties?: Record<string, { description?: string }> } | undefined)?.properties?.[missing]?.description ?? ''
      ).replace(/\.$/, '');
      return { where, message: `needs "${missing}"${about ? ` (${about})` : ''}` };
    }
    case 'type': {
      const type = String(error.params.type);
      const written = document.scalarSource(where);
      const quote =
        type === 'string' && written?.plain
          ? `; quote it: "${written.text}" (YAML reads ${written.text} unquoted as a ${typeof error.data})`
          : '';
      const globs = type === 'array' && (schema as { items?: { type?: string } } | undefined)?.items?.type === 'string';
      const expected =
        type === 'object' ? 'a mapping' : globs ? 'a list of globs, e.g. [legacy/**]' : type === 'array' ? 'a list' : `a ${type}`;
      return { where, message: `must be ${expected}${quote}` };
    }
    case 'enum': {
      const allowed = (error.params.allowedValues as unknown[]).filter((v): v is string => typeof v === 'string');
      const given = typeof error.data === 'string' ? `"${error.data}"` : JSON.stringify(error.data);
      return {
        where,
        message: `must be ${allowed.join(', ')}, not ${given}${typeof error.data === 'string' ? didYouMean(error.data, allowed) : ''}`,
      };
    }
    case 'pattern':
      if (where[0] === 'namespace') {
        return {
          where,
          message: 'must be a namespace name: at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit',
        };
      }
      return { where, message: `must match ${schema?.pattern ?? String(error.params.pattern)}` };
    case 'maxLength':
      return { where, message: `must be at most ${String(error.params.limit)} characters` };
    case 'minItems':
    case 'minProperties':
    case 'minLength':
      return { where, message: 'must not be empty' };
    default:
      return { where, message: error.message ?? 'is not valid here' };
  }
}

/** A JSON pointer of ajv's as a path into the data: array indexes as numbers. */
function pathOf(data: unknown, pointer: string): Path {
  const segments =
    pointer === ''
      ? []
      : pointer
          .slice(1)
          .split('/')
          .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const out: (string | number)[] = [];
  let node: unknown = data;
  for (const segment of segments) {
    const index = Array.isArray(node) ? Number(segment) : undefined;
    out.push(index ?? segment);
    node = index !== undefined ? (node as unknown[])[index] : (node as Record<string, unknown> | undefined)?.[segment];
  }
  return out;
}

function valueAt(data: unknown, where: Path): unknown {
  let node = data;
  for (const segment of where) node = (node as Record<string | number, unknown> | undefined)?.[segment];
  return node;
}

function startsWith(where: Path, prefix: Path): boolean {
  return prefix.every((segment, i) => where[i] === segment);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
