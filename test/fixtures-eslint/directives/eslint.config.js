import kubewire from 'kubewire/eslint-plugin';

export default [kubewire.configs.recommended];
