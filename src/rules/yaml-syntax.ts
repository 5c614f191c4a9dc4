import { createRule } from '../api/authoring.js';

export const yamlSyntax = createRule({
  name: 'yaml-syntax',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    fatal: true,
    docs: { description: 'Disallow YAML that kubectl cannot parse or silently skips' },
    messages: {
      syntax:
        'YAML syntax error: {{detail}}. kubectl applies the documents before this one, then stops reading the file: this document and every later one in the file are not applied. (kubewire still lints the later documents.)',
      unseparated:
        'kubectl never applies this document: it decodes only the first document between two `---` lines, and no `---` line separates this one from the previous (a `...` end marker does not count). Put a `---` line before it.',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    return {
      Document(document) {
        // The first error of a document is the one to fix; the parser's follow-on errors (a template with
        // `{{ }}` gives one per line) would bury it.
        const syntax = document.problems.filter((p) => p.kind === 'syntax');
        const first = syntax[0];
        if (first) {
          const more = syntax.length > 1 ? ` (and ${syntax.length - 1} more error${syntax.length > 2 ? 's' : ''} after it in this document)` : '';
          context.report({ document, range: first.range, messageId: 'syntax', data: { detail: `${first.message}${more}` } });
        }
        for (const problem of document.problems) {
          if (problem.kind === 'unseparated') context.report({ document, range: problem.range, messageId: 'unseparated' });
        }
      },
    };
  },
});
