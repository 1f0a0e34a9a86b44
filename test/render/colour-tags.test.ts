/**
 * Colour (docs/composition-choices.md, "Colour"): every video output says what its colours are
 * (BT.709 primaries and transfer, BT.601 matrix, limited range), whole, chunked and joined from
 * cached pieces; a BT.709-tagged camera source keeps its colour, drawn plain and through the RGB
 * blend path; an untagged source renders as before. Every check reads ffprobe or decoded frames.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRenderEngine } from '../../src/render/engine.ts';
import { openCliPieceCache } from '../../src/cli/cli-piece-cache.ts';
import { probeMedia } from '../../src/assets/probe-media.ts';
import { decodeFrames, decodePicture, patch, type Rgb } from '../support/decoded-pictures.ts';
import { FFMPEG, FFPROBE, ffmpeg, ffprobe } from '../support/ffmpeg-tools.ts';

const engine = createRenderEngine({ ffmpegPath: FFMPEG, ffprobePath: FFPROBE });
let dir = '';
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'montage-colour-'));
  // A camera-like file: #00ff00 in BT.709 YUV numbers, tagged so (as phones and cameras tag theirs).
  await ffmpeg('-f', 'lavfi', '-i', 'color=0x00ff00:s=1280x720:r=10:d=1',
    '-vf', 'scale=out_color_matrix=bt709:out_range=tv,format=yuv420p',
    '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709',
    '-c:v', 'libx264', '-preset', 'ultrafast', join(dir, 'green709.mp4'));
  // The same, 10-bit: the scaler's conversion instead of colormatrix.
  await ffmpeg('-f', 'lavfi', '-i', 'color=0x00ff00:s=1280x720:r=10:d=1',
    '-vf', 'scale=out_color_matrix=bt709:out_range=tv,format=yuv420p10le',
    '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'high10', join(dir, 'green709-10bit.mp4'));
  // HDR10-tagged (PQ, BT.2020): tone-mapped, its own conversion.
  await ffmpeg('-f', 'lavfi', '-i', 'color=0xc04020:s=640x360:r=10:d=1,format=yuv420p10le',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'high10',
    '-color_primaries', 'bt2020', '-color_trc', 'smpte2084', '-colorspace', 'bt2020nc', join(dir, 'orange-pq.mp4'));
  // SDR BT.2020 (matrix, primaries and 10-bit curve tagged, as BT.2020 files are): #20c040 made into
  // BT.2020 numbers by the colorspace filter (152, 92, 100 in YUV, as the spec's formulas give),
  // 8-bit and 10-bit.
  for (const [name, pix] of [['green2020.mp4', 'yuv420p'], ['green2020-10bit.mp4', 'yuv420p10le']]) {
    await ffmpeg('-f', 'lavfi', '-i', 'color=0x20c040:s=640x360:r=10:d=1',
      '-vf', `scale=out_color_matrix=bt709:out_range=tv,format=${pix},setparams=colorspace=bt709:color_primaries=bt709:color_trc=bt709:range=tv,colorspace=all=bt2020:iall=bt709`,
      '-colorspace', 'bt2020nc', '-color_primaries', 'bt2020', '-color_trc', 'bt2020-10', '-color_range', 'tv',
      '-c:v', 'libx264', ...(pix === 'yuv420p' ? ['-qp', '0'] : ['-qp', '1', '-profile:v', 'high10']), join(dir, name));
  }
  // A still of #00ff00, for luma masks: the same picture as green709.mp4.
  await ffmpeg('-f', 'lavfi', '-i', 'color=0x00ff00:s=64x36', '-frames:v', '1', join(dir, 'green.png'));
  // Untagged: ffmpeg's default RGB→YUV (BT.601 numbers), read back as BT.601.
  await ffmpeg('-f', 'lavfi', '-i', 'color=0xe03c8a:s=640x360:r=10:d=1', '-pix_fmt', 'yuv420p',
    '-c:v', 'libx264', '-preset', 'ultrafast', join(dir, 'pink-untagged.mp4'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const render = async (name: string, raw: object, opts: { chunks?: number; cached?: boolean } = {}): Promise<string> => {
  const { composition } = engine.validate(raw);
  const workDir = mkdtempSync(join(dir, `work-${name}-`));
  const cache = opts.cached ? openCliPieceCache(join(dir, `cache-${name}`)) : undefined;
  try {
    const r = await engine.render({
      composition, workDir, outputPath: join(dir, name), resolveSrc: async (src) => join(dir, src), chunks: opts.chunks,
      ...(cache ? { pieceCache: { cache: cache.cache, tenant: 't', pieceSeconds: 1 } } : {}),
    });
    return r.video.path;
  } finally {
    cache?.close();
    rmSync(workDir, { recursive: true, force: true });
  }
};

const WANT = { color_space: 'smpte170m', color_primaries: 'bt709', color_transfer: 'bt709', color_range: 'tv' };
const TAGS = 'color_space,color_primaries,color_transfer,color_range';
const streamTags = async (path: string) => {
  const j = JSON.parse((await ffprobe('-select_streams', 'v:0', '-show_entries', `stream=${TAGS}`, '-of', 'json', path)).toString());
  const s = j.streams[0];
  return { color_space: s.color_space, color_primaries: s.color_primaries, color_transfer: s.color_transfer, color_range: s.color_range };
};
/** The distinct tag sets the decoder reads from each frame's own bitstream (every piece's, once joined). */
const frameTagSets = async (path: string): Promise<string[]> => {
  const j = JSON.parse((await ffprobe('-select_streams', 'v:0', '-show_entries', `frame=${TAGS}`, '-of', 'json', path)).toString());
  return [...new Set((j.frames as Array<Record<string, string>>).map((f) => TAGS.split(',').map((k) => `${k}=${f[k]}`).join(' ')))];
};
const WANT_FRAME = TAGS.split(',').map((k) => `${k}=${WANT[k as keyof typeof WANT]}`).join(' ');

