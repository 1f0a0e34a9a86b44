import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFfprobe } from './run-ffprobe.ts';
import { probeMedia } from './probe-media.ts';
import { probeKeyframes } from './probe-keyframes.ts';

const FFPROBE = process.env.MONTAGE_FFPROBE ?? 'ffprobe';

describe('runFfprobe: one ffprobe under a memory cap and a time limit', () => {
  let dir: string;
  let video: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'run-ffprobe-'));
    video = join(dir, 'v.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=320x180:r=30:d=4', '-c:v', 'libx264', '-g', '30', '-pix_fmt', 'yuv420p', video]);
    writeFileSync(join(dir, 'not-media.mp4'), 'this is no video at all\n'.repeat(200));
    // Long enough to decode for well over the cap's 0.1 s poll.
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=1280x720:r=30:d=8', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', join(dir, 'long.mp4')]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the output of a run that succeeds', async () => {
    const r = await runFfprobe(['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', video], { ffprobePath: FFPROBE });
    assert.ok(r.ok);
    assert.equal(Number(r.stdout.trim()), 4);
  });

  it('gives the error and stderr of a run that fails, without rejecting', async () => {
    const r = await runFfprobe(['-v', 'error', '-show_format', join(dir, 'not-media.mp4')], { ffprobePath: FFPROBE });
    assert.equal(r.ok, false);
    assert.ok(!r.ok && /invalid data/i.test(r.stderr), !r.ok ? r.stderr : '');
    assert.ok(!r.ok && r.overMemoryBytes === undefined);
  });

  it('kills a run past its memory cap and says so', async () => {
    // Decoding every frame of 8 s of 720p with a 4 MiB cap: ffprobe's own start passes it.
    const r = await runFfprobe(['-v', 'error', '-count_frames', '-show_streams', join(dir, 'long.mp4')], { ffprobePath: FFPROBE, maxRssBytes: 4 * 2 ** 20 });
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.overMemoryBytes! > 4 * 2 ** 20 && r.maxRssBytes === 4 * 2 ** 20, JSON.stringify(!r.ok && { over: r.overMemoryBytes }));
  });

  it('is what the media and keyframe probes run: their answers and their failures', async () => {
    const info = await probeMedia(video, { ffprobePath: FFPROBE, pointer: '/tracks/0/clips/0/asset/src' });
    assert.deepEqual([info.video?.width, info.video?.height, info.duration], [320, 180, 4]);
    await assert.rejects(probeMedia(join(dir, 'not-media.mp4'), { ffprobePath: FFPROBE, pointer: '/tracks/0/clips/1/asset/src' }),
      { code: 'MONTAGE_E_ASSET_UNREADABLE', message: /\/tracks\/0\/clips\/1\/asset\/src/ });
    assert.deepEqual(await probeKeyframes(video, [{ from: 0 }], { ffprobePath: FFPROBE }), [0, 1, 2, 3]);
    assert.equal(await probeKeyframes(join(dir, 'not-media.mp4'), [{ from: 0 }], { ffprobePath: FFPROBE }), undefined);
  });
});
