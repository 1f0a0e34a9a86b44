/**
 * `montage render --cache DIR` with animated text and word captions: their pictures are drawn
 * afresh into each render's own work folder, so a piece key that held those folders' paths
 * (instead of the pictures' bytes) never matched again and a second render reused nothing. The
 * second render must reuse every piece and decode to exactly the frames of the first.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffmpeg } from '../support/ffmpeg-tools.ts';
import { runMontage } from '../support/run-montage.ts';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'montage-cli-cache-anim-'));
  writeFileSync(join(dir, 'c.json'), JSON.stringify({
    output: { width: 180, height: 320, fps: 10, quality: 'draft', duration: 6 },
    tracks: [
      { clips: [{ asset: { type: 'color', color: '#203040' }, start: 0, length: 6 }] },
      { clips: [{ asset: { type: 'text', text: 'Hello there', font: { size: 24 }, animation: { in: { style: 'slideUp', by: 'letter', duration: 1.5 }, out: { style: 'fade' } } }, start: 0.5, length: 5, position: 'top' }] },
      { clips: [{ asset: { type: 'captions', font: { size: 18 }, highlight: { style: 'karaoke' }, words: [
        { text: 'one', start: 0.2, end: 1.1 }, { text: 'two', start: 1.1, end: 2.3 }, { text: 'three', start: 2.3, end: 3.9 }, { text: 'four', start: 3.9, end: 5.5 },
      ] }, start: 0, length: 6 }] },
    ],
  }));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const render = async (out: string) => {
  const r = await runMontage(['render', 'c.json', '-o', out, '--json', '--cache', 'cache', '--piece-seconds', '2'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const done = r.stdout.trim().split('\n').map((l) => JSON.parse(l)).find((m) => m.type === 'done');
  return { path: join(dir, out), pieces: done.pieces as { total: number; reused: number } };
};

const md5s = async (file: string) =>
  (await ffmpeg('-i', file, '-map', '0:v', '-pix_fmt', 'yuv420p', '-f', 'framemd5', '-'))
    .toString().split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',').pop()!.trim());

test('a second cached render of animated text and captions reuses every piece and gives the same frames', async () => {
  const first = await render('a.mp4');
  assert.equal(first.pieces.total, 3);
  assert.equal(first.pieces.reused, 0);
  const second = await render('b.mp4');
  assert.deepEqual(second.pieces, { ...second.pieces, total: 3, reused: 3 }, 'every piece comes from the cache');
  const [a, b] = [await md5s(first.path), await md5s(second.path)];
  assert.equal(a.length, 60);
  assert.ok(new Set(a).size > 10, 'the text moves and the captions change');
  assert.deepEqual(b, a, 'the same decoded frames');
});
