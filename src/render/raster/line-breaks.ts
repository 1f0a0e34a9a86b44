/**
 * Where a paragraph may break into lines: the opportunities of UAX #14 (the linebreak package),
 * plus the word boundaries inside runs of the scripts written without spaces between words (Thai,
 * Lao, Khmer, Myanmar, Tai Tham, Tai Viet, New Tai Lue: UAX #14's class SA). UAX #14 leaves those
 * to a dictionary and the linebreak package has none, so a Thai sentence was one unbreakable word,
 * broken between any two clusters where it overflowed ("น้อ|ย"); the boundaries come from ICU's
 * dictionary word segmentation (Intl.Segmenter), as browsers break them.
 */
import { lineBreaker } from './skia.ts';
import { wordSegmenter } from './word-segmenter.ts';

/** A break opportunity before the code unit at `position`; `required` for hard breaks (`\n`). */
export interface LineBreak {
  readonly position: number;
  readonly required: boolean;
}

const SA = /[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tai_Tham}\p{Script=Tai_Viet}\p{Script=New_Tai_Lue}]/u;


/** Word boundaries strictly inside runs of SA letters, ascending (all SA scripts are in the BMP). */
function dictionaryBreaks(para: string): number[] {
  const out: number[] = [];
  for (const { index } of wordSegmenter().segment(para)) {
    if (index > 0 && SA.test(para[index - 1]) && SA.test(para[index])) out.push(index);
  }
  return out;
}

/** The break opportunities of one paragraph, ascending; the last is at its end. */
export function* lineBreaks(para: string): Generator<LineBreak> {
  const extra = SA.test(para) ? dictionaryBreaks(para) : [];
  const breaker = new (lineBreaker())(para);
  let k = 0;
  for (let bk = breaker.nextBreak(); bk; bk = breaker.nextBreak()) {
    while (k < extra.length && extra[k] < bk.position) yield { position: extra[k++], required: false };
    if (k < extra.length && extra[k] === bk.position) k++;
    yield { position: bk.position, required: bk.required };
  }
}
