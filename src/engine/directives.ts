/**
 * Inline suppressions: `# kubewire-disable…` comments in the YAML, read and applied as ESLint reads and applies
 * `eslint-disable` comments (eslint lib/linter/linter.js getDirectiveComments, lib/linter/apply-disable-directives.js,
 * @eslint/plugin-kit ConfigCommentParser.parseDirective):
 *
 * - `# kubewire-disable-next-line <rule>[, <rule>] -- reason`: findings on the next line;
 * - `# kubewire-disable-line <rules>` at the end of a line: findings on that line;
 * - `# kubewire-disable <rules>` … `# kubewire-enable <rules>`: a region, from the comment to the enable or to the
 *   end of the file. A `# kubewire-disable` above the first document is the file-level form of it.
 *
 * No rule list means every rule. Rule ids are separated by commas; ` -- ` (two or more dashes between blanks)
 * starts the reason, which becomes the suppression's justification. A finding is on a line when its primary
 * location is (a field with a block value, such as a Service's `selector:`, is reported at its key, so a comment on
 * the line before the key silences it). Comments come from yaml's Lexer, so a `#` inside a quoted string or a block
 * scalar is not a comment, and a JSON file has none.
 *
 * Scope is the file, as in ESLint: a region opened in one document runs on through the next ones until a
 * `kubewire-enable`. One exception: `helm template` output holds many template files, each document after its
 * `# Source: <chart>/templates/<file>` line; there a region ends where the next template's document starts, since
 * the comment was written in one template and cannot mean the others.
 *
 * Block directives are applied before line directives, as ESLint applies them, so a finding silenced by a region is
 * not also counted for a line directive (which is then unused). Fatal findings (a file that cannot be read or
 * parsed) cannot be silenced, as ESLint's parsing errors cannot.
 */
import { commentsOf } from '../loader/comments.js';
import type { SourceFile, SourceRange } from '../loader/source.js';
import type { ResourceGraph } from '../model/graph.js';
import { nearestName } from '../model/evidence/nearest-name.js';
import { locateField, type Resource } from '../model/objects/resource.js';
import { asObject, asString, getIn } from '../model/objects/values.js';
import type { LintMessage, SuppressedLintMessage } from './results.js';
import type { ReportSeverity, RuleModule, Severity } from './rule.js';

export type DirectiveKind = 'disable' | 'enable' | 'disable-line' | 'disable-next-line';

/** One `# kubewire-…` comment. */
export interface Directive {
  kind: DirectiveKind;
  /** The name as written: `kubewire-disable-next-line`. */
  name: string;
  /** The rules it names, each with where it is written; empty for "every rule". */
  rules: { id: string; range: SourceRange }[];
  /** The text after ` -- `, or '' when there is none. */
  justification: string;
  /** The whole comment. */
  range: SourceRange;
  /** Helm templates of `helm template` output: directives only act inside their own scope. */
  scope: number;
}

/** The directives of a file, and the line each scope starts on (scope i starts at scopeStarts[i]). */
export interface FileDirectives {
  directives: Directive[];
  scopeStarts: number[];
}

const DIRECTIVE = /^(kubewire-(?:disable(?:-next-line|-line)?|enable))(?:\s|$)/;
/** helm pkg/action/action.go renderResources: `# Source: <chart>/templates/<file>` starts each rendered template. */
const HELM_SOURCE = /^# Source: \S/;

/** The `# kubewire-…` comments of a file; nothing (and no lexing) when its text never says `kubewire-`. */
export function directivesOf(file: SourceFile): FileDirectives {
  const none: FileDirectives = { directives: [], scopeStarts: [1] };
  if (!file.text.includes('kubewire-')) return none;
  const directives: Directive[] = [];
  const scopeStarts = [1];
  for (const { text: token, start } of commentsOf(file)) {
    const at = file.positionAt(start);
    if (at.column === 1 && HELM_SOURCE.test(token) && at.line > scopeStarts[scopeStarts.length - 1]!) scopeStarts.push(at.line);
    const directive = parseComment(file, token, start);
    if (directive) directives.push({ ...directive, scope: scopeStarts.length - 1 });
  }
  return { directives, scopeStarts };
}

