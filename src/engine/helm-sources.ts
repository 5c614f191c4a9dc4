import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { MAX_FILE_BYTES } from '../loader/read-file.js';
import { fastGlob } from '../loader/read-inputs.js';
import { SourceFile } from '../loader/source.js';
import { resultOf } from './linter.js';
import type { LintMessage, LintResult, SuppressedLintMessage } from './results.js';

/**
 * `helm template` writes `# Source: <chart>/templates/<file>` before each document it renders
 * (helm pkg/action/action.go, renderResources: `fmt.Fprintf(b, "---\n# Source: %s\n%s\n", name, content)`).
 * A finding on `<stdin>:212` of `helm template … | kubewire -` cannot be placed in code scanning or on a diff,
 * so findings in such documents are moved to the template file, found under the working directory by the
 * chart's name (its Chart.yaml `name`, which the Source line starts with) or in `--helm-chart-root`: at the
 * template line that holds the same key when exactly one does, else at the top of the file. The message keeps
 * the rendered line, which is the text the finding is about.
 */
export interface HelmSourceOptions {
  cwd: string;
  /** The chart's directory, when it cannot be found by name under `cwd`. */
  chartRoot?: string;
}

export interface HelmSourceMapping {
  results: LintResult[];
  /** The template files read, so that reporters can show their lines. */
  sources: SourceFile[];
  notices: string[];
}

type Range = { line: number; column: number; endLine: number; endColumn: number };
type Place = { filePath: string } & Range;

const SOURCE_LINE = /^# Source: (\S.*?)\s*$/;
/** Longest rendered line quoted in a message. */
const MAX_QUOTED = 160;

export async function mapHelmSources(
  results: readonly LintResult[],
  sourceOf: (filePath: string) => SourceFile | undefined,
  options: HelmSourceOptions,
): Promise<HelmSourceMapping> {
  const rendered = new Map<string, (string | undefined)[]>();
  for (const result of results) {
    const source = sourceOf(result.filePath);
    const perLine = source && sourceLinesOf(source);
    if (perLine) rendered.set(result.filePath, perLine);
  }
  if (rendered.size === 0) return { results: [...results], sources: [], notices: [] };

  const charts = new ChartFinder(options);
  const templates = new Map<string, SourceFile | undefined>();
  const unresolved = new Set<string>();
  /** The template file of a Source line, read once. */
  const templateOf = async (helmSource: string): Promise<SourceFile | undefined> => {
    if (!templates.has(helmSource)) {
      const file = await charts.resolve(helmSource);
      templates.set(helmSource, file !== undefined ? await readTemplate(file, options.cwd) : undefined);
      if (!templates.get(helmSource)) unresolved.add(helmSource);
    }
    return templates.get(helmSource);
  };

  /** Where a place of the rendered output is in its template, or undefined when it stays where it is. */
  const mapPlace = async (place: Place): Promise<{ place: Place; renderedLine: string } | undefined> => {
    const helmSource = rendered.get(place.filePath)?.[place.line];
    const source = sourceOf(place.filePath);
    if (!helmSource || !source) return undefined;
    const template = await templateOf(helmSource);
    if (!template) return undefined;
    const renderedLine = source.lineText(place.line);
    const regionText = place.endLine === place.line ? renderedLine.slice(place.column - 1, place.endColumn - 1) : '';
    return { place: { filePath: template.path, ...templateRange(template, renderedLine, regionText) }, renderedLine };
  };

  const byFile = new Map<string, { messages: LintMessage[]; suppressed: SuppressedLintMessage[] }>();
  const bucket = (filePath: string) => {
    let entry = byFile.get(filePath);
    if (!entry) byFile.set(filePath, (entry = { messages: [], suppressed: [] }));
    return entry;
  };
  for (const result of results) bucket(result.filePath);
  for (const result of results) {
    for (const [list, suppressed] of [
      [result.messages, false],
      [result.suppressedMessages, true],
    ] as const) {
      for (const original of list) {
        const mapped = await mapMessage(original, result.filePath, mapPlace);
        const target = bucket(mapped.filePath);
        if (suppressed) target.suppressed.push(mapped.message as SuppressedLintMessage);
        else target.messages.push(mapped.message);
      }
    }
  }

  const out = [...byFile].map(([filePath, { messages, suppressed }]) =>
    resultOf(filePath, sortByPosition(messages), sortByPosition(suppressed)),
  );
  out.sort((a, b) => (a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : 0));
  // One notice per chart, not per template: a chart has many.
  const byChart = new Map<string, string[]>();
  for (const s of [...unresolved].sort()) {
    const chart = s.split('/')[0]!;
    byChart.set(chart, [...(byChart.get(chart) ?? []), s]);
  }
  const notices = [...byChart].map(
    ([chart, sources]) =>
      `${charts.whyNotFound(chart, sources)}: findings in the documents it rendered stay on the rendered output; name the chart's directory with --helm-chart-root <dir>.`,
  );
  return { results: out, sources: [...templates.values()].filter((t): t is SourceFile => t !== undefined), notices };
}

