import { createRule, type ManifestDocument, type SourceRange } from '../api/authoring.js';
import { placeholdersOf } from '../model/objects/placeholders.js';
import { locateField } from '../model/objects/resource.js';

interface FirstPlaceholder {
  document: ManifestDocument;
  range: SourceRange;
  text: string;
  count: number;
}

export const templatePlaceholder = createRule({
  name: 'template-placeholder',
  meta: {
    type: 'suggestion',
    defaultSeverity: 'warn',
    docs: { description: 'Disallow placeholders in the fields kubewire checks, once per file, naming the checks it left out' },
    messages: {
      placeholders:
        'This file is a template: it holds {{count}} that another tool fills in before it is applied (envsubst, Flux postBuild substitution, a sed or CI step), the first {{first}} at line {{line}}. kubewire cannot know the value, so it leaves out every check that depends on a placeholder. To check those too, lint the substituted output, e.g. `envsubst < {{file}} | kubewire -`.',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const byFile = new Map<string, FirstPlaceholder>();
    return {
      '*'(resource) {
        const found = placeholdersOf(resource);
        if (found.length === 0) return;
        const file = resource.document.file.path;
        const seen = byFile.get(file);
        if (seen) {
          seen.count += found.length;
          return;
        }
        const first = found[0]!;
        // Reported on the document, not the resource: this note is about the placeholder itself, so it must not
        // be held back like the findings that depend on one.
        byFile.set(file, {
          document: resource.document,
          range: locateField(resource, first.path).range,
          text: first.text,
          count: found.length,
        });
      },
      'graph:exit'() {
        for (const [file, first] of byFile) {
          context.report({
            document: first.document,
            range: first.range,
            messageId: 'placeholders',
            data: {
              first: `\`${first.text}\``,
              line: first.range.line,
              count: first.count === 1 ? 'a placeholder' : `${first.count} placeholders`,
              file,
            },
          });
        }
      },
    };
  },
});
