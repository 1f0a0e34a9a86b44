/** Suggests the closest known word for a misspelt one, for messages like `Did you mean "length"?`. */

/**
 * Edit distance counting a swap of two neighbouring letters as one edit (optimal string
 * alignment), case-insensitive: "fdae" is one typo away from "fade", "Lenght" from "length".
 */
const distance = (a: string, b: string): number => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) => [i, ...Array<number>(y.length).fill(0)]);
  for (let j = 0; j <= y.length; j++) d[0][j] = j;
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[x.length][y.length];
};

/** The candidate nearest to `word`, if it is close enough to be a plausible typo (≤ 1/3 of its letters). */
export const didYouMean = (word: string, candidates: readonly string[]): string | undefined => {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d < bestDistance) { best = c; bestDistance = d; }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(Math.max(word.length, best.length) / 3)) ? best : undefined;
};

/** `a`, `b` or `c` — a readable list of allowed words. */
export const listWords = (words: readonly string[]): string => {
  const quoted = words.map((w) => `"${w}"`);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
};
