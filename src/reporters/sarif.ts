import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LintMessage, LintResult, RelatedMessage, Suppression, SuppressedLintMessage } from '../engine/results.js';
import type { Reporter, ReporterContext, RuleInfo } from './types.js';

// node:crypto takes longer to load than a small run takes to lint: required when SARIF is written, not at start-up.
const require = createRequire(import.meta.url);
const sha256 = (text: string): string =>
  (require('node:crypto') as typeof import('node:crypto')).createHash('sha256').update(text).digest('hex');

/**
 * SARIF 2.1.0 (OASIS), the format GitHub code scanning, the VS Code SARIF Viewer and Azure DevOps read: one run
 * with every rule described from its docs page, each finding with a full region, the resource as a logical
 * location, the related places as embedded links, fingerprints that survive edits elsewhere in the file, and
 * the findings a resource silences kept as suppressed.
 * Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html; GitHub's subset:
 * https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 */
export const sarif: Reporter = (results, context) => `${JSON.stringify(sarifLog(results, context), null, 2)}\n`;

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The base every repository-relative uri is resolved against (the working directory of the run). */
const SRCROOT = '%SRCROOT%';
/** Longest region text copied into `snippet`; longer regions (a whole document) are located without one. */
const MAX_SNIPPET = 4096;
/** Lines of context on each side of a region (`contextRegion`). */
const CONTEXT_LINES = 2;

type Json = Record<string, unknown>;

export function sarifLog(results: readonly LintResult[], context: ReporterContext): Json {
  const ruleIds = Object.keys(context.rules).sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const fingerprints = new Fingerprints();
  const sarifResults: Json[] = [];
  const notifications: Json[] = [];
  for (const result of results) {
    const all: (LintMessage | SuppressedLintMessage)[] = [...result.messages, ...result.suppressedMessages];
    all.sort((a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
    for (const message of all) {
      const index = ruleIndex.get(message.ruleId);
      const out = resultOf(result.filePath, message, index, context);
      out.partialFingerprints = { 'kubewireFinding/v1': fingerprints.of(result.filePath, message) };
      sarifResults.push(out);
      if (message.fatal) {
        // A file that could not be read is a failure of the tool on that file, not only a finding in it.
        notifications.push({
          level: 'error',
          message: { text: sentence(message.message) },
          locations: [{ physicalLocation: physicalLocation(result.filePath, message, context) }],
          ...(index !== undefined ? { associatedRule: { id: message.ruleId, index } } : {}),
        });
      }
    }
  }
  const root = context.sourceRoot ?? context.cwd;
  const tool = context.tool ?? { name: 'kubewire', version: '0.0.0', informationUri: 'https://github.com/kubewire/kubewire' };
  const run: Json = {
    tool: {
      driver: {
        name: tool.name,
        version: tool.version,
        semanticVersion: tool.version,
        informationUri: tool.informationUri,
        rules: ruleIds.map((id) => ruleDescriptor(id, context.rules[id]!)),
      },
    },
    invocations: [{ executionSuccessful: true, ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}) }],
    ...(context.sarifCategory !== undefined ? { automationDetails: { id: context.sarifCategory } } : {}),
    ...(root !== undefined ? { originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(root) } } } : {}),
    columnKind: 'utf16CodeUnits',
    results: sarifResults,
  };
  return { $schema: SCHEMA, version: '2.1.0', runs: [run] };
}

