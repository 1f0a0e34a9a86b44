/**
 * Montage's fallback fonts are handed to Skia only when a text needs them: in a fresh process, a
 * Latin title registers none of them; a title with Chinese and an emoji registers exactly the CJK
 * and the emoji font, and draws the emoji in colour with it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { decodePng } from './decode-png.ts';

const here = new URL('.', import.meta.url).pathname;
const CHILD = `
const { FontRegistry } = await import('${here}font-registry.ts');
const { renderText } = await import('${here}render-text.ts');
const { GlobalFonts } = await import('@napi-rs/canvas');
const fallback = () => GlobalFonts.families.map((f) => f.family).filter((f) => f.startsWith('montage-fallback-')).sort();
const draw = (text) => renderText({ font: { size: 60 } }, text, { width: 640, height: 360 }, new FontRegistry()).png.toString('base64');
const latin = draw('Launch day, 50% off');
const afterLatin = fallback();
const cjk = draw('你好 🟥');
console.log(JSON.stringify({ afterLatin, afterCjk: fallback(), latin, cjk }));
`;

test('fallback fonts are registered on first need: none for Latin, the CJK and emoji fonts for 你好 🟥', async () => {
  const out = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], { encoding: 'utf8' })) as
    { afterLatin: string[]; afterCjk: string[]; latin: string; cjk: string };
  assert.deepEqual(out.afterLatin, [], 'a Latin title needs DejaVu Sans alone');
  assert.deepEqual(out.afterCjk, ['montage-fallback-NotoColorEmoji', 'montage-fallback-NotoSansCJK-Regular']);
  const latin = await decodePng(Buffer.from(out.latin, 'base64'));
  assert.ok(latin.count(([r, g, b, a]) => a > 200 && r > 200 && g > 200 && b > 200) > 500, 'the Latin title is drawn');
  const cjk = await decodePng(Buffer.from(out.cjk, 'base64'));
  assert.ok(cjk.count(([r, g, b, a]) => a > 200 && r > 180 && g < 90 && b < 90) > 300, 'the emoji is drawn in colour, by the font registered for it');
});
