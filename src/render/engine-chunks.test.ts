/**
 * A chunked render is the unchunked render: same frame count and duration, frames that match
 * (SSIM), and audio mixed once, so nothing happens at the seam. Real renders, decoded with ffmpeg.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRenderEngine } from './engine.ts';

const engine = createRenderEngine({ ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' });
let dir = '';
const ff = (...args: string[]) => execFileSync('ffmpeg', ['-hide_banner', '-v', 'error', '-y', ...args], { maxBuffer: 1 << 28 });

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'montage-chunks-'));
  ff('-f', 'lavfi', '-i', 'testsrc2=s=480x270:r=30:d=6', '-f', 'lavfi', '-i', 'sine=f=330:d=6', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', join(dir, 'src.mp4'));
  ff('-f', 'lavfi', '-i', 'testsrc=s=640x480', '-frames:v', '1', join(dir, 'still.png'));
  ff('-f', 'lavfi', '-i', 'sine=f=550:d=3', '-ac', '2', join(dir, 'music.wav'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const COMPOSITION = {
    output: { width: 320, height: 180, fps: 30, quality: 'low' },
    soundtrack: { src: 'music.wav', duck: 0.4, fadeOut: 0.5 },
    tracks: [{ clips: [
      { asset: { type: 'video', src: 'src.mp4', volume: 0.8 }, start: 0, length: 3 },
      { asset: { type: 'image', src: 'still.png' }, start: 2.5, length: 2.5, effect: 'panRight', transition: { in: 'fade', duration: 1 } },
    ] }, { clips: [{ asset: { type: 'text', text: 'Seamless', font: { size: 28 } }, start: 1, length: 3.5, transition: { in: 'wipeRight', out: 'slideDown' } }] }],
};
const resolveSrc = async (src: string) => join(dir, src);

const render = async (chunks: number) => {
  const { composition } = engine.validate(COMPOSITION);
  const outputPath = join(dir, `out-${chunks}.mp4`);
  const workDir = mkdtempSync(join(dir, 'work-'));
  await engine.render({ composition, workDir, outputPath, chunks, resolveSrc });
  return outputPath;
};

const probe = (file: string) => JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_type,nb_read_frames,duration', '-of', 'json', file]).toString()).streams as Array<{ codec_type: string; nb_read_frames: string; duration: string }>;
const samples = (file: string) => {
  const b = ff('-i', file, '-f', 'f32le', '-ac', '1', '-ar', '48000', '-');
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};

/** What distributed workers do: plan ranges, render each part and the sound apart, then join. */
const renderDistributed = async () => {
  const { composition } = engine.validate({ ...COMPOSITION, output: { ...COMPOSITION.output, poster: { time: 1 } } });
  const workDir = mkdtempSync(join(dir, 'dist-'));
  const ranges = await engine.planChunks({ composition, resolveSrc, workDir, parts: 2 });
  assert.deepEqual(ranges.map((r) => [r.start, r.length, r.frames]), [[0, 2, 60], [2, 3, 90]]);
  const parts = await Promise.all(ranges.map(async (r) => {
    const part = engine.validate({ ...COMPOSITION, output: { ...COMPOSITION.output, range: { start: r.start, length: r.length } } }).composition;
    const out = await engine.render({ composition: part, resolveSrc, workDir: mkdtempSync(join(dir, 'part-')), outputPath: join(workDir, `p${r.index}.mp4`), streams: 'video' });
    return out.video.path;
  }));
  const audio = await engine.render({ composition, resolveSrc, workDir: mkdtempSync(join(dir, 'audio-')), outputPath: join(workDir, 'a.m4a'), streams: 'audio' });
  const joined = await engine.join({ composition, parts, audio: audio.video.path, workDir, outputPath: join(dir, 'out-dist.mp4') });
  assert.ok(joined.poster && joined.poster.bytes > 0, 'the join makes the poster');
  assert.equal(joined.summary.duration, 5);
  return joined.video.path;
};

