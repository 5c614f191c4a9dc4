/**
 * Every rule has rules-docs/<id>.md, written to one outline, and its examples are tests:
 * a ```yaml incorrect block must report exactly the findings pinned in its fence info string, a ```yaml correct
 * block must report nothing.
 *
 * Pins: ```yaml incorrect messageId=noMatch line=9
 * Each `messageId=<id>` opens a pin (several are allowed, one per expected finding), followed by its `line=<n>`
 * (1-based, counted inside the example) and optionally `column=<n>`. The findings of the rule on the example
 * must be exactly the pins, no more and no fewer; an incorrect example without a pin fails.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allRules } from '../src/rules/index.js';
import { lintCase, messagesOf, repoRoot } from './helpers.js';

const REQUIRED_SECTIONS = ['What it checks', 'Why it matters', 'Examples', 'Options', 'How to suppress', 'Upstream reference'];

/** One expected finding of an incorrect example, from its fence info string. */
export interface DocPin {
  messageId: string;
  line: number;
  column?: number;
}

export interface DocExample {
  kind: 'correct' | 'incorrect';
  /** The expected findings (incorrect examples only), in the order written. */
  pins: DocPin[];
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

/** Parses the words after `incorrect` in a fence info string; throws on anything it does not understand. */
export function pinsOf(info: string): DocPin[] {
  const pins: DocPin[] = [];
  for (const word of info.split(/[ \t]+/).filter(Boolean)) {
    const match = /^(messageId|line|column)=(.+)$/.exec(word);
    if (!match) throw new Error(`unknown word "${word}" in the fence info string (expected messageId=<id> line=<n> [column=<n>])`);
    const [, key, value] = match as unknown as [string, 'messageId' | 'line' | 'column', string];
    if (key === 'messageId') {
      pins.push({ messageId: value, line: 0 });
      continue;
    }
    const pin = pins.at(-1);
    if (!pin) throw new Error(`"${word}" before any messageId= in the fence info string`);
    if (!/^[1-9]\d*$/.test(value)) throw new Error(`"${word}": ${key} must be a positive integer`);
    if (key === 'line' ? pin.line !== 0 : pin.column !== undefined)
      throw new Error(`"${word}": ${key} given twice for messageId=${pin.messageId}`);
    pin[key] = Number(value);
  }
  for (const pin of pins) if (pin.line === 0) throw new Error(`messageId=${pin.messageId} has no line=<n>`);
  return pins;
}

export function examplesOf(markdown: string): DocExample[] {
  const out: DocExample[] = [];
  const fence = /^```(ya?ml|bytes)[ \t]+(correct|incorrect)\b([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm;
  for (const match of markdown.matchAll(fence)) {
    const line = markdown.slice(0, match.index).split('\n').length;
    const kind = match[2] as DocExample['kind'];
    const bytes = match[1] === 'bytes' ? decodeBytesBlock(match[4]!) : Buffer.from(match[4]!, 'utf8');
    let pins: DocPin[];
    try {
      pins = pinsOf(match[3]!);
    } catch (error) {
      throw new Error(`line ${line}: ${(error as Error).message}`, { cause: error });
    }
    if (kind === 'correct' && pins.length > 0) throw new Error(`line ${line}: a correct example takes no messageId= pins`);
    out.push({ kind, pins, bytes, line });
  }
  return out;
}

/** A finding or a pin as one comparable string: `messageId@line` or `messageId@line:column`. */
const pinKey = (p: { messageId: string; line: number; column?: number | undefined }, withColumn: boolean) =>
  `${p.messageId}@${p.line}${withColumn ? `:${p.column}` : ''}`;

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
      expect(
        examples.some((e) => e.kind === 'incorrect'),
        'an incorrect example',
      ).toBe(true);
      expect(
        examples.some((e) => e.kind === 'correct'),
        'a correct example',
      ).toBe(true);
    });
    if (!existsSync(page)) return;
    for (const example of examplesOf(readFileSync(page, 'utf8'))) {
      it(`${example.kind} example at line ${example.line}`, async () => {
        // Through a real file, so the example goes through the same loader as a user's manifests.
        const file = path.join(scratch, `${rule.name}-${example.line}.yaml`);
        writeFileSync(file, example.bytes);
        const messages = messagesOf(await lintCase(file, { only: rule.name }));
        if (example.kind === 'correct') {
          expect(messages.map((m) => `${m.line}:${m.column} ${m.message}`)).toEqual([]);
          return;
        }
        expect(
          example.pins.length,
          'an incorrect example must pin its findings: ```yaml incorrect messageId=<id> line=<n>',
        ).toBeGreaterThan(0);
        for (const pin of example.pins) expect(Object.keys(rule.meta.messages), `messageId=${pin.messageId}`).toContain(pin.messageId);
        // A finding is compared with its column only where a pin for its messageId and line gives one.
        const pinsColumn = (m: { messageId: string; line: number }) =>
          example.pins.some((p) => p.messageId === m.messageId && p.line === m.line && p.column !== undefined);
        const actual = messages.map((m) => pinKey(m, pinsColumn(m))).sort();
        const expected = example.pins.map((p) => pinKey(p, p.column !== undefined)).sort();
        expect(actual, messages.map((m) => `${m.line}:${m.column} ${m.messageId} ${m.message}`).join('\n')).toEqual(expected);
      });
    }
  });
}

describe('docs example pins (```yaml incorrect messageId=<id> line=<n>)', () => {
  it('parses one pin, several pins and an optional column', () => {
    expect(pinsOf(' messageId=noMatch line=9')).toEqual([{ messageId: 'noMatch', line: 9 }]);
    expect(pinsOf('messageId=a line=3 column=7 messageId=b line=12')).toEqual([
      { messageId: 'a', line: 3, column: 7 },
      { messageId: 'b', line: 12 },
    ]);
    expect(pinsOf('')).toEqual([]);
  });

  it('refuses what it does not understand, so a typo cannot turn a pin off', () => {
    expect(() => pinsOf('messageId=a')).toThrow(/no line=/);
    expect(() => pinsOf('line=3')).toThrow(/before any messageId=/);
    expect(() => pinsOf('messageId=a line=0')).toThrow(/positive integer/);
    expect(() => pinsOf('messageId=a line=3 line=4')).toThrow(/given twice/);
    expect(() => pinsOf('messageid=a line=3')).toThrow(/unknown word/);
  });

  it('a correct example takes no pin', () => {
    expect(() => examplesOf('```yaml correct messageId=a line=1\nkind: x\n```\n')).toThrow(/takes no messageId/);
  });
});
