import { editDistance } from '../model/evidence/near-miss.js';

/**
 * The candidate a misspelt word most likely meant, or undefined when none is close: `erorr` → `error`,
 * `servce-node-port` → `service-node-port`, but `nosuchrule` → nothing (a far guess such as `hpa-target` only
 * confuses). Close means at most a third of the word's letters edited (at least two, fewer than the word has).
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const allowed = Math.min(Math.max(2, Math.floor(word.length / 3)), word.length - 1);
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= allowed && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** ` (did you mean "error"?)`, or nothing when no candidate is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const near = closestMatch(word, candidates);
  return near === undefined ? '' : ` (did you mean "${near}"?)`;
}
