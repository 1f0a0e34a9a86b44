import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FontRegistry } from './font-registry.ts';
import { BUNDLED_FONT_FAMILIES, FALLBACK_FONT_FAMILIES } from '../../composition/bundled-fonts.ts';
import { FALLBACK_FAMILIES } from './fallback-fonts.ts';

test('validation knows exactly the font families the rasterizer bundles', () => {
  assert.deepEqual(new FontRegistry().families().sort(), [...BUNDLED_FONT_FAMILIES].sort());
});

test("validation knows Montage's fallback chain by the names the rasterizer registers", () => {
  assert.deepEqual(
    [...FALLBACK_FAMILIES.map((f) => f.family), 'emoji'],
    [...FALLBACK_FONT_FAMILIES],
  );
});
