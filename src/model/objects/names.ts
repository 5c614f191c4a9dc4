/**
 * Name syntax, as k8s.io/apimachinery/pkg/util/validation/validation.go defines it.
 */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const IANA_SVC_NAME_CHARS = /^[-a-z0-9]+$/;
const HAS_LETTER = /[a-z]/;

export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

export function isDns1035Label(value: string): boolean {
  return value.length <= 63 && DNS1035_LABEL.test(value);
}

/** Why `value` is not an IANA_SVC_NAME (IsValidPortName), or undefined when it is one. */
export function ianaSvcNameProblem(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > 15) return `must be no more than 15 characters (it has ${value.length})`;
  if (!IANA_SVC_NAME_CHARS.test(value)) return 'must contain only lower-case letters, digits and "-"';
  if (value.includes('--')) return 'must not contain consecutive hyphens ("--")';
  if (value.startsWith('-') || value.endsWith('-')) return 'must not begin or end with a hyphen';
  if (!HAS_LETTER.test(value)) return 'must contain at least one letter';
  return undefined;
}

/** Label (and annotation) key syntax: optional DNS-1123 subdomain prefix, then a qualified name part. */
export function isQualifiedName(value: string): boolean {
  const slash = value.lastIndexOf('/');
  const name = slash >= 0 ? value.slice(slash + 1) : value;
  const prefix = slash >= 0 ? value.slice(0, slash) : undefined;
  if (prefix !== undefined && !isDns1123Subdomain(prefix)) return false;
  return name.length <= 63 && QUALIFIED_NAME_PART.test(name);
}

export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}
