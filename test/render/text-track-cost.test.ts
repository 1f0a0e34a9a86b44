/**
 * The cost of animated text and word captions, on the text and caption tracks of the ref-c
 * benchmark (720×1280, 30 fps; the fields of this area only): images drawn, their pixels, image
 * switches, against the full frames those clips cover. Printed as a test diagnostic for the
 * benchmark report, and bounded so a regression to per-frame drawing fails.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRenderHarness } from '../support/render-harness.ts';
import { prepareTimeline } from '../../src/render/prepare-timeline.ts';
import { textTrackCost } from '../../src/render/text-animation/sequence-cost.ts';
import { FFPROBE } from '../support/ffmpeg-tools.ts';

const h = createRenderHarness('text-cost');
after(() => h.dispose());

test('ref-c text and caption tracks: a handful of text-sized images, not frames', async (t) => {
  writeFileSync(join(h.dir, 'words.json'), JSON.stringify({
    task: 'transcribe', language: 'english', duration: 6, text: 'Every word lights up when spoken',
    words: ['Every', 'word', 'lights', 'up', 'when', 'spoken'].map((word, i) => ({ word, start: i, end: i + 0.5 })),
  }));
  const { composition } = h.engine.validate({
    output: { format: 'mp4', width: 720, height: 1280, fps: 30, duration: 15 },
    tracks: [{ clips: [
      { asset: { type: 'text', text: 'TRAIL RUNNER $89', width: 0.86, font: { size: 96, weight: 700 }, shadow: { color: '#00000099', blur: 8, x: 0, y: 4 },
        animation: { in: { style: 'slideUp', by: 'word', duration: 0.8 }, out: { style: 'fade', by: 'word', duration: 0.4 } } },
      start: 0.3, length: 4.5, position: 'top', offset: { x: 0, y: 0.06 } },
      { asset: { type: 'captions', src: 'words.json', lines: 2, width: 0.8, font: { size: 54, weight: 800, color: '#ffffff' },
        stroke: { color: '#000000', width: 4 }, highlight: { style: 'background', background: '#ff3366' } },
      start: 6, length: 7, offset: { x: 0, y: -0.12 } },
    ] }],
  });
  const workDir = mkdtempSync(join(h.dir, 'work-'));
  const started = performance.now();
  const tl = await prepareTimeline({ composition, workDir, ffprobePath: FFPROBE, signal: new AbortController().signal, resolveSrc: async (src) => join(h.dir, src) });
  const ms = performance.now() - started;
  const cost = textTrackCost(tl);
  t.diagnostic(`text+caption tracks: ${cost.clips} clips, ${cost.images} images, ${(cost.pixels / 1e6).toFixed(2)} Mpx drawn, ${cost.switches} image switches; `
    + `the frames they cover: ${(cost.fullFramePixels / 1e6).toFixed(0)} Mpx (${(cost.fullFramePixels / cost.pixels).toFixed(0)}×); prepared in ${ms.toFixed(0)} ms`);
  assert.equal(cost.clips, 2);
  // Title: 3 words in over 0.8 s (24 frames) and out over 0.4 s (12), one rest image. Captions: a
  // blank, each word spoken, the page between words: at most 2 images per word plus the blank.
  assert.ok(cost.images <= 24 + 12 + 1 + 2 * 6 + 1, `images: ${cost.images}`);
  assert.ok(cost.pixels * 20 < cost.fullFramePixels, 'far fewer pixels than full frames');
});
