/** The house rules: one rule, one file, one docs page, one fixture folder with valid and invalid cases. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../src/rules/index.js';
import { repoRoot } from './helpers.js';

/** Fixture folders that belong to the loader and CLI tests rather than to one rule. */
const NON_RULE_FIXTURES = new Set(['bad-input', 'hostile', 'cli']);

const ids = allRules.map((r) => r.name);

describe('rule registry', () => {
  it('src/rules/index.ts and rules-docs/README.md are generated and up to date', () => {
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'gen-rules-index.mjs'), '--check'], { stdio: 'pipe' });
  });

  it('rules are sorted and unique', () => {
    expect(ids).toEqual([...new Set(ids)].sort());
  });

  for (const rule of allRules) {
    it(`${rule.name} has metadata, a docs page, and valid and invalid fixtures`, () => {
      expect(rule.meta.docs.description).toMatch(/^(Require|Disallow|Enforce|Warn) /);
      expect(rule.meta.docs.url).toMatch(new RegExp(`rules-docs/${rule.name}\\.md$`));
      expect(Object.keys(rule.meta.messages).length).toBeGreaterThan(0);
      expect(existsSync(path.join(repoRoot, 'rules-docs', `${rule.name}.md`))).toBe(true);
      for (const kind of ['valid', 'invalid']) {
        const dir = path.join(repoRoot, 'test', 'fixtures', rule.name, kind);
        const cases = existsSync(dir) ? readdirSync(dir).filter((f) => !f.endsWith('.expected.json')) : [];
        expect(cases.length, `${path.relative(repoRoot, dir)} must hold at least one case`).toBeGreaterThan(0);
      }
    });
  }

  it('every docs page and fixture folder belongs to a rule', () => {
    const pages = readdirSync(path.join(repoRoot, 'rules-docs')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(pages.map((f) => f.slice(0, -3)).filter((id) => !ids.includes(id))).toEqual([]);
    const folders = readdirSync(path.join(repoRoot, 'test', 'fixtures')).filter((f) => !NON_RULE_FIXTURES.has(f));
    expect(folders.filter((id) => !ids.includes(id))).toEqual([]);
  });
});