function resultOf(
  filePath: string,
  message: LintMessage | SuppressedLintMessage,
  ruleIndex: number | undefined,
  context: ReporterContext,
): Json {
  const related = message.related ?? [];
  const links = related.map((r, i) => `[${escapeMessageText(r.message)}](${i + 1})`);
  const text = sentence(escapeMessageText(message.message)) + (links.length > 0 ? ` Related: ${links.join(', ')}.` : '');
  const location: Json = { physicalLocation: physicalLocation(filePath, message, context) };
  if (message.resource) {
    const { kind, namespace, name } = message.resource;
    const fullyQualifiedName = namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}`;
    location.logicalLocations = [{ name, fullyQualifiedName, kind: 'object' }];
  }
  const out: Json = {
    ruleId: message.ruleId,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: message.severity === 2 ? 'error' : 'warning',
    message: { text },
    locations: [location],
  };
  if (related.length > 0) {
    out.relatedLocations = related.map((r, i) => ({
      id: i + 1,
      physicalLocation: physicalLocation(r.filePath, r, context),
      message: { text: r.message },
    }));
  }
  if ('suppressions' in message) out.suppressions = message.suppressions.map((s) => suppressionOf(s, context));
  return out;
}

/**
 * SARIF §3.35: `inSource` for a directive written in the file (a `# kubewire-disable…` comment, the
 * `kubewire.io/ignore` annotation), `external` for a count in the bulk suppressions file (ESLint's kind `file`).
 * A directive without a reason has no justification.
 */
function suppressionOf(suppression: Suppression, context: ReporterContext): Json {
  return {
    kind: suppression.kind === 'file' ? 'external' : 'inSource',
    ...(suppression.justification ? { justification: suppression.justification } : {}),
    ...(suppression.location
      ? { location: { physicalLocation: physicalLocation(suppression.location.filePath, suppression.location, context) } }
      : {}),
  };
}

function physicalLocation(
  filePath: string,
  range: Pick<RelatedMessage, 'line' | 'column' | 'endLine' | 'endColumn'>,
  context: ReporterContext,
): Json {
  const region: Json = { startLine: range.line, startColumn: range.column, endLine: range.endLine, endColumn: range.endColumn };
  const snippet = snippetOf(filePath, range, context);
  if (snippet === undefined) return { artifactLocation: artifactLocation(filePath, context), region };
  region.snippet = { text: snippet };
  const source = context.sourceOf(filePath)!;
  // The whole lines around the region, for viewers that show the finding without the file.
  const first = Math.max(1, range.line - CONTEXT_LINES);
  const last = Math.min(source.lineCount, range.endLine + CONTEXT_LINES);
  const lastLength = source.lineText(last).length;
  const around = { line: first, column: 1, endLine: last, endColumn: lastLength + 1 };
  const contextSnippet = snippetOf(filePath, around, context);
  if (contextSnippet === undefined) return { artifactLocation: artifactLocation(filePath, context), region };
  const contextRegion = { startLine: first, startColumn: 1, endLine: last, endColumn: lastLength + 1, snippet: { text: contextSnippet } };
  return { artifactLocation: artifactLocation(filePath, context), region, contextRegion };
}

/** The text of the region, as SARIF's `snippet`: what the finding points at, for viewers without the file. */
function snippetOf(
  filePath: string,
  range: Pick<RelatedMessage, 'line' | 'column' | 'endLine' | 'endColumn'>,
  context: ReporterContext,
): string | undefined {
  const source = context.sourceOf(filePath);
  if (!source || range.line > source.lineCount || range.endLine > source.lineCount) return undefined;
  const lines: string[] = [];
  for (let line = range.line; line <= range.endLine; line++) {
    const text = source.lineText(line);
    const from = line === range.line ? range.column - 1 : 0;
    const to = line === range.endLine ? range.endColumn - 1 : text.length;
    lines.push(text.slice(from, to));
    if (lines.reduce((n, l) => n + l.length + 1, 0) > MAX_SNIPPET) return undefined;
  }
  const text = lines.join('\n');
  return text.length > 0 ? text : undefined;
}

/**
 * Paths are relative to the working directory; in SARIF they are relative to the repository root (%SRCROOT%),
 * which code scanning resolves against its checkout. A file outside it becomes a file: uri; a name that is
 * not a path (`<stdin>`) stays as it is, encoded.
 */
function artifactLocation(filePath: string, context: ReporterContext): Json {
  const uri = sourceRootRelative(filePath, context);
  return uri.startsWith('file:') ? { uri } : { uri, uriBaseId: SRCROOT };
}

function sourceRootRelative(filePath: string, context: ReporterContext): string {
  if (filePath.startsWith('<')) return encodeURIComponent(filePath);
  const cwd = context.cwd;
  const root = context.sourceRoot ?? cwd;
  const absolute = path.isAbsolute(filePath) ? filePath : cwd !== undefined ? path.resolve(cwd, filePath) : undefined;
  const relative = absolute !== undefined && root !== undefined ? path.relative(root, absolute) : filePath;
  if (absolute !== undefined && (relative.startsWith('..') || path.isAbsolute(relative))) return pathToFileURL(absolute).href;
  return relative.split(path.sep).map(encodeURIComponent).join('/');
}

function directoryUri(directory: string): string {
  const href = pathToFileURL(directory).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/**
 * Identity of a finding that survives edits elsewhere (GitHub matches alerts across commits with it): the
 * rule, the message kind, the resource (API group, kind, namespace, name) and the field; never a line number.
 * Findings without a resource (a syntax error) fall back to the file. Equal keys are numbered in order.
 */
class Fingerprints {
  readonly #seen = new Map<string, number>();

  of(filePath: string, message: LintMessage): string {
    const r = message.resource;
    const identity = r ? [apiGroup(r.apiVersion), r.kind, r.namespace, r.name, message.path ?? ''] : [filePath];
    const key = [message.ruleId, message.messageId, ...identity].join('\u0000');
    const occurrence = (this.#seen.get(key) ?? 0) + 1;
    this.#seen.set(key, occurrence);
    return `${sha256(key).slice(0, 32)}:${occurrence}`;
  }
}

/** `apps/v1` → `apps`, `v1` → `` (the core group): moving a resource to a newer version keeps its alerts. */
function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function ruleDescriptor(id: string, rule: RuleInfo): Json {
  const page = rule.docsMarkdown;
  const level = rule.defaultSeverity === 'error' ? 'error' : 'warning';
  return {
    id,
    name: ruleName(id),
    shortDescription: { text: sentence(rule.description) },
    fullDescription: { text: sentence((page && firstParagraphOf(page, 'What it checks')) ?? rule.description) },
    ...(page ? { help: { text: markdownToText(page), markdown: page } } : {}),
    helpUri: rule.url,
    defaultConfiguration: { level },
    properties: {
      tags: ['kubernetes', rule.type ?? 'problem', ...(rule.fatal ? ['parse'] : [])],
      // How often a finding is a true positive: kubewire reports errors only on evidence from the input.
      precision: rule.fatal ? 'very-high' : 'high',
      'problem.severity': level === 'error' ? 'error' : 'warning',
    },
  };
}

/** `service-selector-match` → `ServiceSelectorMatch`, SARIF's friendly rule name. */
/**
 * SARIF's `name`: the id in PascalCase. It must differ from the id (SARIF1001, which compares without regard to
 * case), so a one-word id (`schema`) gets a suffix.
 */
function ruleName(id: string): string {
  const name = pascalCase(id);
  return name.toLowerCase() === id.toLowerCase() ? `${name}Rule` : name;
}

function pascalCase(id: string): string {
  return id
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** The first paragraph under a `## <heading>` of a docs page, on one line. */
function firstParagraphOf(page: string, heading: string): string | undefined {
  const lines = page.split('\n');
  const start = lines.findIndex((line) => line.trim() === `## ${heading}`);
  if (start < 0) return undefined;
  const paragraph: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') {
      if (paragraph.length > 0) break;
      continue;
    }
    if (line.startsWith('#')) break;
    paragraph.push(line.trim());
  }
  return paragraph.length > 0 ? markdownToText(paragraph.join(' ')).trim() : undefined;
}

/** Markdown as plain text for `help.text`: headings, emphasis and fences dropped, the words kept. */
function markdownToText(markdown: string): string {
  return markdown
    .split('\n')
    .filter((line) => !line.startsWith('```'))
    .map((line) => line.replace(/^#{1,6}\s+/, '').replace(/\*\*(.+?)\*\*/g, '$1'))
    .join('\n')
    .trim();
}

/** SARIF messages are complete sentences (the Multitool's SARIF2001). */
function sentence(text: string): string {
  const trimmed = text.trimEnd().replace(/:$/, '');
  return /[.!?)]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * In SARIF message text `[text](id)` is an embedded link (spec 3.11.6), so brackets that come from the
 * manifest are escaped with a backslash, as is the backslash itself: a label cannot forge a link.
 */
function escapeMessageText(text: string): string {
  return text.replace(/[\\[\]]/g, (ch) => `\\${ch}`);
}
