import { createRule } from '../api/authoring.js';

export const yamlDuplicateKey = createRule({
  name: 'yaml-duplicate-key',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    docs: { description: 'Disallow duplicate keys in a YAML mapping' },
    messages: {
      duplicate:
        'Duplicate key "{{key}}" (first defined at line {{firstLine}}) with a different value. kubectl keeps only the last value without a word, so the value at line {{firstLine}} never reaches the cluster (and kustomize refuses the file: "mapping key already defined"). Remove or merge one of them.',
      sameValue:
        'Duplicate key "{{key}}" (first defined at line {{firstLine}}) with the same value. Only a warning: kubectl keeps the last value, which is the same, so applying the file changes nothing; but a kustomize build that includes the file fails ("mapping key already defined"). Delete one of them.',
      missingSeparator:
        'A `---` line is probably missing before this line: the document repeats {{repeated}}, so a second object starts here ({{before}} above, {{after}} from here). kubectl keeps only the last value of each repeated key and applies one object: {{before}} is never created{{leftover}}. Put a `---` line before it.',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    return {
      Document(document) {
        for (const problem of document.problems) {
          if (problem.kind === 'missing-separator' && problem.objects) {
            context.report({ document, range: problem.range, messageId: 'missingSeparator', data: problem.objects });
            continue;
          }
          if (problem.kind !== 'duplicate-key') continue;
          const key = /"(.*)"/.exec(problem.message)?.[1] ?? '';
          const data = { key, firstLine: problem.related[0]?.range.line ?? 0 };
          if (problem.sameValue) context.report({ document, range: problem.range, messageId: 'sameValue', data, severity: 'warn' });
          else context.report({ document, range: problem.range, messageId: 'duplicate', data });
        }
      },
    };
  },
});
