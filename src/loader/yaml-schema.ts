import type { ScalarTag, Tags } from 'yaml';

/**
 * The YAML dialect kubectl speaks.
 *
 * kubectl turns YAML into JSON with sigs.k8s.io/yaml, which decodes with go-yaml v2 (YAML 1.1 resolution)
 * into interface{} values. We start from the `yaml` package's 1.1 schema and adjust it to what go-yaml v2's
 * resolve() (gopkg.in/yaml.v2 resolve.go) actually does:
 * - y/Y/yes/on/n/no/off... are booleans (kept from the 1.1 schema);
 * - integers are parsed with strconv.ParseInt(s, 0, 64) after removing `_`, so 0777 is octal, and 0o17, 0x1F
 *   and 0b101 are accepted as well;
 * - sexagesimal numbers (`22:22`) and timestamps are NOT resolved when decoding into interface{}: they stay
 *   strings (go-yaml v2 keeps timestamp-looking scalars as strings for backwards compatibility);
 * - floats are go-yaml's (goStyleFloat below), not the 1.1 schema's, which reads `e2` and `.` as NaN;
 * - `!!binary` is decoded from base64 into a string (decode.go `scalar`), and `!!set`, `!!omap` and `!!pairs` are
 *   not resolvable tags in go-yaml v2: their maps and lists stay plain maps and lists.
 */
const SEXAGESIMAL_OR_TIMESTAMP_FORMATS = new Set(['TIME']);

function goStyleInt(format: string | undefined, test: RegExp, radix: number, prefixLength: number): ScalarTag {
  return {
    identify: (value: unknown) => typeof value === 'number' && Number.isInteger(value),
    default: true,
    tag: 'tag:yaml.org,2002:int',
    ...(format ? { format } : {}),
    test,
    resolve(source: string) {
      const negative = source.startsWith('-');
      const unsigned = source.replace(/^[-+]/, '').slice(prefixLength).replace(/_/g, '');
      const value = parseInt(unsigned, radix);
      // -0o0 is 0 for ParseInt (and JSON), not JavaScript's -0.
      return negative && value !== 0 ? -value : value;
    },
  };
}

/** `0o17`: accepted by strconv.ParseInt(base 0) but not part of the YAML 1.1 schema. */
const intOctO = goStyleInt('OCT', /^[-+]?0o[0-7_]+$/, 8, 2);
/** strconv.ParseInt(base 0) takes the prefixes in upper case too: `0X1F`, `0O17`, `0B101`. */
const upperCasePrefixes = [
  goStyleInt('HEX', /^[-+]?0X[0-9a-fA-F_]+$/, 16, 2),
  goStyleInt('OCT', /^[-+]?0O[0-7_]+$/, 8, 2),
  goStyleInt('BIN', /^[-+]?0B[01_]+$/, 2, 2),
];

/**
 * A float as go-yaml v2 reads one: a scalar that starts with a sign, a digit or `.` (resolve.go's resolveTable
 * hints) and, with every `_` removed, matches its yamlStyleFloat, `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
 * So `1e3`, `.5_0` and `1e_3` are numbers and `e2` (a GCE machine family), `E5`, `.` and `.e3` stay strings;
 * the 1.1 schema's float patterns, which allow a float without digits, read those as NaN. `.inf` and `.nan`
 * keep their own tag. Checked against kubectl by test/kubectl-parse-oracle.test.ts.
 */
const goStyleFloat: ScalarTag = {
  identify: (value: unknown) => typeof value === 'number',
  default: true,
  tag: 'tag:yaml.org,2002:float',
  test: /^(?=[-+.0-9])[-+]?_*(?:\.[0-9_]*[0-9][0-9_]*|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE]_*[-+]?_*[0-9][0-9_]*)?$/,
  resolve: (source: string) => parseFloat(source.replace(/_/g, '')),
};

const binaryAsString: ScalarTag = {
  identify: () => false,
  default: false,
  tag: 'tag:yaml.org,2002:binary',
  resolve: (source: string) => Buffer.from(source.replace(/\s+/g, ''), 'base64').toString('utf8'),
};

const NOT_RESOLVED_BY_GO_YAML = new Set([
  'tag:yaml.org,2002:set',
  'tag:yaml.org,2002:omap',
  'tag:yaml.org,2002:pairs',
  'tag:yaml.org,2002:binary',
]);

export function kubectlYamlTags(tags: Tags): Tags {
  const kept = tags.filter((tag) => {
    const t = tag as ScalarTag;
    if (t.tag === 'tag:yaml.org,2002:timestamp' || NOT_RESOLVED_BY_GO_YAML.has(t.tag)) return false;
    if (t.format && SEXAGESIMAL_OR_TIMESTAMP_FORMATS.has(t.format)) return false;
    // The 1.1 schema's floats, but for `.inf` and `.nan` (goStyleFloat replaces them).
    if (t.tag === 'tag:yaml.org,2002:float' && !t.test?.test('.nan')) return false;
    return true;
  });
  return [...kept, goStyleFloat, intOctO, ...upperCasePrefixes, binaryAsString];
}

export const KUBECTL_PARSE_OPTIONS = {
  version: '1.1',
  schema: 'yaml-1.1',
  customTags: kubectlYamlTags,
  merge: true,
  // We report duplicate keys ourselves (with both positions), so the parser must not stop at them.
  uniqueKeys: false,
  prettyErrors: false,
  keepSourceTokens: false,
} as const;
