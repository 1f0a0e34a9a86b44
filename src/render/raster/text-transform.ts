/**
 * `transform` of text and captions: a case change applied after placeholders, with the
 * language-aware Unicode case mappings of the runtime (toLocaleUpperCase and friends: "ß" becomes
 * "SS", a Greek final sigma lowercases to "ς"). Montage has no language field, so the runtime's
 * default locale decides the few locale-specific mappings (Turkish dotted i, Lithuanian).
 */

export type TextTransform = 'none' | 'uppercase' | 'lowercase' | 'capitalize';

// Made on first use (about 15 ms of CPU): most texts have no `capitalize`.
let wordSegmenter: Intl.Segmenter | undefined;
const words = () => (wordSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'word' }));
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/**
 * Applies `transform` to one piece of text. `continuesWord` says that the piece starts in the
 * middle of a word begun by the previous span (so `capitalize` leaves its first letters alone).
 */
export function applyTextTransform(text: string, transform: TextTransform | undefined, continuesWord = false): string {
  switch (transform) {
    case 'uppercase': return text.toLocaleUpperCase();
    case 'lowercase': return text.toLocaleLowerCase();
    case 'capitalize': {
      // CSS: the first typographic letter of each word is uppercased; the rest is left as written.
      let out = '';
      for (const { segment, index, isWordLike } of words().segment(text)) {
        if (!isWordLike || (index === 0 && continuesWord)) { out += segment; continue; }
        const first = String.fromCodePoint(segment.codePointAt(0)!);
        out += first.toLocaleUpperCase() + segment.slice(first.length);
      }
      return out;
    }
    default: return text;
  }
}

/** Whether `next` continues a word that `previous` ends (both touch with letters or digits). */
export function continuesWord(previous: string, next: string): boolean {
  const last = [...previous].pop();
  const first = next.codePointAt(0);
  return last !== undefined && first !== undefined && WORD_CHAR.test(last) && WORD_CHAR.test(String.fromCodePoint(first));
}
