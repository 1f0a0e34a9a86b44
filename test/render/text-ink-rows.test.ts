/**
 * A text's image holds every row its glyphs paint. Skia draws a glyph run with its baseline snapped
 * to a whole pixel, up to half a pixel from where it was measured; a 2.5 px stroke around Thai
 * marks below the line then painted its lowest antialiased row just below the image, and the
 * render lost it. The same text with padding has room below its ink, so its ink must be as tall.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRenderHarness, TINY } from '../support/render-harness.ts';
import { decodePicture, extentOf } from '../support/decoded-pictures.ts';

const h = createRenderHarness('text-ink-rows');
after(() => h.dispose());

const inkOf = async (name: string, format: string, asset: object) => {
  const out = await h.render(name, {
    output: { ...TINY, format }, background: '#000000',
    tracks: [{ clips: [{ asset: { type: 'text', ...asset }, start: 0, length: 1 }] }],
  });
  const box = extentOf(await decodePicture(out.video.path), (c) => Math.max(...c) > 6);
  assert.ok(box, 'the text is drawn');
  return box;
};

for (const [text, size] of [['ฏฐ ญ ปู่', 36.9], ['कृ ड्ढ', 36.9]] as const) {
  test(`a stroked text flush with its box keeps its lowest antialiased row (${text}, png and mp4)`, async () => {
    const asset = { text, font: { size, color: '#ffffff' }, stroke: { color: '#ff0000', width: 2.5 } };
    for (const format of ['png', 'mp4']) {
      const flush = await inkOf(`flush-${size}-${format}`, format, asset);
      const roomy = await inkOf(`roomy-${size}-${format}`, format, { ...asset, padding: 10 });
      assert.equal(flush.height, roomy.height, `${format}: ${flush.height} rows of ink flush with the box, ${roomy.height} with room below`);
      // mp4's 4:2:0 chroma smears colour edges by a pixel sideways wherever the box lands.
      if (format === 'png') assert.equal(flush.width, roomy.width, 'png: as wide');
    }
  });
}
