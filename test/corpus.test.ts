/**
 * The real-world corpus: manifests shaped like public repositories (test/corpus/<layout>/), with a snapshot
 * of everything kubewire reports and of the simulated endpoints. A change in behaviour shows up in review as
 * a diff of these files; each finding in them was reviewed (see test/corpus/README.md).
 * Update with `npx vitest run test/corpus.test.ts -u`, then read the diff.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../src/engine/linter.js';
import { loadProject } from '../src/engine/project.js';
import { endpointsReport } from '../src/model/services/endpoints-report.js';
import { endpointsTable } from '../src/reporters/endpoints-table.js';
import { allRules } from '../src/rules/index.js';
import { repoRoot } from './helpers.js';

const corpusRoot = path.join(repoRoot, 'test', 'corpus');
const layouts = readdirSync(corpusRoot).filter((d) => statSync(path.join(corpusRoot, d)).isDirectory() && d !== '__snapshots__').sort();

describe('real-world corpus', () => {
  it('has layouts', () => expect(layouts.length).toBeGreaterThanOrEqual(5));

  for (const layout of layouts) {
    it(layout, async () => {
      const project = await loadProject({ cwd: path.join(corpusRoot, layout), operands: ['.'] });
      const results = lint({
        graph: project.graph,
        inputProblems: project.inputProblems,
        rules: allRules,
        filePaths: project.files.map((f) => f.path),
      });
      const findings = results.flatMap((r) =>
        r.messages.map((m) => `${r.filePath}:${m.line}:${m.column} ${m.severity === 2 ? 'error' : 'warning'} ${m.ruleId}\n    ${m.message}`),
      );
      const services = [...project.graph.ofKind('Service')].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
      const endpoints = endpointsTable(services.map((s) => endpointsReport(project.graph.endpointsOf(s))));
      const counts = new Map<string, number>();
      for (const r of results) for (const m of r.messages) counts.set(m.ruleId, (counts.get(m.ruleId) ?? 0) + 1);
      const summary = [...counts].sort().map(([id, n]) => `${id}: ${n}`).join('\n') || '(no findings)';
      const text = `# ${layout}\n\n## Findings per rule\n${summary}\n\n## Findings\n${findings.join('\n') || '(none)'}\n\n## Endpoints\n${endpoints}`;
      expect(findings.every((f) => !f.includes('internal error'))).toBe(true);
      await expect(text).toMatchFileSnapshot(path.join(corpusRoot, '__snapshots__', `${layout}.txt`));
    });
  }
});
