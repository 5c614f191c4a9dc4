import type { EslintFile } from './eslint-types.js';
import { ManifestSourceCode, parseManifestFile, visitorKeys, type ManifestFileNode } from './source-code.js';

/**
 * `kubewire/yaml`: Kubernetes manifests (YAML and JSON) as an ESLint language (ESLint 9.7+ languages API). Parsing
 * never fails here: a YAML syntax error is a finding of `kubewire/yaml-syntax`, at its line, as on the command
 * line, and the file's other documents are still linted; failing the parse would hide them all behind one
 * "Parsing error".
 */
export const manifestLanguage = {
  fileType: 'text' as const,
  // kubewire counts lines and columns from 1 (UTF-16 code units), as ESLint reports them: no offset to apply.
  lineStart: 1 as const,
  columnStart: 1 as const,
  nodeTypeKey: 'type',
  visitorKeys,
  defaultLanguageOptions: {},

  validateLanguageOptions(languageOptions: Record<string, unknown>): void {
    const unknown = Object.keys(languageOptions ?? {});
    if (unknown.length > 0) {
      throw new TypeError(`kubewire/yaml takes no languageOptions (got ${unknown.join(', ')}); configure kubewire with settings.kubewire.`);
    }
  },

  parse(file: EslintFile): { ok: true; ast: ManifestFileNode } {
    return { ok: true, ast: parseManifestFile(textOf(file)) };
  },

  createSourceCode(file: EslintFile, parsed: { ast: ManifestFileNode }): ManifestSourceCode {
    return new ManifestSourceCode(textOf(file), parsed.ast, file.bom);
  },
};

function textOf(file: EslintFile): string {
  return typeof file.body === 'string' ? file.body : new TextDecoder().decode(file.body);
}