function parseComment(file: SourceFile, comment: string, start: number): Omit<Directive, 'scope'> | undefined {
  const body = comment.slice(1);
  const lead = body.length - body.trimStart().length;
  const text = body.trim();
  const match = DIRECTIVE.exec(text);
  if (!match) return undefined;
  const name = match[1]!;
  // ConfigCommentParser: the directive ends at the first run of two or more dashes between blanks.
  const dashes = /\s-{2,}\s/.exec(text);
  const directivePart = dashes ? text.slice(0, dashes.index) : text;
  const justification = dashes ? text.slice(dashes.index + dashes[0].length).trim() : '';
  const kind = name.slice('kubewire-'.length) as DirectiveKind;
  const rules: Directive['rules'] = [];
  const listStart = start + 1 + lead + name.length;
  let cursor = 0;
  const list = directivePart.slice(name.length);
  // ESLint's parseListConfig: comma-separated, each trimmed, surrounding quotes dropped.
  for (const item of list.split(',')) {
    const itemStart = cursor;
    cursor += item.length + 1;
    const id = item.trim().replace(/^(['"]?)(.*)\1$/s, '$2');
    if (!id) continue;
    const from = listStart + itemStart + item.indexOf(id);
    rules.push({ id, range: file.rangeAt(from, from + id.length) });
  }
  return { kind, name, rules, justification, range: file.rangeAt(start, start + comment.length) };
}

/** The messages the engine reports under the rule that says `meta.reportsDirectives`. */
export type DirectiveMessageId = 'unused' | 'unusedEnable' | 'unknownRule' | 'unknownRuleInAnnotation';

export interface DirectiveInput {
  graph: ResourceGraph;
  rules: readonly RuleModule[];
  severities: Readonly<Record<string, Severity>> | undefined;
  /** Severity of unused directives (ESLint's `reportUnusedDisableDirectives`). */
  reportUnused: Severity;
  messagesByFile: Map<string, LintMessage[]>;
  suppressedByFile: Map<string, SuppressedLintMessage[]>;
  /** The linter's message interpolation and ignore annotation, passed in since linter.ts imports this module. */
  interpolate: (template: string, data: Readonly<Record<string, string | number>>) => string;
  annotation: string;
}

/**
 * Moves the findings that directives silence to the suppressed ones, and adds the findings about the directives
 * themselves (unused, unknown rule ids) and about unknown rule ids in `kubewire.io/ignore` annotations.
 */
export function applyDirectives(input: DirectiveInput): void {
  const known = new Set(input.rules.map((r) => r.name));
  const reporter = input.rules.find((r) => r.meta.reportsDirectives);
  const configured = reporter ? (input.severities?.[reporter.name] ?? reporter.meta.defaultSeverity) : 'off';
  const report = (
    filePath: string,
    messageId: DirectiveMessageId,
    severity: Severity,
    data: Record<string, string>,
    range: SourceRange,
    extra: Partial<LintMessage> = {},
  ) => {
    if (!reporter || configured === 'off' || severity === 'off') return;
    const template = reporter.meta.messages[messageId];
    if (template === undefined) throw new Error(`rule ${reporter.name} has no message ${messageId}`);
    let list = input.messagesByFile.get(filePath);
    if (!list) input.messagesByFile.set(filePath, (list = []));
    list.push({
      ruleId: reporter.name,
      messageId,
      severity: severity === 'warn' ? 1 : 2,
      message: input.interpolate(template, data),
      ...range,
      ...extra,
    });
  };
  const unknownSeverity: ReportSeverity = configured === 'warn' ? 'warn' : 'error';

  const files = new Map<string, SourceFile>();
  for (const document of input.graph.documents) files.set(document.file.path, document.file);
  for (const [filePath, file] of files) {
    const { directives, scopeStarts } = directivesOf(file);
    if (directives.length === 0) continue;
    const messages = input.messagesByFile.get(filePath) ?? [];
    const used = new Set<string>();
    const kept: LintMessage[] = [];
    const silenced: SuppressedLintMessage[] = [];
    for (const message of messages) {
      const by = message.fatal ? undefined : silencedBy(message, directives, scopeOf(message.line, scopeStarts));
      if (!by) {
        kept.push(message);
        continue;
      }
      used.add(usageKey(by.directive, by.ruleId));
      silenced.push({
        ...message,
        suppressions: [{ kind: 'directive', justification: by.directive.justification, location: { filePath, ...by.directive.range } }],
      });
    }
    input.messagesByFile.set(filePath, kept);
    if (silenced.length > 0) input.suppressedByFile.set(filePath, [...(input.suppressedByFile.get(filePath) ?? []), ...silenced]);

    for (const directive of directives) {
      const named = directive.rules.filter((r) => known.has(r.id));
      for (const rule of directive.rules) {
        if (known.has(rule.id)) continue;
        const near = nearestName(rule.id, known);
        report(filePath, 'unknownRule', unknownSeverity, { id: rule.id, directive: directive.name, hint: hintFor(near) }, rule.range);
      }
      if (directive.kind === 'enable') continue;
      // A comment that names only unknown rules has been reported for them; "unused" would say it twice.
      if (directive.rules.length > 0 && named.length === 0) continue;
      const unused =
        directive.rules.length === 0
          ? used.has(usageKey(directive, null))
            ? []
            : [null]
          : named.filter((r) => !used.has(usageKey(directive, r.id))).map((r) => r.id);
      if (unused.length === 0) continue;
      const from = unused[0] === null ? '' : ` from ${quoteList(unused as string[])}`;
      report(filePath, 'unused', input.reportUnused, { directive: directive.name, from }, directive.range);
    }
    for (const { directive, ruleId } of unusedEnables(directives)) {
      report(filePath, 'unusedEnable', input.reportUnused, { for: ruleId === null ? '' : ` for "${ruleId}"` }, directive.range);
    }
  }

  for (const resource of input.graph.resources) {
    const value = asString(asObject(getIn(resource.object, ['metadata', 'annotations']))?.[input.annotation]);
    if (!value) continue;
    for (const id of value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0)) {
      if (known.has(id)) continue;
      const near = nearestName(id, known);
      const where = annotationIdRange(resource, input.annotation, id, files);
      report(
        where.file,
        'unknownRuleInAnnotation',
        unknownSeverity,
        { id, annotation: input.annotation, hint: hintFor(near) },
        where.range,
        {
          resource: { apiVersion: resource.apiVersion, kind: resource.kind, namespace: resource.namespace, name: resource.name },
          path: `metadata.annotations["${input.annotation}"]`,
        },
      );
    }
  }
}

/** "Did you mean" only when a rule id is close (nearestName); else where the ids are listed. */
function hintFor(near: string | undefined): string {
  return near ? ` Did you mean "${near}"?` : ' `kubewire rules` lists the rules.';
}

function usageKey(directive: Directive, ruleId: string | null): string {
  return `${directive.range.line}:${directive.range.column}:${ruleId ?? ''}`;
}

function scopeOf(line: number, scopeStarts: readonly number[]): number {
  let scope = 0;
  while (scope + 1 < scopeStarts.length && scopeStarts[scope + 1]! <= line) scope++;
  return scope;
}

function names(directive: Directive, ruleId: string): boolean {
  return directive.rules.some((r) => r.id === ruleId);
}

/** ESLint's compareLocations: a directive acts on what comes at or after its position. */
function before(directive: Directive, message: { line: number; column: number }): boolean {
  return directive.range.line < message.line || (directive.range.line === message.line && directive.range.column <= message.column);
}

/** The directive that silences a finding, and under which rule id (null: the directive names every rule). */
function silencedBy(
  message: LintMessage,
  directives: readonly Directive[],
  scope: number,
): { directive: Directive; ruleId: string | null } | undefined {
  // Regions first (ESLint: applyDirectives on block directives, then on line directives).
  let everything: Directive | undefined;
  const disabled = new Map<string, Directive>();
  const enabled = new Set<string>();
  for (const directive of directives) {
    if (directive.scope !== scope || !before(directive, message)) continue;
    if (directive.kind === 'disable') {
      if (directive.rules.length === 0) {
        everything = directive;
        disabled.clear();
        enabled.clear();
      } else {
        for (const { id } of directive.rules) {
          enabled.delete(id);
          disabled.set(id, directive);
        }
      }
    } else if (directive.kind === 'enable') {
      if (directive.rules.length === 0) {
        everything = undefined;
        disabled.clear();
      } else {
        for (const { id } of directive.rules) {
          if (everything) enabled.add(id);
          disabled.delete(id);
        }
      }
    }
  }
  const region = disabled.get(message.ruleId);
  if (region) return { directive: region, ruleId: message.ruleId };
  if (everything && !enabled.has(message.ruleId)) return { directive: everything, ruleId: null };

  for (const directive of directives) {
    const line =
      directive.kind === 'disable-line'
        ? directive.range.line
        : directive.kind === 'disable-next-line'
          ? directive.range.line + 1
          : undefined;
    if (line !== message.line) continue;
    if (directive.rules.length === 0) return { directive, ruleId: null };
    if (names(directive, message.ruleId)) return { directive, ruleId: message.ruleId };
  }
  return undefined;
}

/** `kubewire-enable` comments that end no region (ESLint 9: "no matching eslint-disable directives were found"). */
function unusedEnables(directives: readonly Directive[]): { directive: Directive; ruleId: string | null }[] {
  const out: { directive: Directive; ruleId: string | null }[] = [];
  let everything = false;
  let scope = 0;
  const disabled = new Set<string>();
  const enabled = new Set<string>();
  for (const directive of directives) {
    if (directive.scope !== scope) {
      scope = directive.scope;
      everything = false;
      disabled.clear();
      enabled.clear();
    }
    if (directive.kind === 'disable') {
      if (directive.rules.length === 0) {
        everything = true;
        disabled.clear();
        enabled.clear();
      } else {
        for (const { id } of directive.rules) {
          enabled.delete(id);
          disabled.add(id);
        }
      }
    } else if (directive.kind === 'enable') {
      if (directive.rules.length === 0) {
        if (!everything && disabled.size === 0) out.push({ directive, ruleId: null });
        everything = false;
        disabled.clear();
      } else {
        for (const { id } of directive.rules) {
          if (!disabled.has(id) && !(everything && !enabled.has(id))) out.push({ directive, ruleId: id });
          if (everything) enabled.add(id);
          disabled.delete(id);
        }
      }
    }
  }
  return out;
}

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"`. */
function quoteList(ids: readonly string[]): string {
  const quoted = ids.map((id) => `"${id}"`);
  return quoted.length <= 2 ? quoted.join(' or ') : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

/** The misspelt id inside the annotation's value when it is written on one line, else the whole value. */
function annotationIdRange(
  resource: Resource,
  annotation: string,
  id: string,
  files: ReadonlyMap<string, SourceFile>,
): { file: string; range: SourceRange } {
  const located = locateField(resource, ['metadata', 'annotations', annotation]);
  const { range } = located;
  const source = files.get(located.file);
  if (!source || range.line !== range.endLine) return { file: located.file, range };
  const text = source.lineText(range.line).slice(range.column - 1, range.endColumn - 1);
  const at = new RegExp(`(^|[\\s,"'])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=$|[\\s,"'])`).exec(text);
  if (!at) return { file: located.file, range };
  const column = range.column + at.index + at[1]!.length;
  return { file: located.file, range: { line: range.line, column, endLine: range.line, endColumn: column + id.length } };
}
