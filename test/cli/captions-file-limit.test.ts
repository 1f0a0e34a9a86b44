/**
 * `montage render` of a captions clip whose SRT holds more cues than a clip may have inline: it
 * stops at once naming the field, where it used to rasterize every cue (a 5 MiB SRT of 130 000
 * one-millisecond cues kept it busy for minutes).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMontage } from '../support/run-montage.ts';

let dir = '';
before(() => { dir = mkdtempSync(join(tmpdir(), 'montage-cli-captions-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

const stamp = (ms: number) => `00:00:${String(Math.floor(ms / 1000)).padStart(2, '0')},${String(ms % 1000).padStart(3, '0')}`;

test('an SRT of 5001 cues: exit 2 within seconds, naming /tracks/0/clips/0/asset/src and the 5000 limit, no output', async () => {
  writeFileSync(join(dir, 'many.srt'), Array.from({ length: 5001 }, (_, i) => `${i + 1}\n${stamp(i)} --> ${stamp(i + 1)}\nw\n`).join('\n'));
  writeFileSync(join(dir, 'c.json'), JSON.stringify({
    output: { width: 320, height: 180, fps: 10 },
    tracks: [{ clips: [{ asset: { type: 'captions', src: 'many.srt' }, start: 0, length: 6 }] }],
  }));
  const started = Date.now();
  const r = await runMontage(['render', 'c.json', '-o', 'c.mp4'], { cwd: dir });
  assert.notEqual(r.code, 0, r.stdout);
  assert.match(r.stderr, /\/tracks\/0\/clips\/0\/asset\/src: has 5001 cues, more than 5000: split the captions over several captions clips/);
  assert.match(r.stderr, /MONTAGE_E_LIMIT_EXCEEDED/);
  assert.ok(!existsSync(join(dir, 'c.mp4')), 'no output is written');
  // A bound on wall time, loose: the CLI needs ~2 s of CPU here, but CI runs four files at a time
  // on 2 cores (it took 17.7 and 22.4 s there); what it guards against took minutes.
  assert.ok(Date.now() - started < 60_000, `took ${Date.now() - started} ms`);
});

test('an SRT whose one cue holds a million words: refused naming the cue, where it ended in "Maximum call stack size exceeded"', async () => {
  writeFileSync(join(dir, 'long.srt'), `1\n00:00:00,000 --> 00:00:01,000\n${'word '.repeat(1_000_000)}\n`);
  writeFileSync(join(dir, 'long.json'), JSON.stringify({
    output: { width: 320, height: 180, fps: 10 },
    tracks: [{ clips: [{ asset: { type: 'captions', src: 'long.srt' }, start: 0, length: 1 }] }],
  }));
  const r = await runMontage(['render', 'long.json', '-o', 'long.mp4'], { cwd: dir });
  assert.notEqual(r.code, 0, r.stdout);
  assert.doesNotMatch(r.stderr, /call stack/);
  assert.match(r.stderr, /\/tracks\/0\/clips\/0\/asset\/src: has cue 0 of 4999999 characters, more than 2000: break it into shorter cues/);
  assert.ok(!existsSync(join(dir, 'long.mp4')));
});