async function mapMessage<M extends LintMessage>(
  message: M,
  filePath: string,
  mapPlace: (place: Place) => Promise<{ place: Place; renderedLine: string } | undefined>,
): Promise<{ filePath: string; message: M }> {
  const mapped = await mapPlace({
    filePath,
    line: message.line,
    column: message.column,
    endLine: message.endLine,
    endColumn: message.endColumn,
  });
  const out: M = { ...message };
  let target = filePath;
  if (mapped) {
    const { filePath: templatePath, ...range } = mapped.place;
    target = templatePath;
    Object.assign(out, range);
    const quoted = mapped.renderedLine.trim();
    out.message = `${message.message} (rendered as \`${quoted.length > MAX_QUOTED ? `${quoted.slice(0, MAX_QUOTED)}…` : quoted}\` at ${filePath}:${message.line})`;
  }
  if (message.related) {
    out.related = await Promise.all(
      message.related.map(async (r) => {
        const place = await mapPlace(r);
        return place ? { ...r, ...place.place } : r;
      }),
    );
  }
  if ('suppressions' in message) {
    const suppressions = await Promise.all(
      (message as unknown as SuppressedLintMessage).suppressions.map(async (s) => {
        const place = s.location && (await mapPlace(s.location));
        return place ? { ...s, location: place.place } : s;
      }),
    );
    (out as unknown as SuppressedLintMessage).suppressions = suppressions;
  }
  return { filePath: target, message: out };
}

/** The `# Source:` of the document each line is in (index = line number), or undefined when there are none. */
function sourceLinesOf(source: SourceFile): (string | undefined)[] | undefined {
  if (!source.text.includes('# Source: ')) return undefined;
  const perLine: (string | undefined)[] = [undefined];
  let current: string | undefined;
  let any = false;
  for (let line = 1; line <= source.lineCount; line++) {
    const text = source.lineText(line);
    if (/^---(\s|$)/.test(text)) current = undefined;
    const match = SOURCE_LINE.exec(text);
    if (match) {
      current = match[1];
      any = true;
    }
    perLine.push(current);
  }
  return any ? perLine : undefined;
}

/**
 * The template line that holds the key of the rendered line, when exactly one does (or exactly one of those
 * also holds the rendered text); the region is the rendered text where the template has it literally, else
 * the template's value (`{{ .Values.x }}`). Anything less certain points at the top of the file.
 */
