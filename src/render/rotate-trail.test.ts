// Regression: an animated rotation must not leave earlier frames behind. ffmpeg's rotate filter
// with `c=none` does not clear its reused output buffers, so each angle's picture stayed visible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRenderEngine } from './engine.ts';

test('an animated rotation leaves no trail of earlier angles', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'montage-rotate-'));
  try {
    const engine = createRenderEngine({ ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' });
    const { composition } = engine.validate({
      output: { width: 320, height: 180, fps: 10, quality: 'draft' },
      tracks: [{ clips: [{ asset: { type: 'shape', shape: 'rectangle', width: 110, height: 28, fill: '#ff0000', stroke: { color: '#ffffff', width: 3 } },
        start: 0, length: 2, keyframes: { rotate: [{ time: 0, value: -20 }, { time: 1, value: 0 }] } }] }],
    });
    const out = join(dir, 'r.mp4');
    await engine.render({ composition, workDir: dir, outputPath: out, resolveSrc: async (s) => s });
    const luma = (t: number, x: number, y: number) =>
      execFileSync('ffmpeg', ['-v', 'error', '-ss', String(t), '-i', out, '-frames:v', '1', '-vf', `crop=2:2:${x}:${y}`, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'])[0];
    // At 0 s the bar, turned 20° anticlockwise, reaches up to the right of its place…
    assert.ok(luma(0, 200, 72) > 40, 'the turned bar covers (200, 72) at first');
    // …and once level, nothing is left there; the level bar itself is drawn.
    assert.ok(luma(1.5, 200, 72) < 25, `(200, 72) is background at 1.5 s, got luma ${luma(1.5, 200, 72)}`);
    assert.ok(luma(1.5, 160, 90) > 40, 'the level bar is drawn at the centre');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
