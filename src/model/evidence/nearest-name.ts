/**
 * "Did you mean": the one home of near-name suggestions in kubewire, for everything that names something from a
 * known set (a field of the Kubernetes API, a kind, a port name, a rule id in a directive, an annotation or a
 * config file). Kept free of imports so the loader, the model, the engine and the config can all ask it.
 */

let row = new Uint32Array(64);

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  // One row, reused from call to call: near-miss searches compare a selector with every template of a namespace.
  if (row.length <= b.length) row = new Uint32Array(2 * (b.length + 1));
  const previous = row;
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    const c = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (c === b.charCodeAt(j - 1) ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/**
 * editDistance when it is at most `max`, else `max + 1`, computing only the cells within `max` of the diagonal
 * (Ukkonen's band): a search that only needs to know whether a value can still beat the best so far.
 */
export function editDistanceWithin(a: string, b: string, max: number): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (max >= Math.max(a.length, b.length)) return editDistance(a, b);
  const outside = max + 1;
  if (band.length <= 2 * (b.length + 2)) band = new Uint32Array(4 * (b.length + 2));
  const width = b.length + 2;
  let previous = 0;
  let current = width;
  for (let j = 0; j <= b.length; j++) band[previous + j] = j <= max ? j : outside;
  band[previous + b.length + 1] = outside;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - max);
    const to = Math.min(b.length, i + max);
    band[current + from - 1] = from === 1 ? Math.min(i, outside) : outside;
    let rowMin = band[current + from - 1]!;
    const c = a.charCodeAt(i - 1);
    for (let j = from; j <= to; j++) {
      const value = Math.min(
        band[previous + j]! + 1,
        band[current + j - 1]! + 1,
        band[previous + j - 1]! + (c === b.charCodeAt(j - 1) ? 0 : 1),
        outside,
      );
      band[current + j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (to < b.length) band[current + to + 1] = outside;
    if (rowMin > max) return outside;
    [previous, current] = [current, previous];
  }
  return Math.min(band[previous + b.length]!, outside);
}

let band = new Uint32Array(64);

/**
 * The known name a mistyped one was meant to be: the same name in another case (`targetport`), else the
 * nearest by edit distance within a budget that grows with the length (1 up to 3 characters, 2 up to 6, else 3),
 * so that a name is only suggested when it is close: `service-selektor-match` suggests
 * `service-selector-match`, `nosuchrule` suggests nothing. Undefined when nothing is that close.
 */
export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const all = [...candidates];
  const sameLetters = all.find((c) => c.toLowerCase() === lower);
  if (sameLetters) return sameLetters;
  const budget = name.length <= 3 ? 1 : name.length <= 6 ? 2 : 3;
  let best: { name: string; distance: number } | undefined;
  for (const candidate of all) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= budget && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

/** ` (did you mean "error"?)`, or nothing when no candidate is close: the phrase every message uses. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const near = nearestName(name, candidates);
  return near === undefined ? '' : ` (did you mean "${near}"?)`;
}
