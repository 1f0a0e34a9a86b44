import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { capChildMemory } from './memory-cap.ts';
import { toMediaInfo } from './probe-media.ts';

describe('memory cap on children', () => {
  it('kills a child the first time its resident memory passes the cap, and leaves a small one alone', async () => {
    // Touches 400 MiB, then idles: the watchdog must stop it long before it would exit.
    const hog = spawn(process.execPath, ['-e', 'const b = Buffer.alloc(400 * 2 ** 20, 1); setTimeout(() => b.length, 20000)']);
    const cap = capChildMemory(hog, 150 * 2 ** 20, 20);
    const t = Date.now();
    const [, sig] = await once(hog, 'exit');
    assert.equal(sig, 'SIGKILL');
    assert.ok(cap.exceededBytes! > 150 * 2 ** 20, `exceeded at ${cap.exceededBytes}`);
    assert.ok(Date.now() - t < 10_000);

    const small = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 300)']);
    const ok = capChildMemory(small, 512 * 2 ** 20, 20);
    const [code] = await once(small, 'exit');
    assert.equal(code, 0);
    assert.equal(ok.exceededBytes, undefined);
  });
});

describe('probe limits on what a file claims', () => {
  const probe = (v: Record<string, unknown>, container = 'matroska,webm') =>
    () => toMediaInfo('/x', { format: { format_name: container, duration: '39600' }, streams: [{ codec_type: 'video', codec_name: 'h264', ...v }] }, '/tracks/0/clips/0/asset/src');

  it('refuses a frame over 64 megapixels, and a picture the decoder would not size', () => {
    assert.throws(probe({ width: 9000, height: 9000, avg_frame_rate: '25/1' }), { code: 'MONTAGE_E_ASSET_UNSUPPORTED', message: /9000×9000/ });
    assert.throws(probe({ width: 0, height: 0 }, 'png_pipe'), { code: 'MONTAGE_E_ASSET_UNSUPPORTED', message: /64 megapixels/ });
    assert.equal(toMediaInfo('/x', { format: { format_name: 'jpeg_pipe' }, streams: [{ codec_type: 'video', codec_name: 'mjpeg', width: 8064, height: 6048 }] }, '/p').video?.width, 8064);
  });

  it('refuses a video with less than a frame every 10 s, not a still', () => {
    assert.throws(probe({ width: 64, height: 64, avg_frame_rate: '1/3600', r_frame_rate: '1/1' }), { code: 'MONTAGE_E_ASSET_UNSUPPORTED', message: /every 3600 s/ });
    assert.equal(probe({ width: 64, height: 64, avg_frame_rate: '1/5' })().video?.fps, 0.2);
  });
});
