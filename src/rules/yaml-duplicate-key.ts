import { createRule } from '../api/authoring.js';

export const yamlDuplicateKey = createRule({
  name: 'yaml-duplicate-key',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    docs: { description: 'Disallow duplicate keys in a YAML mapping' },
    messages: {
      duplicate:
        'Duplicate key "{{key}}" (first defined at line {{firstLine}}). kubectl keeps only the last value without a word, so the first one never reaches the cluster (kustomize rejects the file outright). Remove or merge one of them.',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    return {
      Document(document) {
        for (const problem of document.problems) {
          if (problem.kind !== 'duplicate-key') continue;
          const key = /"(.*)"/.exec(problem.message)?.[1] ?? '';
          context.report({
            document,
            range: problem.range,
            messageId: 'duplicate',
            data: { key, firstLine: problem.related[0]?.range.line ?? 0 },
          });
        }
      },
    };
  },
});
