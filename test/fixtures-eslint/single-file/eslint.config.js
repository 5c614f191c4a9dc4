import kubewire from 'kubewire/eslint-plugin';

export default [
  kubewire.configs.recommended,
  // This folder is the context, not the kubewire repository it sits in.
  { settings: { kubewire: { context: ['.'] } } },
];
