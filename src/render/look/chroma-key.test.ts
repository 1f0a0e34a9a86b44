/** How the chroma key's similarity maps to ffmpeg's, and when it keys on RGB instead (pure). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FilterGraph } from '../filter-graph.ts';
import { chromaFromGrey, chromaKeyFilters, keyedStream } from './chroma-key.ts';

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

test('a source drawn larger than itself: its matte is made at half its own size and sized up; its colour sized up before the despill', () => {
  const g = new FilterGraph('/work');
  keyedStream(g, 'src', { color: '#00b140', similarity: 0.3, blend: 0.1 }, { w: 640, h: 640 }, false, { w: 768, h: 768 });
  const [split, matte, colour, merge] = g.chains;
  assert.equal(split, '[src]split[kp0][kc1]');
  assert.match(matte, /^\[kc1\]scale=320:320,format=yuva444p,chromakey=[^,]+,alphaextract,scale=768:768:flags=bilinear\[key2\]$/);
  assert.equal(colour, '[kp0]scale=768:768,setsar=1,format=yuva420p,format=rgba,despill=type=green:mix=0.5:expand=0,format=yuva420p[ds3]');
  assert.equal(merge, '[ds3][key2]alphamerge[masked4]');
  // Without `to`: keyed at `size`, as before.
  const h = new FilterGraph('/work');
  keyedStream(h, 'src', { color: '#00b140', similarity: 0.3, blend: 0.1 }, { w: 768, h: 768 }, false);
  assert.match(h.chains[1], /^\[kc1\]scale=384:384,.*,scale=768:768:flags=bilinear\[key2\]$/);
  assert.equal(h.chains[2], '[kp0]format=rgba,despill=type=green:mix=0.5:expand=0,format=yuva420p[ds3]');
});
