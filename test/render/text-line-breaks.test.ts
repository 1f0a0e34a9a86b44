/**
 * Where wrapped text breaks its lines, read from the drawn lines' ink. Thai, Lao, Khmer and
 * Myanmar put no spaces between words: a line breaks between dictionary words, as browsers do, not
 * between any two letters where the line overflows (which cut "น้อย" into "น้อ" and "ย").
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRenderHarness } from '../support/render-harness.ts';
import { decodePicture, extentOf, luma, type Picture } from '../support/decoded-pictures.ts';

const h = createRenderHarness('text-line-breaks');
after(() => h.dispose());

const W = 640;
const H = 360;
const lit = (c: readonly [number, number, number]) => luma(c) > 100;

const still = async (name: string, text: string, width?: number): Promise<Picture> => decodePicture((await h.render(name, {
  output: { width: W, height: H, format: 'png' }, background: '#000000',
  tracks: [{ clips: [{ asset: { type: 'text', text, font: { size: 24 }, align: 'left', ...(width ? { width } : {}) }, start: 0, length: 1 }] }],
})).video.path);

/** The inked rows of a picture, grouped into lines separated by empty rows. */
const lineExtents = (p: Picture) => {
  const rows: boolean[] = [];
  for (let y = 0; y < p.height; y++) rows.push(extentOf(p, lit, { x: 0, y, w: p.width, h: 1 }) !== undefined);
  const lines: { width: number }[] = [];
  for (let y = 0; y < p.height;) {
    if (!rows[y]) { y++; continue; }
    const top = y;
    while (y < p.height && rows[y]) y++;
    lines.push({ width: extentOf(p, lit, { x: 0, y: top, w: p.width, h: y - top })!.width });
  }
  return lines;
};

for (const [script, word] of [['Thai', 'แมว'], ['Lao', 'ສະບາຍດີ']] as const) {
  test(`${script} with no spaces wraps between dictionary words, not inside one`, async () => {
    const four = extentOf(await still(`${script}-4`, word.repeat(4)), lit)!.width;
    const five = extentOf(await still(`${script}-5`, word.repeat(5)), lit)!.width;
    // Room for four words and a half: the fifth word must go to the next line whole.
    const wrapped = lineExtents(await still(`${script}-9`, word.repeat(9), (four + five) / 2 / W));
    assert.equal(wrapped.length, 3, `four, four and one words: ${JSON.stringify(wrapped)}`);
    assert.ok(Math.abs(wrapped[0].width - four) <= 2, `the first line is four whole words (${four} px), not ${wrapped[0].width} px`);
    assert.ok(Math.abs(wrapped[1].width - four) <= 2, `so is the second: ${wrapped[1].width} px`);
  });
}
