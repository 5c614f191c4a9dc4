import kubewire from 'kubewire/eslint-plugin';

export default [
  kubewire.configs.recommended,
  // JSON manifests: the recommended config for the folder that holds them.
  { ...kubewire.configs.recommended, files: ['**/*.json'] },
  // This folder is the context, not the kubewire repository it sits in.
  { settings: { kubewire: { context: ['.'] } } },
];
