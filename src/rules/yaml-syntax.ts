import { createRule } from '../api/authoring.js';

/** Who rejects what kubectl reads leniently (the `yaml` npm package is the YAML 1.2 parser of both). */
const YAML_12_TOOLS = "YAML 1.2 parsers, such as the `yaml` npm package behind VS Code's YAML extension and Prettier, reject the file";

export const yamlSyntax = createRule({
  name: 'yaml-syntax',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    fatal: true,
    docs: { description: 'Disallow YAML that kubectl cannot parse or silently skips' },
    messages: {
      templateFile:
        'This document is a template (`{{ ... }}` here), not YAML that kubectl can read: kubectl stops with "invalid map key". This is a warning, not an error, because such a file is rendered (helm template, gomplate, a kustomize function) before anything applies it, and kubewire cannot check it as written. Lint the rendered output instead.',
      syntax:
        'YAML syntax error: {{detail}}. kubectl applies the documents before this one, then stops reading the file: this document and every later one in the file are not applied. (kubewire still lints the later documents.)',
      unseparated:
        'kubectl never applies this document: it decodes only the first document between two `---` lines, and no `---` line separates this one from the previous (a `...` end marker does not count). Put a `---` line before it.',
      underIndented: `A continuation line of this quoted value or [ ] / { } list is indented no deeper than its key{{more}}. kubectl reads it as intended (go-yaml does not check indentation inside quotes and brackets), so this is only a warning; but ${YAML_12_TOOLS}. Indent the continuation lines deeper than the key.`,
      commentWithoutSpace: `A \`#\` comment follows the value with no space before it{{more}}. kubectl takes it as a comment, so this is only a warning; but ${YAML_12_TOOLS}. Put a space before the \`#\`.`,
      escapedApostrophe: `\`\\'\` in a double-quoted string is an escape of YAML 1.1 only{{more}}. kubectl reads it as \`'\`, so this is only a warning; but ${YAML_12_TOOLS}. Write \`'\` without the backslash.`,
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
          const more =
            syntax.length > 1 ? ` (and ${syntax.length - 1} more error${syntax.length > 2 ? 's' : ''} after it in this document)` : '';
          // A Go-template file (`{{ .Values.x }}`) outside a chart folder is input to another tool: it is rendered
          // before anything applies it, so its syntax is no defect of a manifest (a warning, as for placeholders).
          if (first.message.startsWith('`{{ ... }}` is template syntax')) {
            context.report({ document, range: first.range, messageId: 'templateFile', severity: 'warn' });
          } else {
            context.report({ document, range: first.range, messageId: 'syntax', data: { detail: `${first.message}${more}` } });
          }
        }
        for (const problem of document.problems) {
          if (problem.kind === 'unseparated') context.report({ document, range: problem.range, messageId: 'unseparated' });
          if (problem.kind !== 'lenient' || !problem.leniency || first) continue;
          const others = problem.related.length;
          const more = others > 0 ? ` (and ${others} more place${others > 1 ? 's' : ''} in this document that only go-yaml accepts)` : '';
          const messageId =
            problem.leniency === 'under-indented'
              ? 'underIndented'
              : problem.leniency === 'comment-without-space'
                ? 'commentWithoutSpace'
                : 'escapedApostrophe';
          context.report({ document, range: problem.range, messageId, data: { more }, severity: 'warn' });
        }
      },
    };
  },
});