const titled = (format: string, length: number) => ({
  output: { format, width: 320, height: 180, fps: 10, quality: 'draft' },
  background: '#00ff00',
  tracks: [{ clips: [
    { asset: { type: 'text', text: 'Tagged', font: { size: 30, color: '#ff0000' } }, start: 0, length },
    { asset: { type: 'video', src: 'green709.mp4' }, start: 0, length: 1, scale: 0.3 },
  ] }],
});

describe('video outputs carry their colour tags', () => {
  for (const format of ['mp4', 'webm', 'mov']) {
    test(`${format}, whole and in chunks`, async () => {
      const whole = await render(`tags-whole.${format}`, titled(format, 2));
      assert.deepEqual(await streamTags(whole), WANT, `${format} whole: container/stream tags`);
      assert.deepEqual(await frameTagSets(whole), [WANT_FRAME], `${format} whole: every frame's tags`);
      const chunked = await render(`tags-chunked.${format}`, titled(format, 4), { chunks: 2 });
      assert.deepEqual(await streamTags(chunked), WANT, `${format} chunked: container/stream tags`);
      assert.deepEqual(await frameTagSets(chunked), [WANT_FRAME], `${format} chunked: every piece's frames, the same tags`);
      // Read as tagged, the background is the colour asked for (#00ff00 read as BT.709 was ~(0,216,0)).
      const [first] = await decodeFrames(chunked);
      assertNear(patch(first, 300, 170), [0, 255, 0], 4, `${format} background`);
    });
  }
  for (const format of ['mp4', 'webm']) {
    test(`${format} joined from cached pieces`, async () => {
      const out = await render(`tags-cached.${format}`, titled(format, 3), { cached: true });
      assert.deepEqual(await streamTags(out), WANT);
      assert.deepEqual(await frameTagSets(out), [WANT_FRAME]);
    });
  }
});

const assertNear = (actual: Rgb, expected: Rgb, tolerance: number, what: string) =>
  assert.ok(actual.every((v, i) => Math.abs(v - expected[i]) <= tolerance), `${what}: ${actual.map(Math.round)} is not within ±${tolerance} of ${expected}`);

/** The source's own colour, decoded as ffmpeg reads it (honouring its tags). */
const sourceColour = async (file: string): Promise<Rgb> => {
  const p = await decodePicture(join(dir, file));
  return patch(p, p.width / 2, p.height / 2);
};

const oneClip = (src: string, extra: object = {}) => ({
  output: { format: 'mp4', width: 320, height: 180, fps: 10, quality: 'draft' },
  tracks: [{ clips: [{ asset: { type: 'video', src }, start: 0, length: 1, ...extra }] }],
});

