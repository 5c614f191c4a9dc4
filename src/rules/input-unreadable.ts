import { createRule } from '../api/authoring.js';

export const inputUnreadable = createRule({
  name: 'input-unreadable',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    fatal: true,
    docs: { description: 'Disallow input files that cannot be read as text manifests' },
    messages: {
      unreadable: 'Cannot lint this file: {{detail}}. The other files are still linted.',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    return {
      InputProblem(problem) {
        context.report({
          file: problem.path,
          ...(problem.line !== undefined ? { line: problem.line } : {}),
          ...(problem.column !== undefined ? { column: problem.column } : {}),
          messageId: 'unreadable',
          data: { detail: problem.message },
        });
      },
    };
  },
});
