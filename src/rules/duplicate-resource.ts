import { createRule } from '../api/authoring.js';
import { duplicateOf, duplicateSeverity, identityLabel, repeatsOfSameFile } from '../model/evidence/duplicates.js';
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
      inOneBuild:
        '{{identity}} is defined {{count}} times in one kustomize build (this is definition {{position}}; first defined at {{first}}): `kustomize build` fails ("may not add resource with an already registered id"), so nothing of the build is applied.{{namespaceNote}} Keep one definition, or give the copies different names.',
      inOneFile:
        '{{identity}} is defined {{count}} times in this file (this is definition {{position}}; first defined at {{first}}). kubectl apply applies them in order, so the last one ({{winner}}) overwrites the others{{difference}}; Argo CD flags the repetition (RepeatedResourceWarning).{{namespaceNote}} Keep one definition, or give the copies different names.',
      inOneFolder:
        '{{identity}} is also defined in {{first}}, in the same folder, with different settings. `kubectl apply -f` on the folder applies both in file order, so the last one ({{winner}}) overwrites the other and the settings that differ are lost.{{namespaceNote}} If the files are alternatives applied one at a time, ignore this; otherwise keep one definition.',
      repeatsFile:
        '{{file}} defines {{count}} objects that {{other}} defines too ({{list}}){{how}}. Keep one definition of each, or give the copies different names.',
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
          const anyDiffers = repeats.some((r) => {
            const d = duplicateOf(graph, r);
            return d !== undefined && !d.identical;
          });
          const severity = duplicateSeverity(duplicate, anyDiffers);
          if (!severity) return;
          const names = repeats.map(identityLabel);
          context.report({
            resource,
            path: ['metadata', 'name'],
            messageId: 'repeatsFile',
            ...(severity === 'warn' ? { severity } : {}),
            data: {
              file: resource.document.file.path,
              count: repeats.length,
              other: duplicate.first.document.file.path,
              list: names.length > 5 ? `${names.slice(0, 5).join(', ')}, ...` : names.join(', '),
              how:
                duplicate.scope === 'build'
                  ? ', and one kustomize build includes both: `kustomize build` fails ("may not add resource with an already registered id")'
                  : ", in the same folder and with different settings: `kubectl apply -f` on the folder applies both, and the file applied last overwrites the other's copies. If they are alternative versions applied one at a time (examples, variants), this is fine",
            },
            related: [{ resource: duplicate.first, path: ['metadata', 'name'], message: 'first defined here' }],
          });
          return;
        }
        const severity = duplicateSeverity(duplicate);
        if (!severity) return;
        const { first, winner } = duplicate;
        const data = {
          identity: identityLabel(resource),
          count: duplicate.count,
          position: duplicate.position,
          first: where(first),
          winner: winner === resource ? 'this one' : where(winner),
          difference: duplicate.identical
            ? '. The copies are identical today, so nothing is lost yet, but the next edit to one of them will be undone by the other'
            : ', and the settings that differ in the earlier copies are lost',
          namespaceNote: namespaceNote(first, resource),
        };
        context.report({
          resource,
          path: ['metadata', 'name'],
          messageId: duplicate.scope === 'build' ? 'inOneBuild' : duplicate.scope === 'file' ? 'inOneFile' : 'inOneFolder',
          data,
          ...(severity === 'warn' ? { severity } : {}),
          related: [
            { resource: first, path: ['metadata', 'name'], message: 'first defined here' },
            ...(winner !== resource && winner !== first
              ? [{ resource: winner, path: ['metadata', 'name'], message: 'this definition wins on apply (the last one)' }]
              : []),
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