const cases: Array<[string, () => Promise<string>]> = [
  ['--chunks 2 in one engine', () => render(2)],
  ['ranges rendered apart and joined, as distributed workers do', renderDistributed],
];
for (const [name, chunked] of cases) test(`${name}: the same file as one process: frames, duration, pictures and sound`, async () => {
  const one = await render(1);
  const two = await chunked();
  const [p1, p2] = [probe(one), probe(two)];
  const v1 = p1.find((s) => s.codec_type === 'video')!;
  const v2 = p2.find((s) => s.codec_type === 'video')!;
  assert.equal(v1.nb_read_frames, '150');
  assert.equal(v2.nb_read_frames, v1.nb_read_frames);
  assert.equal(Number(v2.duration), Number(v1.duration));
  assert.equal(Number(p2.find((s) => s.codec_type === 'audio')!.duration), Number(p1.find((s) => s.codec_type === 'audio')!.duration));

  // Every frame, including those around the seam at 2 s (GOP boundary), matches closely.
  const stats = join(dir, 'ssim.txt');
  ff('-i', one, '-i', two, '-lavfi', `[0:v][1:v]ssim=stats_file=${stats}`, '-f', 'null', '-');
  const ssim = execFileSync('cat', [stats]).toString().trim().split('\n').map((l) => Number(/All:([\d.]+)/.exec(l)![1]));
  assert.equal(ssim.length, 150);
  assert.ok(Math.min(...ssim) >= 0.98, `lowest frame SSIM ${Math.min(...ssim)}`);

  // The sound was mixed once for the whole timeline: the two decode to the same samples, so the
  // seam can neither click nor drift.
  const [a1, a2] = [samples(one), samples(two)];
  assert.ok(Math.abs(a1.length - a2.length) <= 1024, `${a1.length} vs ${a2.length} samples`);
  let worst = 0;
  for (let i = 0; i < Math.min(a1.length, a2.length); i++) worst = Math.max(worst, Math.abs(a1[i] - a2[i]));
  assert.ok(worst < 1e-3, `largest sample difference ${worst}`);
  // And it is not silence: the test would pass vacuously on two silent tracks.
  const rms = Math.sqrt(a1.reduce((s, x) => s + x * x, 0) / a1.length);
  assert.ok(rms > 0.05, `rms ${rms}`);
});

/**
 * `chunks: 'auto'` (montage render without --chunks): an 8 s 320×180 mp4 is split in one part per
 * core (at most 2 here: 4 s a part), a 3 s one is not, and either way the file is the one-process
 * render's. The ffmpeg runs are counted through a wrapper that logs each command line.
 */
test("chunks 'auto': 8 s split in a part per core (at most 2), 3 s in one process; the same file as one process", async () => {
  const log = join(dir, 'ffmpeg-runs.log');
  const wrapper = join(dir, 'ffmpeg-logged.sh');
  writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec ffmpeg "$@"\n`);
  chmodSync(wrapper, 0o755);
  const logged = createRenderEngine({ ffmpegPath: wrapper, ffprobePath: 'ffprobe' });
  const long = (seconds: number) => ({
    output: { width: 320, height: 180, fps: 30, quality: 'low' },
    soundtrack: { src: 'music.wav', fadeOut: 0.5 },
    tracks: [{ clips: [
      { asset: { type: 'image', src: 'still.png' }, start: 0, length: seconds / 2 + 0.5, effect: 'zoomIn' },
      { asset: { type: 'image', src: 'still.png' }, start: seconds / 2, length: seconds / 2, effect: 'zoomOut', transition: { in: 'fade', duration: 0.5 } },
    ] }],
  });
  const run = async (seconds: number, chunks: number | 'auto') => {
    rmSync(log, { force: true });
    const { composition } = logged.validate(long(seconds));
    const outputPath = join(dir, `auto-${seconds}-${chunks}.mp4`);
    await logged.render({ composition, workDir: mkdtempSync(join(dir, 'work-')), outputPath, chunks, resolveSrc });
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    return { outputPath, parts: lines.filter((l) => /part-\d+\.mp4$/.test(l)).length, runs: lines.length };
  };
  const expected = Math.min(2, availableParallelism());
  for (const [seconds, parts] of [[8, expected], [3, 1]] as const) {
    const auto = await run(seconds, 'auto');
    const one = await run(seconds, 1);
    assert.equal(one.runs, 1);
    if (parts > 1) assert.deepEqual([auto.parts, auto.runs], [parts, parts + 2], 'the parts, the sound and the join');
    else assert.deepEqual([auto.parts, auto.runs], [0, 1], 'one ffmpeg');
    const [pa, p1] = [probe(auto.outputPath), probe(one.outputPath)];
    const [va, v1] = [pa.find((s) => s.codec_type === 'video')!, p1.find((s) => s.codec_type === 'video')!];
    assert.equal(v1.nb_read_frames, String(seconds * 30));
    assert.equal(va.nb_read_frames, v1.nb_read_frames);
    assert.equal(Number(va.duration), Number(v1.duration));
    assert.equal(Number(pa.find((s) => s.codec_type === 'audio')!.duration), Number(p1.find((s) => s.codec_type === 'audio')!.duration));
    const stats = join(dir, `ssim-auto-${seconds}.txt`);
    ff('-i', one.outputPath, '-i', auto.outputPath, '-lavfi', `[0:v][1:v]ssim=stats_file=${stats}`, '-f', 'null', '-');
    const ssim = readFileSync(stats, 'utf8').trim().split('\n').map((l) => Number(/All:([\d.]+)/.exec(l)![1]));
    assert.equal(ssim.length, seconds * 30);
    assert.ok(Math.min(...ssim) >= 0.98, `lowest frame SSIM ${Math.min(...ssim)}`);
  }
});
