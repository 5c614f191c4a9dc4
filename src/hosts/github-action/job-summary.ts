import type { LintMessage, LintResult } from '../../engine/results.js';
import type { Wiring } from '../../model/wiring.js';
import { escapeControl } from '../../reporters/escape.js';
import { mermaidWiring } from '../../reporters/graph/mermaid.js';

/** Where findings link to: the file at the commit the workflow runs on, when the runner says which. */
export interface SummaryLinks {
  /** `https://github.com/owner/repo/blob/<sha>/`; undefined: paths are shown without links. */
  readonly blobBase: string | undefined;
}

export interface SummaryInput {
  /** Results with paths relative to the repository root. */
  readonly results: readonly LintResult[];
  readonly errorCount: number;
  readonly warningCount: number;
  readonly suppressedCount: number;
  readonly wiring: Wiring;
  readonly ruleDocs: Readonly<Record<string, string>>;
  readonly links: SummaryLinks;
  /** What the run read, for the heading: `examples/` or `.`. */
  readonly inputs: readonly string[];
}

/** How many findings are listed one by one; the table per rule counts all of them. */
export const LISTED_FINDINGS = 20;

/** GitHub refuses a step summary over 1 MiB; the summary is kept well under it. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024 - 64 * 1024;

/**
 * The Markdown of the job summary ($GITHUB_STEP_SUMMARY): the counts, a table of findings per rule with links
 * to the rule's page, the first findings with links to their line, and the wiring as a Mermaid diagram (capped,
 * see src/reporters/graph/view.ts). Text from manifests and file names is escaped for Markdown (see
 * markdownText), so no manifest can add a link, an image, HTML, math or a table cell to the page.
 */
export function jobSummary(input: SummaryInput): string {
  const parts: string[] = [];
  const problems = input.errorCount + input.warningCount;
  const status =
    problems === 0 ? ':white_check_mark: no problems' : `${plural(input.errorCount, 'error')}, ${plural(input.warningCount, 'warning')}`;
  parts.push(`## kubewire: ${status}`);
  const resources = input.wiring.nodes.filter((n) => n.role === 'resource').length;
  const suppressed =
    input.suppressedCount > 0
      ? `; ${plural(input.suppressedCount, 'finding')} silenced (annotations, comments, the suppressions file)`
      : '';
  parts.push(
    `Linted ${input.inputs.map((i) => markdownCode(i)).join(', ')}: ${plural(input.results.length, 'file')}, ${plural(resources, 'wired object')}${suppressed}.`,
  );
  const messages = input.results.flatMap((r) => r.messages.map((m) => ({ filePath: r.filePath, message: m })));
  if (messages.length > 0) {
    parts.push(
      '### Findings by rule',
      rulesTable(
        messages.map((m) => m.message),
        input.ruleDocs,
      ),
    );
    const listed = [...messages].sort((a, b) => b.message.severity - a.message.severity).slice(0, LISTED_FINDINGS);
    const more = messages.length - listed.length;
    parts.push(
      `### ${listed.length === messages.length ? 'Findings' : `First ${listed.length} findings`}`,
      findingsTable(listed, input.links),
      ...(more > 0 ? [`and ${plural(more, 'more finding')}: see the step log, or the code scanning alerts of the SARIF upload.`] : []),
    );
  }
  const diagram = input.wiring.nodes.length > 0 ? ['### Wiring', WIRING_LEGEND, `\`\`\`mermaid\n${mermaidWiring(input.wiring)}\`\`\``] : [];
  const withDiagram = `${[...parts, ...diagram].join('\n\n')}\n`;
  if (Buffer.byteLength(withDiagram) <= SUMMARY_LIMIT_BYTES) return withDiagram;
  return `${[...parts, '### Wiring', "The wiring diagram is left out: the summary would pass GitHub's 1 MiB limit. Run `kubewire graph --format dot` to draw it."].join('\n\n')}\n`;
}

const WIRING_LEGEND =
  'Ingresses, Services and HorizontalPodAutoscalers to what they reach, edges labelled with the resolved ports. Thick red: broken (no endpoints, a port that resolves nowhere, a reference to nothing); dotted: kubewire cannot see enough to tell.';

function rulesTable(messages: readonly LintMessage[], docs: Readonly<Record<string, string>>): string {
  const counts = new Map<string, { errors: number; warnings: number }>();
  for (const m of messages) {
    let count = counts.get(m.ruleId);
    if (!count) counts.set(m.ruleId, (count = { errors: 0, warnings: 0 }));
    if (m.severity === 2) count.errors++;
    else count.warnings++;
  }
  const rows = [...counts]
    .sort((a, b) => b[1].errors - a[1].errors || b[1].warnings - a[1].warnings || (a[0] < b[0] ? -1 : 1))
    .map(([rule, c]) => {
      const url = Object.hasOwn(docs, rule) ? docs[rule] : undefined;
      return `| ${url ? `[${markdownText(rule)}](${url})` : markdownText(rule)} | ${c.errors} | ${c.warnings} |`;
    });
  return ['| Rule | Errors | Warnings |', '| :--- | ---: | ---: |', ...rows].join('\n');
}

function findingsTable(items: readonly { filePath: string; message: LintMessage }[], links: SummaryLinks): string {
  const rows = items.map(({ filePath, message }) => {
    const severity = message.severity === 2 ? ':x: error' : ':warning: warning';
    const where = `${filePath}:${message.line}:${message.column}`;
    const place = links.blobBase ? `[${markdownText(where)}](${links.blobBase}${urlPath(filePath)}#L${message.line})` : markdownText(where);
    return `| ${severity} | ${place} | ${markdownText(truncate(message.message, 600))} | ${markdownText(message.ruleId)} |`;
  });
  return ['| | Where | Finding | Rule |', '| :--- | :--- | :--- | :--- |', ...rows].join('\n');
}

/**
 * Text shown as itself in GitHub's Markdown, also inside a table cell: control characters made visible, and
 * backslash-escaped (CommonMark allows it for any ASCII punctuation) every character that can start markup in
 * running text: emphasis and code (`* _ ~ \``), links, images and footnotes (`[ ] ! ( )`), HTML and entities
 * (`< > &`), table cells (`|`, which GFM reads as a pipe inside the cell when escaped), math (`$`), emoji
 * shortcodes (`:`), mentions (`@`), references (`#`), and the backslash itself. Lines never start in a cell,
 * so block markup (`-`, `+`, `1.`) needs nothing.
 */
export function markdownText(text: string): string {
  return escapeControl(text).replace(/[\\`*_~[\]!()<>&|$:@#{}]/g, (ch) => `\\${ch}`);
}

/** An inline code span that shows `text` exactly: the fence is longer than any run of backticks in it. */
function markdownCode(text: string): string {
  const shown = escapeControl(text).replace(/\|/g, '\\|');
  const longest = Math.max(0, ...[...shown.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${shown.startsWith('`') || shown.endsWith('`') ? ` ${shown} ` : shown}${fence}`;
}

/** A repository path as a URL path: every segment percent-encoded, parentheses too (they end a Markdown link). */
function urlPath(filePath: string): string {
  return filePath
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/[()'!*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
