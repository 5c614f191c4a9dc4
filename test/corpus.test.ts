/**
 * The real-world corpus: manifests shaped like public repositories (test/corpus/<layout>/), each linted on its
 * own. Two checks per layout:
 * - LAYOUTS below states what the layout must give: the namespace it is linted in (as `kubewire -n`) and the
 *   exact count of findings per rule id, or NO_FINDINGS for a layout meant to be correct. Every folder needs an
 *   entry and every entry a folder.
 * - test/corpus/__snapshots__/<layout>.txt pins every finding (position, severity, message) and the simulated
 *   endpoints, so a change in behaviour shows up in review as a diff. Snapshots are checked, never written, by
 *   `npm test`; write a new or changed one with `npm test -- -u` (or `npx vitest run test/corpus.test.ts -u`)
 *   and read the diff. A snapshot without a layout fails.
 * How to add a layout: test/corpus/README.md.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../src/engine/linter.js';
import { loadProject } from '../src/engine/project.js';
import { endpointsReport } from '../src/model/services/endpoints-report.js';
import { endpointsTable } from '../src/reporters/endpoints-table.js';
import { allRules } from '../src/rules/index.js';
import { repoRoot } from './helpers.js';

/** What a layout must give, besides its snapshot. */
interface LayoutExpectation {
  /** The namespace of resources that name none, as `kubewire --namespace` (default `default`). */
  namespace?: string;
  /** The exact number of findings of each rule (rules not listed: none), or NO_FINDINGS. */
  findings: Readonly<Record<string, number>>;
}

/** A layout meant to be correct: every finding on it is a false positive. */
const NO_FINDINGS: Readonly<Record<string, number>> = {};

/** One entry per folder of test/corpus/, sorted by name. See test/corpus/README.md for what each one holds. */
const LAYOUTS: Readonly<Record<string, LayoutExpectation>> = {
  // Copies of one object side by side (variants/, api-v1/ and api-v2/): the same answer for each copy, no duplicates.
  'copies-of-one-object': { findings: NO_FINDINGS },
  // `helm template prod ./storefront -n shop`: the parent chart's resources name no namespace, helm installs them in shop.
  'helm-output': { namespace: 'shop', findings: NO_FINDINGS },
  'json-and-lists': { findings: NO_FINDINGS },
  'kustomize-output': { findings: NO_FINDINGS },
  // worker/: a port name only the overlay's JSON 6902 patch adds, a warning that names the patch.
  'kustomize-transformers': { findings: { 'service-target-port': 1 } },
  'microservices-ingress': { findings: NO_FINDINGS },
  // One mistake per file (the duplicate-resource pair is one), two findings in each of the files that make two.
  mistakes: {
    findings: {
      'container-port-names': 1,
      'duplicate-resource': 1,
      'hpa-target': 1,
      'ingress-backend': 1,
      'pdb-selector-match': 1,
      'probe-port': 1,
      'service-node-port': 1,
      'service-port-names': 3, // duplicate-service-port-name.yaml, and both unnamed ports of unnamed-multi-port.yaml
      'service-selector-match': 1,
      'service-target-port': 1,
      'service-type-fields': 2, // headless-nodeport.yaml and externalname-with-clusterip.yaml
      'workload-selector': 1,
      'yaml-duplicate-key': 1,
      'yaml-implicit-boolean': 2, // on and off in configmap-on-boolean.yaml
    },
  },
  // The three Services that select pods an operator creates from a custom resource: warnings (operatorManaged).
  'operator-managed': { findings: { 'service-selector-match': 3 } },
  // One template-placeholder note per template file, and the one finding that depends on no placeholder.
  placeholders: { findings: { 'hpa-target': 1, 'template-placeholder': 4 } },
  'statefulset-database': { findings: NO_FINDINGS },
};

const corpusRoot = path.join(repoRoot, 'test', 'corpus');
const snapshotRoot = path.join(corpusRoot, '__snapshots__');
const layouts = readdirSync(corpusRoot)
  .filter((d) => statSync(path.join(corpusRoot, d)).isDirectory() && d !== '__snapshots__')
  .sort();

describe('real-world corpus', () => {
  it('has layouts', () => expect(layouts.length).toBeGreaterThanOrEqual(5));

  it('every layout folder has an entry in LAYOUTS (test/corpus.test.ts), and every entry a folder', () => {
    expect(
      layouts.filter((l) => !(l in LAYOUTS)),
      'folders without an entry in LAYOUTS',
    ).toEqual([]);
    expect(
      Object.keys(LAYOUTS).filter((l) => !layouts.includes(l)),
      'entries in LAYOUTS without a folder',
    ).toEqual([]);
  });

  it('every snapshot belongs to a layout (delete the snapshot of a removed layout)', () => {
    const snapshots = existsSync(snapshotRoot) ? readdirSync(snapshotRoot) : [];
    expect(snapshots.filter((s) => !layouts.includes(s.replace(/\.txt$/, '')) || !s.endsWith('.txt'))).toEqual([]);
  });

  for (const layout of layouts) {
    it(layout, async () => {
      const expectation = LAYOUTS[layout];
      const project = await loadProject({
        cwd: path.join(corpusRoot, layout),
        operands: ['.'],
        namespace: expectation?.namespace ?? 'default',
      });
      const results = lint({
        graph: project.graph,
        inputProblems: project.inputProblems,
        rules: allRules,
        filePaths: project.files.map((f) => f.path),
      });
      const findings = results.flatMap((r) =>
        r.messages.map(
          (m) => `${r.filePath}:${m.line}:${m.column} ${m.severity === 2 ? 'error' : 'warning'} ${m.ruleId}\n    ${m.message}`,
        ),
      );
      const services = [...project.graph.ofKind('Service')].sort(
        (a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
      );
      const endpoints = endpointsTable(services.map((s) => endpointsReport(project.graph.endpointsOf(s))));
      const counts = new Map<string, number>();
      for (const r of results) for (const m of r.messages) counts.set(m.ruleId, (counts.get(m.ruleId) ?? 0) + 1);
      const sortedCounts = [...counts].sort(([a], [b]) => a.localeCompare(b));
      const summary = sortedCounts.map(([id, n]) => `${id}: ${n}`).join('\n') || '(no findings)';
      const text = `# ${layout}\n\n## Findings per rule\n${summary}\n\n## Findings\n${findings.join('\n') || '(none)'}\n\n## Endpoints\n${endpoints}`;

      expect(findings.filter((f) => f.includes('internal error'))).toEqual([]);
      expect(expectation, `test/corpus/${layout}/ has no entry in LAYOUTS in test/corpus.test.ts`).toBeDefined();
      // The expectation first: a snapshot written with -u cannot hide a finding the layout must not give.
      expect(Object.fromEntries(sortedCounts), `findings per rule on test/corpus/${layout}/\n${findings.join('\n')}`).toEqual(
        expectation!.findings,
      );
      await expect(text).toMatchFileSnapshot(path.join(snapshotRoot, `${layout}.txt`));
    });
  }
});
