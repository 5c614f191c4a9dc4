import { Kubewire } from '../../api/kubewire.js';
import type { LintMessage } from '../../engine/results.js';
import type { RuleConfig } from '../../engine/rule-config.js';
import type { RuleModule } from '../../engine/rule.js';
import { engine } from './engine-bridge.js';
import type { EslintRule, EslintRuleContext } from './eslint-types.js';
import { LANGUAGE_ID, PLUGIN_NAME } from './names.js';
import { settingsOf } from './settings.js';
import { noteLowered } from './severity.js';

/**
 * The kubewire rules ESLint runs on one file. ESLint creates every enabled rule before it visits the file, so
 * the first visit knows them all and lints the file once, for all of them, with each one's options.
 */
class FileRun {
  readonly #rules: Record<string, RuleConfig> = {};
  #messages: Map<string, LintMessage[]> | undefined;

  constructor(readonly context: EslintRuleContext) {}

  enable(ruleId: string, options: readonly unknown[]): void {
    this.#rules[ruleId] = options.length > 0 ? ['error', ...options] : 'error';
  }

  messagesOf(ruleId: string): LintMessage[] {
    if (!this.#messages) {
      const { context } = this;
      const settings = settingsOf(context.settings);
      const messages = engine.lint({
        cwd: context.cwd,
        physicalPath: context.physicalFilename,
        text: context.sourceCode.text,
        rules: this.#rules,
        ...settings,
      });
      this.#messages = new Map();
      for (const message of messages) {
        const list = this.#messages.get(message.ruleId) ?? [];
        list.push(message);
        this.#messages.set(message.ruleId, list);
      }
    }
    return this.#messages.get(ruleId) ?? [];
  }
}

/** One run per file ESLint lints: its SourceCode is the one object every rule of that file shares. */
const runs = new WeakMap<object, FileRun>();

function runOf(context: EslintRuleContext): FileRun {
  let run = runs.get(context.sourceCode);
  if (!run) runs.set(context.sourceCode, (run = new FileRun(context)));
  return run;
}

/**
 * ESLint has no related locations: they are appended to the message, as the command line prints them under it
 * (`↳ examples/checkout.yaml:20:33  closest pod template`), so the place to look is one click away in a terminal.
 */
export function eslintMessageText(message: LintMessage): string {
  const related = (message.related ?? []).map((r) => `${r.filePath}:${r.line}:${r.column} (${r.message})`);
  return related.length > 0 ? `${message.message} Related: ${related.join('; ')}.` : message.message;
}

/** An ESLint rule that reports what kubewire's rule of the same id finds; it lints nothing itself. */
function wrap(rule: RuleModule): EslintRule {
  const { meta } = rule;
  return {
    meta: {
      type: meta.type,
      docs: { description: meta.docs.description, url: meta.docs.url, recommended: true },
      messages: meta.messages,
      schema: meta.schema,
      defaultOptions: meta.defaultOptions,
      languages: [LANGUAGE_ID],
      ...(meta.deprecated ? { deprecated: true } : {}),
    },
    create(context) {
      const run = runOf(context);
      run.enable(rule.name, context.options);
      return {
        ManifestFile() {
          for (const message of run.messagesOf(rule.name)) {
            const text = eslintMessageText(message);
            if (message.severity === 1) noteLowered(context.filename, rule.name, message.line, message.column, text);
            context.report({
              message: text,
              loc: { start: { line: message.line, column: message.column }, end: { line: message.endLine, column: message.endColumn } },
            });
          }
        },
      };
    },
  };
}

/** Every kubewire rule, by its id without the `kubewire/` prefix (ESLint adds the plugin's name). */
export const rules: Record<string, EslintRule> = Object.fromEntries(Kubewire.rules().map((rule) => [rule.name, wrap(rule)]));

/** `kubewire/<id>` at each rule's default severity. */
export const recommendedRules: Record<string, 'warn' | 'error'> = Object.fromEntries(
  Kubewire.rules().map((rule) => [`${PLUGIN_NAME}/${rule.name}`, rule.meta.defaultSeverity]),
);
