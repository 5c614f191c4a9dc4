import { createRule } from '../engine/rule.js';

export const yamlSyntax = createRule({
  name: 'yaml-syntax',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    docs: { description: 'Disallow YAML that kubectl cannot parse' },
    messages: {
      syntax: 'YAML syntax error: {{detail}}. kubectl rejects the whole file; kubewire skips this document and lints the rest.',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    return {
      Document(document) {
        for (const problem of document.problems) {
          if (problem.kind !== 'syntax') continue;
          context.report({ document, range: problem.range, messageId: 'syntax', data: { detail: problem.message } });
        }
      },
    };
  },
});
