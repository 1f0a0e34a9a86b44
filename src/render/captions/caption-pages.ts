/**
 * Word-level captions as pure data: words with times (from a transcript, or shared out of cues by
 * length), grouped into pages of at most `lines` lines of the caption width, each page shown from
 * its first word's start to its last word's end, short gaps between pages bridged.
 */
import type { CaptionWord, Cue } from '../../composition/schema.ts';
import type { CaptionSource } from './read-transcript.ts';
import { wordSegmenter } from '../raster/word-segmenter.ts';

/** A gap between two pages shorter than this is bridged: the earlier page stays until the next shows. */
export const BRIDGE_SECONDS = 0.5;
/** A silence at least this long between two words starts a new page, even if the page has room. */
export const PAUSE_BREAK_SECONDS = 1.5;

/** A word with its time and the group it came in (a cue, or the whole transcript). */
export interface TimedWord extends CaptionWord { readonly group: number }

export interface CaptionPage {
  readonly words: readonly TimedWord[];
  /** The page's text: its lines joined with `\n`. */
  readonly text: string;
  /** When it shows and when it goes, clip-local seconds (`end` includes a bridged gap). */
  readonly start: number;
  readonly end: number;
}

/**
 * A character of a script written without spaces between words (Chinese, Japanese, Thai, Lao,
 * Khmer, Myanmar…), or of the CJK punctuation and full-width forms set with them.
 */
const NO_SPACE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tai_Tham}\p{Script=Tai_Viet}\p{Script=New_Tai_Lue}\u3000-\u30FF\uFF00-\uFFEF]/u;

/** The zero-width space: an invisible word boundary, where the layout may break a line and a word ends. */
const ZERO_WIDTH_SPACE = '\u200B';

/**
 * What goes between two words on a page: a space, or where either side is written without spaces
 * ("我们" and "今天") a zero-width space, so "我们今天" shows as it is written while each word stays
 * a word of its own for the highlight and the animation (layout-rich-text.ts isWordGap).
 */
export const wordSeparator = (before: string, after: string): string => {
  const last = [...before].pop() ?? '';
  const first = String.fromCodePoint(after.codePointAt(0) ?? 32);
  return NO_SPACE.test(last) || NO_SPACE.test(first) ? ZERO_WIDTH_SPACE : ' ';
};

/**
 * The words of a cue's text: split at white space, and a part written without spaces ("我们今天去北京吧。")
 * into its dictionary words (ICU's, through Intl.Segmenter), each keeping the punctuation after it
 * (and an opening mark before it).
 */
const cueWords = (text: string): string[] => text.split(/\s+/u).filter(Boolean).flatMap((token) => {
  if (!NO_SPACE.test(token)) return [token];
  const out: string[] = [];
  let lead = '';
  for (const { segment, isWordLike } of wordSegmenter().segment(token)) {
    if (isWordLike) { out.push(lead + segment); lead = ''; } else if (out.length) out[out.length - 1] += segment; else lead += segment;
  }
  if (lead) out.push(lead);
  return out;
});

const graphemeCount = (s: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)].length;

/**
 * Each cue's time shared among its words in proportion to their length (in characters, counting
 * the space after each word but the last as the word's), one word after another with no gap, so
 * the highlight runs through the cue without a blink.
 */
export const wordsOfCues = (cues: readonly Cue[]): TimedWord[] => cues.flatMap((cue, group) => {
  const words = cueWords(cue.text);
  const weights = words.map((w, i) => graphemeCount(w) + (i < words.length - 1 ? 1 : 0));
  const total = weights.reduce((a, b) => a + b, 0);
  let before = 0;
  return words.map((text, i) => {
    const start = cue.start + ((cue.end - cue.start) * before) / total;
    before += weights[i];
    const end = i === words.length - 1 ? cue.end : cue.start + ((cue.end - cue.start) * before) / total;
    return { text, start, end, group };
  });
});

/** The words to show; a transcript "word" holding a space (", New York") becomes words sharing its time. */
export const timedWords = (source: CaptionSource): TimedWord[] =>
  source.words
    ? source.words.flatMap((w) => w.text.split(/\s+/u).filter(Boolean).map((text) => ({ text, start: w.start, end: w.end, group: 0 })))
    : wordsOfCues(source.cues ?? []);

/**
 * Greedy pages: words fill lines of at most `maxWidth` pixels (as measured), and a page holds at
 * most `lines` lines. A new page also starts with each cue, and after a long pause.
 */
export const paginate = (words: readonly TimedWord[], lines: number, maxWidth: number, measure: (s: string) => number): CaptionPage[] => {
  const pages: { words: TimedWord[]; lines: string[] }[] = [];
  let page: { words: TimedWord[]; lines: string[] } | undefined;
  let prev: TimedWord | undefined;
  for (const w of words) {
    const newGroup = !prev || w.group !== prev.group || w.start - prev.end >= PAUSE_BREAK_SECONDS;
    if (!page || newGroup) {
      page = { words: [w], lines: [w.text] };
      pages.push(page);
    } else {
      const last = page.lines[page.lines.length - 1];
      const joined = `${last}${wordSeparator(last, w.text)}${w.text}`;
      if (measure(joined) <= maxWidth + 0.01) {
        page.lines[page.lines.length - 1] = joined;
        page.words.push(w);
      } else if (page.lines.length < lines) {
        page.lines.push(w.text);
        page.words.push(w);
      } else {
        page = { words: [w], lines: [w.text] };
        pages.push(page);
      }
    }
    prev = w;
  }
  return pages.map((p, i) => {
    const start = p.words[0].start;
    const end = Math.max(...p.words.map((w) => w.end));
    const next = pages[i + 1]?.words[0].start;
    return { words: p.words, text: p.lines.join('\n'), start, end: next !== undefined && next - end < BRIDGE_SECONDS && next > end ? next : end };
  });
};