describe('a BT.709-tagged source keeps its colour', () => {
  test('the probe reports its matrix (and none for an untagged file)', async () => {
    const opts = { ffprobePath: FFPROBE, pointer: '/src' };
    assert.deepEqual((await probeMedia(join(dir, 'green709.mp4'), opts)).video?.yuvMatrix, { matrix: 'bt709', pixFmt: 'yuv420p' });
    assert.equal((await probeMedia(join(dir, 'pink-untagged.mp4'), opts)).video?.yuvMatrix, undefined);
  });
  for (const file of ['green709.mp4', 'green709-10bit.mp4']) {
    for (const [how, extra] of [['drawn plain', {}], ['through the RGB blend path', { blend: 'lighten' }], ['at half opacity', { opacity: 0.5 }]] as const) {
      test(`${file}, ${how}`, async () => {
        const want = await sourceColour(file);
        const out = await render(`${file}-${how.replace(/\W+/g, '-')}.mp4`, oneClip(file, extra));
        const got = patch(await decodePicture(out), 160, 90);
        // Over black: lighten leaves the colour as it is, half opacity halves it.
        const expected: Rgb = 'opacity' in extra ? [want[0] / 2, want[1] / 2, want[2] / 2] : want;
        assertNear(got, expected, 4, `${file} ${how}`);
      });
    }
  }
});

test('an untagged source renders as before: read as BT.601, as ffmpeg reads it', async () => {
  const want = await sourceColour('pink-untagged.mp4');
  const out = await render('untagged.mp4', oneClip('pink-untagged.mp4'));
  assertNear(patch(await decodePicture(out), 160, 90), want, 4, 'untagged source');
});

test('a tone-mapped HDR source shows the same colour drawn plain as through the RGB blend path', async () => {
  // The tone map's result was BT.709 numbers: right where it was read as RGB by its tag, off where
  // it went through the YUV paths and was read back as BT.601.
  const plain = patch(await decodePicture(await render('pq-plain.mp4', oneClip('orange-pq.mp4'))), 160, 90);
  const blended = patch(await decodePicture(await render('pq-blend.mp4', oneClip('orange-pq.mp4', { blend: 'lighten' }))), 160, 90);
  assertNear(plain, blended, 4, 'HDR plain against blended');
});

describe('an SDR BT.2020 source keeps its colour', () => {
  test('the probe reports its matrix and primaries', async () => {
    const m = (await probeMedia(join(dir, 'green2020.mp4'), { ffprobePath: FFPROBE, pointer: '/src' })).video?.yuvMatrix;
    assert.deepEqual(m, { matrix: 'bt2020', pixFmt: 'yuv420p', primaries: 'bt2020' });
  });
  for (const file of ['green2020.mp4', 'green2020-10bit.mp4']) {
    for (const format of ['mp4', 'png']) {
      test(`${file} comes out #20c040 in ${format} (read as BT.601 it was about (113,194,85); the matrix alone, (111,182,81))`, async () => {
        const raw = { ...oneClip(file), output: { format, width: 320, height: 180, fps: 10, quality: 'draft' } };
        const got = patch(await decodePicture(await render(`${file}-2020.${format}`, raw)), 160, 90);
        // The file's 8-bit BT.2020 numbers decode exactly to (26,191,62); 4:2:0 and the output's own rounding add a few.
        assertNear(got, [32, 192, 64], 9, `${file} in ${format}`);
      });
    }
  }
});

describe('a luma mask is the brightness of the picture, whatever matrix its file was made with', () => {
  // #00ff00 is 150 of 255 bright by BT.601's weights and 182 by BT.709's: a BT.709-tagged video of it
  // was read by its raw Y (182), a PNG of the same picture by the pipeline's BT.601 (150).
  const masked = (mask: string) => ({
    output: { format: 'mp4', width: 320, height: 180, fps: 10, quality: 'draft' },
    background: '#000000',
    tracks: [{ clips: [{ asset: { type: 'color', color: '#ffffff' }, start: 0, length: 1, mask: { src: mask, mode: 'luma' } }] }],
  });
  test('a BT.709 video mask shows the clip as much as a PNG of the same picture', async () => {
    const still = patch(await decodePicture(await render('mask-png.mp4', masked('green.png'))), 160, 90);
    const video = patch(await decodePicture(await render('mask-709.mp4', masked('green709.mp4'))), 160, 90);
    assertNear(still, [150, 150, 150], 4, 'PNG mask of #00ff00');
    assertNear(video, still, 4, 'BT.709 video mask of #00ff00, against the PNG');
  });
  test('an SDR BT.2020 video mask too', async () => {
    // #20c040: 130 by BT.601's weights (the file's 8-bit numbers decode to (26,191,62): 127); read by its raw Y, 158.
    const video = patch(await decodePicture(await render('mask-2020.mp4', masked('green2020.mp4'))), 160, 90);
    assertNear(video, [129, 129, 129], 5, 'BT.2020 video mask of #20c040');
  });
});
