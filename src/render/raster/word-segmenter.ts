/**
 * The one word segmenter of a process (ICU's word boundaries, with its dictionaries for Thai,
 * Chinese, Japanese and the like), made on first use: making one loads ICU's rules, about 15 ms of
 * CPU, and most texts need none. Shared by `capitalize` (text-transform.ts), the line breaks of
 * scripts written without spaces (line-breaks.ts) and the words of a caption cue (caption-pages.ts).
 */
let segmenter: Intl.Segmenter | undefined;

export const wordSegmenter = (): Intl.Segmenter => (segmenter ??= new Intl.Segmenter(undefined, { granularity: 'word' }));
