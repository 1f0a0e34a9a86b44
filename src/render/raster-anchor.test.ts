// A text box with a shadow anchors by its box: at topLeft the box, not the shadow's margin, meets
// the corner; at bottomRight likewise. Rendered and sampled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRenderEngine } from './engine.ts';

test('positions anchor a raster’s box, not its shadow margin', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'montage-anchor-'));
  try {
    const engine = createRenderEngine({ ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' });
    const text = (position: string) => ({
      asset: { type: 'text', text: 'Hi', background: '#ff0000', padding: 10, font: { size: 30 }, shadow: { color: '#0000ff', blur: 12, x: 6, y: 6 } },
      start: 0, length: 1, position,
    });
    const { composition } = engine.validate({
      output: { format: 'png', width: 320, height: 180 }, background: '#ffffff',
      tracks: [{ clips: [text('topLeft'), text('bottomRight')] }],
    });
    const out = join(dir, 'a.png');
    await engine.render({ composition, workDir: dir, outputPath: out, resolveSrc: async (s) => s });
    const rgb = execFileSync('ffmpeg', ['-v', 'error', '-i', out, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
    const at = (x: number, y: number) => [...rgb.subarray(3 * (y * 320 + x), 3 * (y * 320 + x) + 3)];
    const red = (p: number[]) => p[0] > 200 && p[1] < 60 && p[2] < 60;
    assert.ok(red(at(1, 1)), `the box starts at the top-left corner: ${at(1, 1)}`);
    // Within the pixel or two that rounding the image to even sides may add on the right and bottom.
    assert.ok(red(at(316, 176)), `the box ends at the bottom-right corner: ${at(316, 176)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
