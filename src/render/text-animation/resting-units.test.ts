/**
 * While some units of a text move, the units at rest are drawn exactly as the static text draws
 * them: each resting unit is its run clipped to its slot, and two neighbouring slots must tile the
 * run with no seam (a clip edge between pixels, antialiased on both sides, left a faint line
 * through every join of Arabic and every glyph crossing a slot edge, italic, kerned or outlined).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FontRegistry } from '../raster/font-registry.ts';
import type { TextStyle } from '../raster/render-text.ts';
import { drawRichUnits, layoutRichUnits } from './rich-units.ts';
import type { UnitDraw } from './text-units.ts';

const fonts = new FontRegistry();
const FRAME = { width: 640, height: 360 };
const REST: UnitDraw = { alpha: 1, dx: 0, dy: 0, scale: 1, blur: 0 };

/** Largest channel difference between the static drawing and one where only the last unit (in reading order) fades. */
const seam = (style: TextStyle, text: string) => {
  const r = layoutRichUnits(style, text, FRAME, fonts, 'letter')!;
  const n = r.layout.units.length;
  const margin = { x: 0, y: 0 };
  const still = drawRichUnits(r, margin, r.layout.units.map(() => REST));
  const moving = drawRichUnits(r, margin, r.layout.units.map((_, i) => (i === n - 1 ? { ...REST, alpha: 0.5 } : REST)));
  const last = r.layout.units[n - 1];
  const a = still.getContext('2d').getImageData(0, 0, still.width, still.height).data;
  const b = moving.getContext('2d').getImageData(0, 0, moving.width, moving.height).data;
  // Away from the fading unit (its box, in canvas pixels, and two either side): everything else rests.
  const left = r.prepared.margin.x + last.x;
  const [x0, x1] = [Math.floor(left) - 2, Math.ceil(left + last.width) + 2];
  let worst = 0;
  for (let y = 0; y < still.height; y++) for (let x = 0; x < still.width; x++) {
    if (x >= x0 && x <= x1) continue;
    for (let c = 0; c < 4; c++) worst = Math.max(worst, Math.abs(a[(y * still.width + x) * 4 + c] - b[(y * still.width + x) * 4 + c]));
  }
  return worst;
};

test('letters at rest beside a moving letter are drawn as the static text: no seam at their slot edges', () => {
  const cases: [string, TextStyle, string][] = [
    ['Arabic joins', { font: { size: 61.3 } }, 'مرحبا بالعالم'],
    ['italic', { font: { size: 57.7, style: 'italic', family: 'DejaVu Serif' } }, 'WAVE fjord Tiffy'],
    ['outlined kerning', { font: { size: 47.1 }, stroke: { color: '#ff0000', width: 3 } }, 'AVATAR Wavy'],
  ];
  for (const [what, style, text] of cases) {
    const d = seam(style, text);
    assert.equal(d, 0, `${what}: resting letters differ from the static text by up to ${d} (of 255)`);
  }
});
