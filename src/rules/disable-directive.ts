import { createRule } from '../api/authoring.js';

/**
 * Problems with the comments and annotations that silence other rules. Whether a `# kubewire-disable` comment
 * silences anything is known only after every other rule has reported, so the engine finds these problems itself
 * (src/engine/directives.ts, as ESLint's Linter reports unused `eslint-disable` comments) and reports them under
 * this rule: its id, messages, severity and docs page are what users configure and read. `unused` and
 * `unusedEnable` take their severity from `reportUnusedDisableDirectives` (`--report-unused-disable-directives`);
 * the rule's own severity is that of rule ids that name no rule.
 */
export const disableDirective = createRule<[], 'unused' | 'unusedEnable' | 'unknownRule' | 'unknownRuleInAnnotation'>({
  name: 'disable-directive',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    reportsDirectives: true,
    docs: { description: 'Disallow disable directives and kubewire.io/ignore annotations that name unknown rules or silence nothing' },
    messages: {
      unused:
        'Unused {{directive}} directive (no problems were reported{{from}}): remove it, or it will silence a real problem that appears here later.',
      unusedEnable: 'Unused kubewire-enable directive (no matching kubewire-disable directive was found{{for}}): remove it.',
      unknownRule: '"{{id}}" in this {{directive}} comment is not a kubewire rule, so it silences nothing.{{hint}}',
      unknownRuleInAnnotation: '"{{id}}" in the {{annotation}} annotation is not a kubewire rule, so it silences nothing.{{hint}}',
    },
    schema: [],
    defaultOptions: [],
  },
  create() {
    // No listeners: the engine reports this rule's findings after every other rule has run (see above).
    return {};
  },
});
