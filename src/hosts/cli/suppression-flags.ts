import type { KubewireOptions } from '../../api/kubewire.js';
import { UsageError } from '../../loader/read-inputs.js';

const SEVERITY_WORDS: Readonly<Record<string, 'off' | 'warn' | 'error'>> = {
  off: 'off',
  0: 'off',
  warn: 'warn',
  1: 'warn',
  error: 'error',
  2: 'error',
};

/**
 * ESLint 9's two flags: `--report-unused-disable-directives` (errors) and
 * `--report-unused-disable-directives-severity <off|warn|error>`, which cannot be used together (eslint lib/cli.js).
 */
export function unusedDirectivesOption(
  flag: boolean | undefined,
  severity: string | undefined,
): Pick<KubewireOptions, 'reportUnusedDisableDirectives'> {
  if (flag && severity !== undefined) {
    throw new UsageError(
      '--report-unused-disable-directives and --report-unused-disable-directives-severity cannot be used together: keep the one with the severity you want',
    );
  }
  if (flag) return { reportUnusedDisableDirectives: 'error' };
  if (severity === undefined) return {};
  const value = SEVERITY_WORDS[severity];
  if (!value) throw new UsageError(`--report-unused-disable-directives-severity takes off, warn or error (or 0, 1, 2), not "${severity}"`);
  return { reportUnusedDisableDirectives: value };
}

/** ESLint's bulk suppression flags, as the API takes them. */
export function bulkSuppressionOptions(values: {
  'suppress-all'?: boolean | undefined;
  'suppress-rule'?: string[] | undefined;
  'prune-suppressions'?: boolean | undefined;
  'suppressions-location'?: string | undefined;
  'pass-on-unpruned-suppressions'?: boolean | undefined;
}): Pick<KubewireOptions, 'suppressAll' | 'suppressRule' | 'pruneSuppressions' | 'suppressionsLocation' | 'passOnUnprunedSuppressions'> {
  return {
    ...(values['suppress-all'] ? { suppressAll: true } : {}),
    ...(values['suppress-rule'] ? { suppressRule: values['suppress-rule'] } : {}),
    ...(values['prune-suppressions'] ? { pruneSuppressions: true } : {}),
    ...(values['suppressions-location'] !== undefined ? { suppressionsLocation: values['suppressions-location'] } : {}),
    ...(values['pass-on-unpruned-suppressions'] ? { passOnUnprunedSuppressions: true } : {}),
  };
}
