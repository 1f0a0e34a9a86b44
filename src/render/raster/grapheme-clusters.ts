/**
 * The grapheme clusters of a text with their UTF-16 offsets, exactly as
 * `Intl.Segmenter(undefined, { granularity: 'grapheme' })` gives them.
 *
 * Making the segmenter loads ICU's break rules, about 10 ms at the first text of a process (more
 * than laying the text out). Text made only of U+0000–U+00FF (ASCII and Latin-1: English, French,
 * German, Spanish…) needs no rules: no character of that range extends, prepends to or joins
 * another (UAX #29), so each is a cluster of its own, except CR LF, which is one. Such text is cut
 * here; any other goes to the segmenter, made on first use. grapheme-clusters.test.ts holds the two
 * equal.
 */

export interface Cluster {
  readonly segment: string;
  /** Offset of the cluster's first code unit in the text. */
  readonly index: number;
}

const LATIN1 = /^[\u0000-\u00ff]*$/;
let segmenter: Intl.Segmenter | undefined;

export function graphemeClusters(text: string): Iterable<Cluster> {
  if (!LATIN1.test(text)) return (segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })).segment(text);
  const out: Cluster[] = [];
  for (let i = 0; i < text.length; i++) {
    const crlf = text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10;
    out.push({ segment: crlf ? '\r\n' : text[i]!, index: i });
    if (crlf) i++;
  }
  return out;
}
