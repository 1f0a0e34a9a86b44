/**
 * Golden plans of animated text and word captions: the picture changes are a concat list with a
 * duration per image (no filter per unit), cut to each window and chunk on the frame grid. Plans
 * are pure: the sequences are given as data. Accept a change with
 * `UPDATE_GOLDEN=1 node --import tsx --test src/render/plan-raster-sequence.golden.test.ts`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { validateComposition } from '../composition/validate-composition.ts';
import { buildTimeline } from './timeline.ts';
import { planRender } from './plan-render.ts';
import { planChunked } from './chunk-plan.ts';
import { sequenceRuns, sequenceCost, type RasterSequence } from './text-animation/raster-sequence.ts';
import { sequenceList } from './plan-raster-sequence.ts';
import { describePlan, expectGoldenPlan } from '../../test/support/golden-plans.ts';

/** A title whose 3 words fade in over 0.6 s at 30 fps: a picture per frame while moving, one at rest. */
const TITLE: RasterSequence = {
  frame: { path: '/work/text-1-0-0.png', width: 420, height: 120, box: { width: 380, height: 80 } },
  paths: Array.from({ length: 19 }, (_, i) => `/work/text-1-0-${i}.png`),
  changes: [...Array.from({ length: 18 }, (_, i) => ({ at: i / 30, image: i })), { at: 0.6, image: 18 }],
};
/** Captions: blank, a page, its spoken words, blank again, a second page that returns to an image. */
const CAPTIONS: RasterSequence = {
  frame: { path: '/work/cap-2-0-0.png', width: 600, height: 140, box: { width: 560, height: 100 } },
  paths: ['/work/cap-2-0-0.png', '/work/cap-2-0-1.png', '/work/cap-2-0-2.png', '/work/cap-2-0-3.png'],
  changes: [{ at: 0, image: 0 }, { at: 0.5, image: 1 }, { at: 0.8, image: 2 }, { at: 1.3, image: 0 }, { at: 2, image: 3 }, { at: 2.4, image: 1 }],
};

const timeline = (raw: unknown) => {
  const { composition } = validateComposition(raw);
  return buildTimeline(composition, {
    media: new Map(), rasters: new Map(), cues: new Map(),
    sequences: new Map([['/tracks/1/clips/0', TITLE], ['/tracks/2/clips/0', CAPTIONS]]),
  });
};
const COMPOSITION = {
  output: { width: 1280, height: 720, fps: 30 },
  tracks: [
    { clips: [{ asset: { type: 'color', color: '#102030' }, start: 0, length: 4 }] },
    { clips: [{ asset: { type: 'text', text: 'Big sale today', animation: { in: { style: 'fade' } } }, start: 0.5, length: 3, transition: { out: 'fade' } }] },
    { clips: [{ asset: { type: 'captions', words: [{ text: 'Hello', start: 0.5, end: 0.8 }, { text: 'world', start: 0.8, end: 1.3 }], highlight: { style: 'color' } }, start: 0, length: 4 }] },
  ],
};


describe('golden plans of raster sequences', () => {
  test('animated title (with a fade out) and highlighted captions', () => {
    expectGoldenPlan('text-animation-mp4', describePlan(planRender(timeline(COMPOSITION), { outputPath: '/out/out.mp4', workDir: '/work' })));
  });
  test('the same in two chunks: each part lists only its own frames', () => {
    const chunked = planChunked(timeline(COMPOSITION), { outputPath: '/out/out.mp4', workDir: '/work', parts: 2 });
    expectGoldenPlan('text-animation-chunked-mp4', chunked.parts.map((p) => describePlan(p)).join('\n# ---- next part\n\n'));
    const lists = chunked.parts.flatMap((p) => p.sideFiles.map((f) => f.path)).filter((f) => f.includes('/seq-'));
    assert.equal(new Set(lists).size, lists.length, `the parts share a work directory, so their lists must not clash: ${lists.join(' ')}`);
  });
});

describe('sequence runs', () => {
  test('frames choose the last change at or before them; a state that comes back reuses its image', () => {
    assert.deepEqual(sequenceRuns(CAPTIONS, 0, 90, 30), [
      { image: 0, frames: 15 }, { image: 1, frames: 9 }, { image: 2, frames: 15 }, { image: 0, frames: 21 }, { image: 3, frames: 12 }, { image: 1, frames: 18 },
    ]);
  });
  test('any cut of the frames gives the same images as the whole', () => {
    const whole = sequenceRuns(CAPTIONS, 0, 90, 30).flatMap((r) => Array<number>(r.frames).fill(r.image));
    for (const cut of [1, 14, 15, 37, 60, 89]) {
      const tail = sequenceRuns(CAPTIONS, cut / 30, 90 - cut, 30).flatMap((r) => Array<number>(r.frames).fill(r.image));
      assert.deepEqual(tail, whole.slice(cut), `cut at frame ${cut}`);
    }
  });
  test('the list ends with its last image once more, a frame later, so the last run keeps its length', () => {
    const list = sequenceList(CAPTIONS, 2.3, 5, 30);
    assert.equal(list, [
      'ffconcat version 1.0',
      "file '/work/cap-2-0-3.png'", 'option framerate 1000000', 'duration 0.1',
      "file '/work/cap-2-0-1.png'", 'option framerate 1000000', 'duration 0.066667',
      "file '/work/cap-2-0-1.png'", 'option framerate 1000000', 'duration 0.033333', '',
    ].join('\n'));
  });
  test('cost: images handed to ffmpeg and their pixels', () => {
    assert.deepEqual(sequenceCost(CAPTIONS), { images: 4, pixels: 4 * 600 * 140 });
  });
});
