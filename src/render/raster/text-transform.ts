/**
 * `transform` of text and captions: a case change applied after placeholders, with the
 * language-aware Unicode case mappings of the runtime (toLocaleUpperCase and friends: "ß" becomes
 * "SS", a Greek final sigma lowercases to "ς"). Montage has no language field, so the runtime's
 * default locale decides the few locale-specific mappings (Turkish dotted i, Lithuanian).
 * `capitalize` uses the titlecase mapping, as CSS does, which differs from uppercase for a few
 * digraphs and ligatures.
 */
import { wordSegmenter } from './word-segmenter.ts';

export type TextTransform = 'none' | 'uppercase' | 'lowercase' | 'capitalize';

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
      for (const { segment, index, isWordLike } of wordSegmenter().segment(text)) {
        if (!isWordLike || (index === 0 && continuesWord)) { out += segment; continue; }
        const first = String.fromCodePoint(segment.codePointAt(0)!);
        out += titlecase(first) + segment.slice(first.length);
      }
      return out;
    }
    default: return text;
  }
}

/**
 * The characters whose titlecase is not their uppercase (Unicode's UnicodeData and SpecialCasing):
 * the Latin digraphs, ß and the Latin and Armenian ligatures, ŉ, and the Greek letters with
 * ypogegrammeni. CSS `capitalize` titlecases ("ǆemal" → "Džemal", "ßa" → "Ssa", "ﬁsh" → "Fish"),
 * where uppercasing gave "DŽemal", "SSa" and "FIsh".
 */
const TITLECASE: Readonly<Record<string, string>> = {
  '\u01C6': '\u01C5', '\u01C9': '\u01C8', '\u01CC': '\u01CB', '\u01F3': '\u01F2',
  'ß': 'Ss', 'ﬀ': 'Ff', 'ﬁ': 'Fi', 'ﬂ': 'Fl', 'ﬃ': 'Ffi', 'ﬄ': 'Ffl', 'ﬅ': 'St', 'ﬆ': 'St', 'ŉ': 'ʼN',
  '\u0587': '\u0535\u0582', '\uFB13': '\u0544\u0576', '\uFB14': '\u0544\u0565', '\uFB15': '\u0544\u056B', '\uFB16': '\u054E\u0576', '\uFB17': '\u0544\u056D',
  '\u1FB2': '\u1FBA\u0345', '\u1FB4': '\u0386\u0345', '\u1FB7': '\u0391\u0342\u0345', '\u1FC2': '\u1FCA\u0345', '\u1FC4': '\u0389\u0345',
  '\u1FC7': '\u0397\u0342\u0345', '\u1FF2': '\u1FFA\u0345', '\u1FF4': '\u038F\u0345', '\u1FF7': '\u03A9\u0342\u0345',
  '\u1FB3': '\u1FBC', '\u1FC3': '\u1FCC', '\u1FF3': '\u1FFC',
};

/** The titlecase of one lowercase character: the table above, else its uppercase. */
function titlecase(ch: string): string {
  // CSS titlecases a first letter "if lowercase": Ǆ and ǅ stay as written.
  if (/[\p{Lu}\p{Lt}]/u.test(ch)) return ch;
  const mapped = TITLECASE[ch];
  if (mapped !== undefined) return mapped;
  const cp = ch.codePointAt(0)!;
  // ᾀ–ᾇ, ᾐ–ᾗ, ᾠ–ᾧ → ᾈ–ᾏ, ᾘ–ᾟ, ᾨ–ᾯ (one letter with prosgegrammeni, not uppercase's two).
  if (cp >= 0x1F80 && cp <= 0x1FAF) return String.fromCodePoint(cp | 0x08);
  return ch.toLocaleUpperCase();
}

/** Whether `next` continues a word that `previous` ends (both touch with letters or digits). */
export function continuesWord(previous: string, next: string): boolean {
  const last = [...previous].pop();
  const first = next.codePointAt(0);
  return last !== undefined && first !== undefined && WORD_CHAR.test(last) && WORD_CHAR.test(String.fromCodePoint(first));
}
