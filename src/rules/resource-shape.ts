import { createRule } from '../api/authoring.js';

export const resourceShape = createRule({
  name: 'resource-shape',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    docs: { description: 'Require apiVersion, kind and metadata of every object to have the types the API server expects' },
    messages: {
      malformed: 'Not a valid Kubernetes object: {{detail}}. The API server rejects it, and kubewire cannot check its wiring.',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    return {
      MalformedObject(object) {
        const range = object.document.locate(object.path).range;
        context.report({ document: object.document, range, messageId: 'malformed', data: { detail: object.message } });
      },
    };
  },
});
