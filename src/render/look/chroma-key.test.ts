/** How the chroma key's similarity maps to ffmpeg's, and when it keys on RGB instead (pure). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromaFromGrey, chromaKeyFilters } from './chroma-key.ts';

test('pure green lies 0.33 from grey in chromakey’s measure; greys lie at 0', () => {
  assert.ok(Math.abs(chromaFromGrey('#00ff00') - 0.3317) < 0.002, String(chromaFromGrey('#00ff00')));
  for (const grey of ['#000000', '#808080', '#ffffff']) assert.ok(chromaFromGrey(grey) < 1e-3, grey);
});

test('similarity 0.5 reaches half-way to grey: ffmpeg gets 2·s·d and 2·b·d, the key in limited-range YUV, then despill', () => {
  const [key, ...despill] = chromaKeyFilters({ color: '#00ff00', similarity: 0.5, blend: 0.1 });
  const m = /^chromakey=color=0x([0-9a-f]{6}):similarity=([\d.]+):blend=([\d.]+):yuv=1$/.exec(key);
  assert.ok(m, key);
  assert.equal(m[1], '913622'); // Y 145, U 54, V 34: BT.601 limited range
  assert.ok(Math.abs(Number(m[2]) - 0.3317) < 0.002 && Math.abs(Number(m[3]) - 0.0663) < 0.001, key);
  assert.deepEqual(despill, ['format=rgba', 'despill=type=green:mix=0.5:expand=0', 'format=yuva420p']);
  assert.match(chromaKeyFilters({ color: '#0047bb', similarity: 0.3, blend: 0.1 }).join(','), /despill=type=blue/);
  assert.doesNotMatch(chromaKeyFilters({ color: '#ff0000', similarity: 0.3, blend: 0.1 }).join(','), /despill/);
});

test('a grey key keys on RGB distance (colorkey), without despill', () => {
  assert.deepEqual(chromaKeyFilters({ color: '#ffffff', similarity: 0.2, blend: 0.05 }), ['format=rgba', 'colorkey=0xffffff:0.2:0.05', 'format=yuva420p']);
});
