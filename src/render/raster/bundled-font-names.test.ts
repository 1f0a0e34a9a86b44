import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FontRegistry } from './font-registry.ts';
import { BUNDLED_FONT_FAMILIES } from '../../composition/bundled-fonts.ts';

test('validation knows exactly the font families the rasterizer bundles', () => {
  assert.deepEqual(new FontRegistry().families().sort(), [...BUNDLED_FONT_FAMILIES].sort());
});