function templateRange(template: SourceFile, renderedLine: string, regionText: string): Range {
  const wholeFile = { line: 1, column: 1, endLine: 1, endColumn: template.lineText(1).length + 1 };
  // A comment (a `# kubewire-disable-next-line` that silences a finding) is rendered as written: the one template
  // line that holds it.
  const comment = renderedLine.trim();
  if (comment.startsWith('#')) {
    const lines: number[] = [];
    for (let line = 1; line <= template.lineCount; line++) if (template.lineText(line).trim() === comment) lines.push(line);
    if (lines.length !== 1) return wholeFile;
    const text = template.lineText(lines[0]!);
    const column = text.indexOf(comment) + 1;
    return { line: lines[0]!, column, endLine: lines[0]!, endColumn: column + comment.length };
  }
  const key = keyOf(renderedLine);
  if (key === undefined) return wholeFile;
  const candidates: number[] = [];
  for (let line = 1; line <= template.lineCount; line++) if (keyOf(template.lineText(line)) === key) candidates.push(line);
  let line = candidates.length === 1 ? candidates[0] : undefined;
  if (candidates.length > 1 && regionText) {
    const literal = candidates.filter((l) => template.lineText(l).includes(regionText));
    if (literal.length === 1) line = literal[0];
  }
  if (line === undefined) return wholeFile;
  const text = template.lineText(line);
  const at = regionText ? text.indexOf(regionText) : -1;
  if (at >= 0 && text.indexOf(regionText, at + 1) < 0)
    return { line, column: at + 1, endLine: line, endColumn: at + 1 + regionText.length };
  const value = /^(\s*(?:-\s+)*("?)[^:"#]+\2\s*:\s*)(.*?)\s*$/.exec(text);
  const start = value && value[3] ? value[1]!.length : text.length - text.trimStart().length;
  const end = value && value[3] ? start + value[3].length : text.trimEnd().length;
  return { line, column: start + 1, endLine: line, endColumn: Math.max(end, start) + 1 };
}

/** `    targetPort: htpp` → `targetPort`; `- name: web` → `name`; lines that are not `key:` → undefined. */
function keyOf(line: string): string | undefined {
  const match = /^\s*(?:-\s+)*(?:"([^"]+)"|'([^']+)'|([^\s:"'#{][^:#]*?))\s*:(?:\s|$)/.exec(line);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

function sortByPosition<M extends LintMessage>(messages: M[]): M[] {
  return messages.sort(
    (a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId) || a.message.localeCompare(b.message),
  );
}

/** A template file as the loader shows paths: relative to the working directory when below it. */
async function readTemplate(absolute: string, cwd: string): Promise<SourceFile | undefined> {
  try {
    const stats = await lstat(absolute);
    if (!stats.isFile() || stats.size > MAX_FILE_BYTES) return undefined;
    const text = (await readFile(absolute, 'utf8')).replace(/^\ufeff/, '');
    const relative = path.relative(cwd, absolute);
    const shown = relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative.split(path.sep).join('/');
    return new SourceFile(shown, text);
  } catch {
    return undefined;
  }
}

/** Chart directories by chart name: `--helm-chart-root`, else every Chart.yaml under the working directory. */
class ChartFinder {
  #byName: Promise<Map<string, string[]>> | undefined;

  constructor(private readonly options: HelmSourceOptions) {}

  /** The template file a Source line names, when it exists inside its chart's directory. */
  async resolve(helmSource: string): Promise<string | undefined> {
    const segments = helmSource.split('/');
    // The Source line is text from the input: no way out of the chart directory.
    if (segments.length < 3 || segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\'))) return undefined;
    const [chart, ...rest] = segments as [string, ...string[]];
    if (this.options.chartRoot !== undefined) return existingInside(path.resolve(this.options.cwd, this.options.chartRoot), rest);
    const byName = await this.#charts();
    const found = (await Promise.all((byName.get(chart) ?? []).map((dir) => existingInside(dir, rest)))).filter(
      (f): f is string => f !== undefined,
    );
    if (found.length === 1) return found[0];
    // A subchart that is not unpacked under its parent's charts/: look for it by its own name.
    if (found.length === 0 && rest[0] === 'charts' && rest.length > 3) return this.resolve(rest.slice(1).join('/'));
    return undefined;
  }

  whyNotFound(chart: string, helmSources: readonly string[]): string {
    const where =
      this.options.chartRoot !== undefined
        ? `in --helm-chart-root ${this.options.chartRoot}`
        : 'under the working directory (by Chart.yaml name)';
    const first = helmSources[0]!.split('/').slice(1).join('/');
    const more = helmSources.length > 1 ? ` and ${helmSources.length - 1} more template${helmSources.length > 2 ? 's' : ''}` : '';
    return `helm template output names chart "${chart}" (# Source: ${helmSources[0]}${more ? `,${more}` : ''}), but no single chart "${chart}" with ${first} was found ${where}`;
  }

  #charts(): Promise<Map<string, string[]>> {
    this.#byName ??= (async () => {
      const byName = new Map<string, string[]>();
      const files = await (
        await fastGlob()
      )('**/Chart.yaml', {
        cwd: this.options.cwd,
        absolute: true,
        onlyFiles: true,
        followSymbolicLinks: false,
        ignore: ['**/node_modules/**', '**/.git/**'],
        suppressErrors: true,
      });
      for (const file of files.sort()) {
        const name = await chartName(file);
        if (name === undefined) continue;
        const dirs = byName.get(name) ?? [];
        dirs.push(path.dirname(file));
        byName.set(name, dirs);
      }
      return byName;
    })();
    return this.#byName;
  }
}

async function chartName(chartFile: string): Promise<string | undefined> {
  try {
    const stats = await lstat(chartFile);
    if (!stats.isFile() || stats.size > MAX_FILE_BYTES) return undefined;
    const parsed = parseYaml(await readFile(chartFile, 'utf8')) as { name?: unknown } | null;
    return typeof parsed?.name === 'string' ? parsed.name : undefined;
  } catch {
    return undefined;
  }
}

async function existingInside(dir: string, rest: readonly string[]): Promise<string | undefined> {
  const file = path.join(dir, ...rest);
  const relative = path.relative(dir, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  try {
    return (await lstat(file)).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}
