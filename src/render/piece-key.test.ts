/**
 * The piece key is semantic: it changes with everything that shapes a piece's frames and with
 * nothing else. Pure; the description of one piece is pinned in test/golden/pieces (accept a
 * reviewed change with `UPDATE_GOLDEN=1 node scripts/run-tests.mjs src/render/piece-key`).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { validateComposition } from '../composition/validate-composition.ts';
import { buildTimeline, type RasterRef } from './timeline.ts';
import type { MediaInfo } from '../assets/media-info.ts';
import { audioKey, pieceDescription, pieceKey, type PieceKeyInput } from './piece-key.ts';
import { defaultPieceSeconds, fixedPieceGrid } from './piece-grid.ts';

const video = (path: string): MediaInfo => ({ path, container: 'mov,mp4,m4a,3gp,3g2,mj2', duration: 20, video: { codec: 'h264', width: 640, height: 360, fps: 30, still: false, hasAlpha: false } });
const raster = (path: string): RasterRef => ({ path, width: 200, height: 40, box: { width: 190, height: 30 } });

const BASE = {
  output: { width: 320, height: 180, fps: 30, quality: 'low' },
  tracks: [
    { clips: [{ asset: { type: 'video', src: 'bg.mp4' }, start: 0, length: 10 }] },
    { clips: [
      { asset: { type: 'text', text: 'Hello' }, start: 0.5, length: 1 },
      { asset: { type: 'text', text: 'End card' }, start: 8, length: 2, transition: { in: 'fade' } },
    ] },
  ],
};

const timeline = (raw: unknown, opts: { media?: Record<string, MediaInfo>; rasters?: Record<string, RasterRef> } = {}) => {
  const { composition } = validateComposition(raw);
  return buildTimeline(composition, {
    media: new Map(Object.entries(opts.media ?? { 'bg.mp4': video('/work/job-1/bg.mp4') })),
    rasters: new Map(Object.entries(opts.rasters ?? { '/tracks/1/clips/0': raster('/work/job-1/text-1-0.png'), '/tracks/1/clips/1': raster('/work/job-1/text-1-1.png') })),
    cues: new Map(),
  });
};
const HASHES = new Map([
  ['/work/job-1/bg.mp4', '1'.repeat(64)], ['/work/job-1/text-1-0.png', '2'.repeat(64)], ['/work/job-1/text-1-1.png', '3'.repeat(64)],
  ['/work/job-2/bg.mp4', '1'.repeat(64)], ['/work/job-2/text-0-0.png', '2'.repeat(64)], ['/work/job-2/text-1-0.png', '3'.repeat(64)],
]);
const input = (over: Partial<PieceKeyInput> = {}): PieceKeyInput => ({
  engineVersion: '0.1.0', ffmpegVersion: 'ffmpeg version 5.1.6', tenant: 'ten_1', timeline: timeline(BASE),
  frames: { first: 0, end: 60 }, threads: 1, contentHashes: HASHES, ...over,
});
const key = (over: Partial<PieceKeyInput> = {}) => pieceKey(input(over));

describe('piece key', () => {
  it('pins the description of one piece (golden)', () => {
    const text = `${JSON.stringify(pieceDescription(input()), null, 2)}\n`;
    const file = new URL('../../test/golden/pieces/first-piece.json', import.meta.url);
    if (process.env.UPDATE_GOLDEN || !existsSync(file)) writeFileSync(file, text);
    assert.equal(text, readFileSync(file, 'utf8'));
    assert.ok(!text.includes('/work/'), 'no local path enters the key');
    assert.ok(!text.includes('/tracks/') && !text.includes('"t1c'), 'no pointer or clip id enters the key');
    assert.ok(!text.includes('End card'), 'a clip outside the piece does not enter it');
  });

  it('stays the same when an unrelated clip moves elsewhere, or moves to another track, or paths change', () => {
    const moved = structuredClone(BASE);
    moved.tracks[1].clips[1].start = 6; // still outside 0–2 s
    assert.equal(key({ timeline: timeline(moved) }), key());
    // The title on its own track before the end card: other pointers, ids and raster paths.
    const split = { ...BASE, tracks: [BASE.tracks[0], { clips: [BASE.tracks[1].clips[0]] }, { clips: [BASE.tracks[1].clips[1]] }] };
    const tl2 = timeline(split, {
      media: { 'bg.mp4': video('/work/job-2/bg.mp4') },
      rasters: { '/tracks/1/clips/0': raster('/work/job-2/text-0-0.png'), '/tracks/2/clips/0': raster('/work/job-2/text-1-0.png') },
    });
    assert.equal(key({ timeline: tl2 }), key());
    // But the piece that shows the end card changes when it moves.
    const last = { first: 240, end: 300 };
    assert.notEqual(key({ timeline: timeline(moved), frames: last }), key({ frames: last }));
  });

  it('changes with everything that shapes the frames', () => {
    const k = key();
    const changed = structuredClone(BASE);
    (changed.tracks[1].clips[0] as { opacity?: number }).opacity = 0.5;
    const webm = structuredClone(BASE); webm.output = { ...webm.output, quality: 'high' };
    const cases: Array<[string, Partial<PieceKeyInput>]> = [
      ['a field of a clip in the piece', { timeline: timeline(changed) }],
      ['the input bytes under the same URL', { contentHashes: new Map([...HASHES, ['/work/job-1/bg.mp4', '9'.repeat(64)]]) }],
      ['the raster bytes (a changed font)', { contentHashes: new Map([...HASHES, ['/work/job-1/text-1-0.png', '8'.repeat(64)]]) }],
      ['the quality (encoder preset and CRF)', { timeline: timeline(webm) }],
      ['the tenant', { tenant: 'ten_2' }],
      ['the ffmpeg version', { ffmpegVersion: 'ffmpeg version 6.0' }],
      ['the engine version', { engineVersion: '0.2.0' }],
      ['the encoder threads', { threads: 2 }],
      ['the frame range', { frames: { first: 60, end: 120 } }],
    ];
    for (const [what, over] of cases) assert.notEqual(key(over), k, what);
  });

  it('refuses a timeline file it has no hash for, rather than keying by path', () => {
    assert.throws(() => key({ contentHashes: new Map() }), /no content hash/);
  });
});

describe('fixed piece grid', () => {
  it('gives each piece about the work of 2 s of 1080p30 by default, from 2 s to 60 s', () => {
    assert.equal(defaultPieceSeconds({ width: 1920, height: 1080, fps: 30 }), 4);
    assert.equal(defaultPieceSeconds({ width: 3840, height: 2160, fps: 60 }), 2);
    assert.equal(defaultPieceSeconds({ width: 1280, height: 720, fps: 30 }), 9);
    assert.equal(defaultPieceSeconds({ width: 160, height: 90, fps: 30 }), 60);
    assert.deepEqual(fixedPieceGrid(timeline(BASE)).map((r) => r.frames), [300], '320×180 at 30 fps: one 60 s piece for 10 s');
  });
  it('cuts at multiples of the piece length from timeline 0, so a longer video keeps the earlier cuts', () => {
    const cuts = (raw: unknown, s?: number) => fixedPieceGrid(timeline(raw), s).map((r) => [r.first, r.frames]);
    assert.deepEqual(cuts(BASE, 2), [[0, 60], [60, 60], [120, 60], [180, 60], [240, 60]]);
    const longer = structuredClone(BASE); longer.tracks[1].clips[1].length = 2.5;
    assert.deepEqual(cuts(longer, 2), [[0, 60], [60, 60], [120, 60], [180, 60], [240, 60], [300, 15]]);
    assert.deepEqual(cuts(BASE, 4), [[0, 120], [120, 120], [240, 60]]);
    const ranged = { ...BASE, output: { ...BASE.output, range: { start: 3, length: 4 } } };
    assert.deepEqual(cuts(ranged, 2), [[90, 30], [120, 60], [180, 30]]);
  });
  it('moves each grid cut to the nearest clip edge on a keyframe within half a step, so an edit to a clip re-renders its own time', () => {
    const cuts = (raw: unknown, s?: number) => fixedPieceGrid(timeline(raw), s).map((r) => [r.first, r.frames]);
    const moved = structuredClone(BASE) as typeof BASE & { tracks: Array<{ clips: Array<Record<string, unknown>> }> };
    moved.tracks[1].clips[1].start = 6; moved.tracks[1].clips[1].length = 4;
    // On a 4 s grid (cuts at 4 s and 8 s; keyframes every 2 s at 30 fps): the card's start at 6 s is
    // half a step from 4 s and 8 s and goes to the later, so the card's 6–10 s is one piece.
    assert.deepEqual(cuts(moved, 4), [[0, 120], [120, 60], [180, 120]]);
    // Off a keyframe (7 s): the grid alone.
    moved.tracks[1].clips[1].start = 7; moved.tracks[1].clips[1].length = 3;
    assert.deepEqual(cuts(moved, 4), [[0, 120], [120, 120], [240, 60]]);
    // On an 8 s grid (a cut at 8 s only), a card from 2 s to 6 s: 6 s takes the cut; 2 s is no cut's
    // nearest edge (the range's start does not move), so it cuts nothing.
    const early = structuredClone(moved); early.tracks[1].clips[1].start = 2; early.tracks[1].clips[1].length = 4;
    assert.deepEqual(cuts(early, 8), [[0, 180], [180, 120]]);
    // A cut on an edge stays: the title 2–4 s and the card at 8 s leave the 4 s grid as it is.
    const title = structuredClone(BASE) as typeof moved; title.tracks[1].clips[0].start = 2; title.tracks[1].clips[0].length = 2;
    assert.deepEqual(cuts(title, 4), [[0, 120], [120, 120], [240, 60]]);
    // Scenes at every keyframe (2 s each) keep the grid's three pieces, not five.
    const scenes = structuredClone(BASE) as typeof moved;
    scenes.tracks[0].clips = [0, 2, 4, 6, 8].map((start) => ({ asset: { type: 'video', src: 'bg.mp4' }, start, length: 2 }));
    assert.deepEqual(cuts(scenes, 4), [[0, 120], [120, 120], [240, 60]]);
    // Audio clips cut nothing (their sound is mixed apart from the pieces): a voice at 4–8 s would
    // otherwise keep the 8 s cut where it is.
    const voiced = structuredClone(moved); voiced.tracks[1].clips[1].start = 6; voiced.tracks[1].clips[1].length = 4;
    voiced.tracks.push({ clips: [{ asset: { type: 'audio', src: 'voice.m4a' }, start: 4, length: 4 }] });
    const voice = { ...video('/work/job-1/voice.m4a'), audio: { codec: 'aac', channels: 2, sampleRate: 48000 } };
    const withVoice = fixedPieceGrid(timeline(voiced, { media: { 'bg.mp4': video('/work/job-1/bg.mp4'), 'voice.m4a': voice } }), 4);
    assert.deepEqual(withVoice.map((r) => [r.first, r.frames]), [[0, 120], [120, 60], [180, 120]]);
    // A range moves only the cuts inside it.
    const ranged = { ...structuredClone(BASE), output: { ...BASE.output, range: { start: 1, length: 8 } } } as typeof moved;
    ranged.tracks[1].clips[1].start = 6; ranged.tracks[1].clips[1].length = 4;
    assert.deepEqual(cuts(ranged, 4), [[30, 90], [120, 60], [180, 90]]);
  });
});

describe('audio key', () => {
  const sounding = { ...video('/work/job-1/bg.mp4'), audio: { codec: 'aac', channels: 2, sampleRate: 48000 } };
  const aKey = (raw: unknown, over: Partial<PieceKeyInput> = {}, media: MediaInfo = sounding) =>
    audioKey({ ...input(over), timeline: timeline(raw, { media: { 'bg.mp4': media } }) });

  it('stays the same when only silent clips change (a title, its timing), changes with what sounds', () => {
    const retitled = structuredClone(BASE) as { tracks: Array<{ clips: Array<{ asset: Record<string, unknown>; start: number }> }> };
    retitled.tracks[1].clips[0].asset.text = 'Hello Grace';
    retitled.tracks[1].clips[1].start = 7;
    assert.equal(aKey(retitled), aKey(BASE));
    const louder = structuredClone(BASE) as { tracks: Array<{ clips: Array<{ asset: Record<string, unknown> }> }> };
    louder.tracks[0].clips[0].asset.volume = 0.5;
    assert.notEqual(aKey(louder), aKey(BASE), 'the volume of the sounding clip');
    assert.notEqual(aKey(BASE, { contentHashes: new Map([...HASHES, ['/work/job-1/bg.mp4', '9'.repeat(64)]]) }), aKey(BASE), 'other bytes under the same URL');
    assert.notEqual(aKey(BASE, { tenant: 'ten_2' }), aKey(BASE), 'another tenant');
    assert.notEqual(aKey(BASE, { ffmpegVersion: 'ffmpeg version 6.0' }), aKey(BASE), 'another ffmpeg');
    assert.notEqual(aKey({ ...BASE, output: { ...BASE.output, quality: 'high' } }), aKey(BASE), 'another quality');
    assert.notEqual(aKey(BASE, {}, video('/work/job-1/bg.mp4')), aKey(BASE), 'a source without sound mixes another audio');
  });
});
