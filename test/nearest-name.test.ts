/**
 * The edit distances behind every "did you mean" and near-miss search (src/model/evidence/nearest-name.ts):
 * the one-row version against the textbook table, and the banded one against the full distance.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editDistance, editDistanceWithin } from '../src/model/evidence/nearest-name.js';

/** Levenshtein distance from the full table, the definition the fast versions must agree with. */
function textbook(a: string, b: string): number {
  const table = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      table[i]![j] = Math.min(table[i - 1]![j]! + 1, table[i]![j - 1]! + 1, table[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return table[a.length]![b.length]!;
}

// A small alphabet, so that strings share characters and distances are small as often as large.
const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '-', '1'), maxLength: 14 });

describe('edit distance', () => {
  it('is the textbook distance, whatever the lengths (the row is reused from call to call)', () => {
    fc.assert(
      fc.property(word, word, (a, b) => editDistance(a, b) === textbook(a, b)),
      { numRuns: 2000, seed: 7 },
    );
    expect(editDistance('web', 'wbe')).toBe(2);
    expect(editDistance('x'.repeat(200), 'y')).toBe(200);
  });

  it('within a bound is the distance when it is no more than the bound, else the bound plus one', () => {
    fc.assert(
      fc.property(word, word, fc.nat(8), (a, b, max) => editDistanceWithin(a, b, max) === Math.min(textbook(a, b), max + 1)),
      { numRuns: 5000, seed: 11 },
    );
    expect(editDistanceWithin('checkout', 'checkout-api', 3)).toBe(4);
    expect(editDistanceWithin('web-v1', 'web-v2', 1)).toBe(1);
    expect(editDistanceWithin('web-v1', 'web-v2', 0)).toBe(1);
  });
});
