/**
 * Every rule has rules-docs/<id>.md, written to one outline, and its examples are tests:
 * a ```yaml incorrect block must report the rule, a ```yaml correct block must not.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allRules } from '../src/rules/index.js';
import { lintCase, messagesOf, repoRoot } from './helpers.js';

const REQUIRED_SECTIONS = ['What it checks', 'Why it matters', 'Examples', 'Options', 'How to suppress', 'Upstream reference'];

export interface DocExample {
  kind: 'correct' | 'incorrect';
  /** The file's bytes: a ```yaml block as written, a ```bytes block with \n and \xNN escapes decoded. */
  bytes: Buffer;
  line: number;
}

function decodeBytesBlock(text: string): Buffer {
  const bytes: number[] = [];
  const body = text.trim();
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\' && body[i + 1] === 'n') {
      bytes.push(10);
      i++;
    } else if (body[i] === '\\' && body[i + 1] === 'x') {
      bytes.push(parseInt(body.slice(i + 2, i + 4), 16));
      i += 3;
    } else {
      bytes.push(...Buffer.from(body[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

export function examplesOf(markdown: string): DocExample[] {
  const out: DocExample[] = [];
  const fence = /^```(ya?ml|bytes)[ \t]+(correct|incorrect)[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;
  for (const match of markdown.matchAll(fence)) {
    const bytes = match[1] === 'bytes' ? decodeBytesBlock(match[3]!) : Buffer.from(match[3]!, 'utf8');
    out.push({ kind: match[2] as DocExample['kind'], bytes, line: markdown.slice(0, match.index).split('\n').length });
  }
  return out;
}

const scratch = mkdtempSync(path.join(tmpdir(), 'kubewire-docs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

for (const rule of allRules) {
  const page = path.join(repoRoot, 'rules-docs', `${rule.name}.md`);
  describe(`rules-docs/${rule.name}.md`, () => {
    it('exists and follows the outline', () => {
      expect(existsSync(page), `missing ${page}`).toBe(true);
      const text = readFileSync(page, 'utf8');
      expect(text.split('\n')[0]).toBe(`# ${rule.name}`);
      expect(text).toContain(`> ${rule.meta.docs.description}`);
      expect(text).toContain(`Default severity: **${rule.meta.defaultSeverity}**`);
      for (const section of REQUIRED_SECTIONS) expect(text, `section "## ${section}"`).toMatch(new RegExp(`^## ${section}$`, 'm'));
      for (const messageId of Object.keys(rule.meta.messages)) {
        expect(text, `the page should mention messageId ${messageId}`).toContain(`\`${messageId}\``);
      }
      const examples = examplesOf(text);
      expect(examples.some((e) => e.kind === 'incorrect'), 'an incorrect example').toBe(true);
      expect(examples.some((e) => e.kind === 'correct'), 'a correct example').toBe(true);
    });
    if (!existsSync(page)) return;
    for (const example of examplesOf(readFileSync(page, 'utf8'))) {
      it(`${example.kind} example at line ${example.line}`, async () => {
        // Through a real file, so the example goes through the same loader as a user's manifests.
        const file = path.join(scratch, `${rule.name}-${example.line}.yaml`);
        writeFileSync(file, example.bytes);
        const messages = messagesOf(await lintCase(file, { only: rule.name }));
        if (example.kind === 'incorrect') expect(messages.length, 'an incorrect example must report the rule').toBeGreaterThan(0);
        else expect(messages.map((m) => `${m.line}:${m.column} ${m.message}`)).toEqual([]);
      });
    }
  });
}
