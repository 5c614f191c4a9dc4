import { createRule } from '../api/authoring.js';
import { duplicateOf, identityLabel, repeatsOfSameFile } from '../model/evidence/duplicates.js';
import { locateField, type Resource } from '../model/objects/resource.js';
import { asString, getIn } from '../model/objects/values.js';

/** From this many objects repeated between two files on, one finding covers them all. */
const MIN_REPEATS_FOR_ONE_FINDING = 3;

export const duplicateResource = createRule({
  name: 'duplicate-resource',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    docs: { description: 'Disallow defining the same object (API group, kind, namespace, name) more than once' },
    messages: {
      duplicate:
        '{{identity}} is defined {{count}} times (this is definition {{position}}; first defined at {{first}}). kubectl apply applies them in order, so the last one ({{winner}}) silently overwrites the others{{difference}}; kustomize rejects the repetition and Argo CD flags it (RepeatedResourceWarning).{{namespaceNote}} Keep one definition, or give the copies different names.',
      repeatsFile:
        '{{file}} defines {{count}} objects that {{other}} defines too ({{list}}). If both files are applied together, the one applied last overwrites the other\'s copies; if they are alternative versions applied one at a time (examples, variants), this is fine. Keep one definition of each, or give the copies different names.',
      duplicateInOtherFolder:
        '{{identity}} is also defined in another folder ({{first}}). If both folders are applied together (kubectl apply -R, one kustomization, one Argo CD application), the last one ({{winner}}) overwrites the other{{difference}}.{{namespaceNote}} If they are copies for different environments, applied separately, give each its own namespace or ignore this.',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const { graph } = context;
    return {
      '*'(resource) {
        const duplicate = duplicateOf(graph, resource);
        if (!duplicate) return;
        // Many objects repeated between the same two files: one finding, on the first of them.
        const repeats = repeatsOfSameFile(graph, resource, duplicate);
        if (repeats.length >= MIN_REPEATS_FOR_ONE_FINDING) {
          if (repeats[0] !== resource) return;
          const names = repeats.map(identityLabel);
          context.report({
            resource,
            path: ['metadata', 'name'],
            messageId: 'repeatsFile',
            ...(duplicate.surelyTogether ? {} : { severity: 'warn' as const }),
            data: {
              file: resource.document.file.path,
              count: repeats.length,
              other: duplicate.first.document.file.path,
              list: names.length > 5 ? `${names.slice(0, 5).join(', ')}, ...` : names.join(', '),
            },
            related: [{ resource: duplicate.first, path: ['metadata', 'name'], message: 'first defined here' }],
          });
          return;
        }
        const { first, winner } = duplicate;
        const data = {
          identity: identityLabel(resource),
          count: duplicate.count,
          position: duplicate.position,
          first: where(first),
          winner: winner === resource ? 'this one' : where(winner),
          difference: duplicate.identical
            ? '. The copies are identical today, but the next edit to one of them will be undone by the other'
            : ', and the settings that differ in the earlier copies are lost',
          namespaceNote: namespaceNote(first, resource),
        };
        context.report({
          resource,
          path: ['metadata', 'name'],
          messageId: duplicate.sameFolder ? 'duplicate' : 'duplicateInOtherFolder',
          data,
          // An error only when the copies are surely applied together (one file, one kustomize build); copies in
          // two files, even of one folder, may be alternative versions that are never applied together.
          ...(duplicate.surelyTogether ? {} : { severity: 'warn' as const }),
          related: [
            { resource: first, path: ['metadata', 'name'], message: 'first defined here' },
            ...(winner !== resource && winner !== first ? [{ resource: winner, path: ['metadata', 'name'], message: 'this definition wins on apply (the last one)' }] : []),
          ],
        });
      },
    };
  },
});

function where(resource: Resource): string {
  const located = locateField(resource, ['metadata', 'name']);
  return `${located.file}:${located.range.line}`;
}

/** Says why two definitions that write the namespace differently are still the same object. */
function namespaceNote(a: Resource, b: Resource): string {
  const written = (r: Resource) => asString(getIn(r.object, ['metadata', 'namespace']));
  if (!a.namespace || written(a) === written(b)) return '';
  return ` (A definition without metadata.namespace lands in the namespace kubectl is given, here "${a.namespace}", so both are the same object.)`;
}
