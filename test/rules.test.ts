/**
 * Fixture tests, one folder per rule (eslint-plugin-yml style):
 *   test/fixtures/<rule-id>/valid/<case>.yaml      (or a folder <case>/ for cross-file cases)
 *   test/fixtures/<rule-id>/invalid/<case>.yaml    + <case>.expected.json beside it
 * A valid case must not report the rule. An invalid case must report exactly the messages in its
 * .expected.json. Write a missing expectation with `UPDATE_FIXTURES=1 npx vitest run test/rules.test.ts`,
 * then review it line by line: it is the test.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../src/rules/index.js';
import { lintCase, messagesOf, repoRoot } from './helpers.js';

const fixturesRoot = path.join(repoRoot, 'test', 'fixtures');
const update = process.env.UPDATE_FIXTURES === '1';

function casesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() || (/\.(ya?ml|json)$/.test(e.name) && !e.name.endsWith('.expected.json')))
    .map((e) => e.name)
    .sort();
}

function caseName(entry: string): string {
  return entry.replace(/\.(ya?ml|json)$/, '');
}

interface Expected {
  file: string;
  line: number;
  column: number;
  severity: 1 | 2;
  messageId: string;
  path?: string;
  message: string;
  /** Related places as `file:line:column message`. */
  related?: string[];
}

for (const rule of allRules) {
  const ruleDir = path.join(fixturesRoot, rule.name);
  describe(rule.name, () => {
    for (const entry of casesIn(path.join(ruleDir, 'valid'))) {
      it(`valid: ${caseName(entry)}`, async () => {
        const messages = messagesOf(await lintCase(path.join(ruleDir, 'valid', entry), { only: rule.name }));
        expect(messages.map((m) => `${m.filePath}:${m.line}:${m.column} ${m.message}`)).toEqual([]);
      });
    }
    for (const entry of casesIn(path.join(ruleDir, 'invalid'))) {
      it(`invalid: ${caseName(entry)}`, async () => {
        const results = await lintCase(path.join(ruleDir, 'invalid', entry), { only: rule.name });
        const actual: Expected[] = messagesOf(results).map((m) => ({
          file: m.filePath,
          line: m.line,
          column: m.column,
          severity: m.severity,
          messageId: m.messageId,
          ...(m.path ? { path: m.path } : {}),
          message: m.message,
          ...(m.related ? { related: m.related.map((r) => `${r.filePath}:${r.line}:${r.column} ${r.message}`) } : {}),
        }));
        expect(actual.length, 'an invalid case must report the rule at least once').toBeGreaterThan(0);
        expect(actual.every((m) => m.messageId !== 'internalError')).toBe(true);
        const expectedFile = path.join(ruleDir, 'invalid', `${caseName(entry)}.expected.json`);
        if (update || !existsSync(expectedFile)) {
          if (!update) throw new Error(`missing ${path.relative(repoRoot, expectedFile)}: run with UPDATE_FIXTURES=1 and review it`);
          writeFileSync(expectedFile, `${JSON.stringify(actual, null, 2)}\n`);
        }
        expect(actual).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')));
      });
    }
  });
}
