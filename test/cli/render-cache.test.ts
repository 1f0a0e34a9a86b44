/**
 * `montage render --cache DIR` (issue 17): the real executable, real ffmpeg, real files. A second
 * render reuses every piece its change does not touch, decodes to exactly the frames and sound of
 * a cold render, and reuses nothing when the input bytes, the quality, the ffmpeg version string
 * or the tenant differ; a missing or corrupt cached piece is rendered again.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ffmpeg } from '../support/ffmpeg-tools.ts';
import { FFMPEG, FFPROBE } from '../support/ffmpeg-tools.ts';
import { runMontage } from '../support/run-montage.ts';
import { createRenderEngine } from '../../src/render/engine.ts';
import { openCliPieceCache } from '../../src/cli/cli-piece-cache.ts';

let dir = '';
const bgVideo = (pattern: string) => ffmpeg('-f', 'lavfi', '-i', `${pattern}=s=320x180:r=10:d=6`, '-f', 'lavfi', '-i', 'sine=f=440:d=6',
  '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', join(dir, 'bg.mp4'));

/** 6 s at 10 fps: three 2 s pieces; the name shows in 2–4 s only (the second piece). */
const composition = (quality = 'draft') => ({
  output: { width: 320, height: 180, fps: 10, quality },
  merge: { name: 'Ada' },
  tracks: [
    { clips: [{ asset: { type: 'video', src: 'bg.mp4', volume: 0.5 }, start: 0, length: 6 }] },
    { clips: [{ asset: { type: 'text', text: 'Hello {{name}}', font: { size: 30, color: '#ffff00' } }, start: 2, length: 2 }] },
  ],
});

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'montage-cli-cache-'));
  await bgVideo('testsrc2');
  writeFileSync(join(dir, 'c.json'), JSON.stringify(composition()));
  writeFileSync(join(dir, 'c-low.json'), JSON.stringify(composition('low')));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const render = async (out: string, opts: { cache?: string; name?: string; file?: string; pieceSeconds?: string; env?: Record<string, string> } = {}) => {
  const seconds = opts.pieceSeconds ?? '2';
  const args = ['render', opts.file ?? 'c.json', '-o', out, '--json', ...(opts.name ? ['--merge', `name=${opts.name}`] : []),
    ...(opts.cache ? ['--cache', opts.cache, '--piece-seconds', seconds] : [])];
  const r = await runMontage(args, { cwd: dir, env: opts.env });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const done = r.stdout.trim().split('\n').map((l) => JSON.parse(l)).find((m) => m.type === 'done');
  return { path: join(dir, out), pieces: done.pieces as { total: number; reused: number; bytesReused: number; audioReused: boolean } | undefined };
};

/** The decoded frames (and sound) as per-frame MD5s: equal lists mean identical pictures. */
const md5s = async (file: string, stream: 'v' | 'a') =>
  (await ffmpeg('-i', file, '-map', `0:${stream}`, ...(stream === 'a' ? ['-ac', '1', '-ar', '48000'] : ['-pix_fmt', 'yuv420p']), '-f', 'framemd5', '-'))
    .toString().split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',').pop()!.trim());

const sameAs = async (a: string, b: string) => {
  const [va, vb] = [await md5s(a, 'v'), await md5s(b, 'v')];
  assert.equal(va.length, 60);
  assert.deepEqual(vb, va, 'the same decoded frames');
  assert.deepEqual(await md5s(b, 'a'), await md5s(a, 'a'), 'the same decoded sound');
};

test('a changed name re-renders only the piece that shows it, and the result is a cold render, frame for frame', async () => {
  const cache = join(dir, 'cache-a');
  const first = await render('ada.mp4', { cache });
  assert.deepEqual([first.pieces?.total, first.pieces?.reused], [3, 0]);
  const stored = join(cache, 'piece-cache', 'cli');
  const videoPieces = () => readdirSync(stored).filter((f) => f.endsWith('.mp4')).sort();
  const adaPieces = videoPieces();
  assert.equal(readdirSync(stored).filter((f) => f.endsWith('.m4a')).length, 1, 'and the audio, under its own key');
  const again = await render('ada-again.mp4', { cache });
  assert.deepEqual([again.pieces?.total, again.pieces?.reused], [3, 3], 'the same render again reuses every piece');
  const storedBytes = readdirSync(stored).reduce((a, f) => a + statSync(join(stored, f)).size, 0);
  assert.equal(again.pieces!.bytesReused, storedBytes, 'every stored byte (three pieces and the audio) was reused');
  const grace = await render('grace.mp4', { cache, name: 'Grace' });
  assert.deepEqual([grace.pieces?.total, grace.pieces?.reused], [3, 2], 'only the 2–4 s piece is rendered');
  assert.deepEqual([first.pieces?.audioReused, again.pieces?.audioReused, grace.pieces?.audioReused], [false, true, true], 'the title is silent: the audio is mixed once');

  const cold = await render('grace-cold.mp4', { name: 'Grace' });
  assert.equal(cold.pieces, undefined, 'no cache, no pieces');
  const coldCached = await render('grace-cold-cached.mp4', { name: 'Grace', cache: join(dir, 'cache-empty') });
  assert.deepEqual([coldCached.pieces?.total, coldCached.pieces?.reused], [3, 0]);
  await sameAs(coldCached.path, grace.path);
  // The cold render made its three pieces beside each other, the re-render Grace's piece alone:
  // the same key, and byte for byte the same file (a piece made in a run of pieces against one
  // made alone: the test of keyframed motion below).
  const gracePiece = videoPieces().filter((f) => !adaPieces.includes(f));
  assert.equal(gracePiece.length, 1);
  assert.ok(readFileSync(join(stored, gracePiece[0])).equals(readFileSync(join(dir, 'cache-empty', 'piece-cache', 'cli', gracePiece[0]))),
    'a piece of a cold render is the piece re-rendered alone');
  // The name really is in the middle piece: Ada's and Grace's renders differ there and only there.
  const [va, vg] = [await md5s(first.path, 'v'), await md5s(grace.path, 'v')];
  const differing = va.flatMap((m, i) => (m !== vg[i] ? [i] : []));
  assert.ok(differing.length > 0 && differing.every((i) => i >= 20 && i < 40), `frames that differ: ${differing.join(',')}`);

  // A missing piece and a corrupt piece are rendered again, never joined; a corrupt audio is mixed again.
  assert.equal(videoPieces().length, 4, 'three pieces of Ada, one of Grace');
  unlinkSync(join(stored, adaPieces[0]));
  writeFileSync(join(stored, adaPieces[1]), 'not a piece');
  writeFileSync(join(stored, readdirSync(stored).find((f) => f.endsWith('.m4a'))!), 'not a sound');
  const repaired = await render('ada-repaired.mp4', { cache });
  assert.ok(repaired.pieces!.reused <= 1 && repaired.pieces!.reused >= 1, `reused ${repaired.pieces!.reused}`);
  assert.equal(repaired.pieces!.audioReused, false, 'the corrupt audio is not joined');
  await sameAs(first.path, repaired.path);
});

test('a grid cut moves to the keyframe where a title starts, so a new name re-renders the title\'s time only', async () => {
  // 4 s pieces over 6 s: the grid alone cuts at 4 s, and a title at 2–6 s would re-render both
  // pieces. Its start at 2 s is a keyframe (every 2 s) half a step from the cut, which moves there.
  const titled = composition();
  titled.tracks[1].clips[0].length = 4;
  writeFileSync(join(dir, 'c-edges.json'), JSON.stringify(titled));
  const cache = join(dir, 'cache-edges');
  const first = await render('edges-ada.mp4', { cache, file: 'c-edges.json', pieceSeconds: '4' });
  assert.deepEqual([first.pieces?.total, first.pieces?.reused], [2, 0]);
  const grace = await render('edges-grace.mp4', { cache, file: 'c-edges.json', name: 'Grace', pieceSeconds: '4' });
  assert.deepEqual([grace.pieces?.total, grace.pieces?.reused], [2, 1], 'the 0–2 s piece is reused, the title\'s 2–6 s rendered');
  const [va, vg] = [await md5s(first.path, 'v'), await md5s(grace.path, 'v')];
  const differing = va.flatMap((m, i) => (m !== vg[i] ? [i] : []));
  assert.ok(differing.length > 0 && differing.every((i) => i >= 20), `frames that differ: ${differing.join(',')}`);
  await sameAs((await render('edges-grace-cold.mp4', { file: 'c-edges.json', name: 'Grace', cache: join(dir, 'cache-edges-cold'), pieceSeconds: '4' })).path, grace.path);
});

test('nothing is reused for another quality, another ffmpeg version string or another tenant', async () => {
  const cache = join(dir, 'cache-b');
  assert.equal((await render('b1.mp4', { cache })).pieces?.reused, 0);
  assert.equal((await render('b-low.mp4', { cache, file: 'c-low.json' })).pieces?.reused, 0, 'quality low, not draft');

  const engineAs = (ffmpegVersion?: string) => createRenderEngine({ ffmpegPath: FFMPEG, ffprobePath: FFPROBE, ...(ffmpegVersion ? { ffmpegVersion } : {}) });
  const viaEngine = async (ffmpegVersion: string | undefined, tenant: string, out: string) => {
    const engine = engineAs(ffmpegVersion);
    const { composition: c } = engine.validate(composition());
    const opened = openCliPieceCache(cache);
    const workDir = mkdtempSync(join(dir, 'work-'));
    try {
      const r = await engine.render({ composition: c, workDir, outputPath: join(dir, out), resolveSrc: async (src) => join(dir, src), pieceCache: { cache: opened.cache, tenant, pieceSeconds: 2 } });
      return r.pieces!;
    } finally { opened.close(); rmSync(workDir, { recursive: true, force: true }); }
  };
  assert.equal((await viaEngine(undefined, 'cli', 'e1.mp4')).reused, 3, 'the engine in-process reuses what the CLI rendered');
  assert.equal((await viaEngine('ffmpeg version 9.9-test', 'cli', 'e2.mp4')).reused, 0, 'another ffmpeg version string');
  assert.equal((await viaEngine(undefined, 'ten_other', 'e3.mp4')).reused, 0, 'another tenant');
});

test('a changed input file under the same name is not reused', async () => {
  const cache = join(dir, 'cache-c');
  assert.equal((await render('c1.mp4', { cache })).pieces?.reused, 0);
  assert.equal((await render('c2.mp4', { cache })).pieces?.reused, 3);
  await bgVideo('testsrc');
  const changed = await render('c3.mp4', { cache });
  assert.equal(changed.pieces?.reused, 0, 'every piece shows bg.mp4, whose bytes changed');
  assert.equal(changed.pieces?.audioReused, false, 'and its sound is mixed again');
  await sameAs(changed.path, (await render('c3-cold.mp4', { cache: join(dir, 'cache-c-cold') })).path);
});

test('a render again over the cache runs no ffprobe for inputs it met unchanged; a changed input is probed again', async () => {
  // ffprobe through a wrapper that logs what it was asked to read (the memo is kept per ffprobe binary: the same wrapper throughout).
  const log = join(dir, 'ffprobe.log');
  const wrapper = join(dir, 'ffprobe-logged');
  writeFileSync(wrapper, `#!/bin/sh\nfor a; do last="$a"; done\necho "$last" >> '${log}'\nexec '${FFPROBE}' "$@"\n`, { mode: 0o755 });
  const env = { MONTAGE_FFPROBE: wrapper };
  const settled = { ...composition(), tracks: [{ clips: [{ ...composition().tracks[0].clips[0], asset: { type: 'video', src: 'settled.mp4', volume: 0.5 } }] }, composition().tracks[1]] };
  writeFileSync(join(dir, 'c-settled.json'), JSON.stringify(settled));
  copyFileSync(join(dir, 'bg.mp4'), join(dir, 'settled.mp4'));
  // Facts are kept only for files left alone for a second (a write in the same clock tick as the stat could go unseen).
  await new Promise((r) => setTimeout(r, 1100));
  const cache = join(dir, 'cache-memo');
  const probed = () => { try { return readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split('/').pop()); } catch { return []; } };
  const first = await render('memo-1.mp4', { cache, file: 'c-settled.json', env });
  assert.deepEqual(first.pieces?.reused, 0);
  assert.ok(probed().includes('settled.mp4'), `probed: ${probed().join(' ')}`);
  unlinkSync(log);
  const second = await render('memo-2.mp4', { cache, file: 'c-settled.json', name: 'Grace', env });
  assert.deepEqual([second.pieces?.total, second.pieces?.reused], [3, 2]);
  assert.deepEqual(probed(), [], 'neither the probe nor the keyframe list of settled.mp4 was read again');
  // Against a cold render into an empty cache (pieces encoded apart, as these were).
  await sameAs((await render('memo-2-cold.mp4', { file: 'c-settled.json', name: 'Grace', cache: join(dir, 'cache-memo-cold2') })).path, second.path);
  // Rewritten in place: probed and hashed again, nothing reused.
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc=s=320x180:r=10:d=6', '-f', 'lavfi', '-i', 'sine=f=330:d=6', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', join(dir, 'settled.mp4'));
  const third = await render('memo-3.mp4', { cache, file: 'c-settled.json', name: 'Grace', env });
  assert.equal(third.pieces?.reused, 0, 'every piece shows settled.mp4, whose bytes changed');
  assert.ok(probed().includes('settled.mp4'));
  await sameAs((await render('memo-3-cold.mp4', { file: 'c-settled.json', name: 'Grace', cache: join(dir, 'cache-memo-cold3') })).path, third.path);
  assert.ok(JSON.parse(readFileSync(join(cache, 'inputs.json'), 'utf8')).entries.length >= 1, 'kept in DIR/inputs.json');
});

test('a changed font file under the same name re-renders the pieces that show its text, and only those', async () => {
  const fonts = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  const withFont = { ...composition(), fonts: [{ family: 'Brand', src: 'brand.ttf' }] };
  withFont.tracks[1].clips[0].asset = { type: 'text', text: 'Hello {{name}}', font: { size: 30, color: '#ffff00', family: 'Brand' } } as never;
  writeFileSync(join(dir, 'c-font.json'), JSON.stringify(withFont));
  const cache = join(dir, 'cache-font');
  copyFileSync(join(fonts, 'DejaVuSans.ttf'), join(dir, 'brand.ttf'));
  const sans = await render('font-sans.mp4', { cache, file: 'c-font.json' });
  assert.equal(sans.pieces?.reused, 0);
  assert.equal((await render('font-sans-again.mp4', { cache, file: 'c-font.json' })).pieces?.reused, 3);
  copyFileSync(join(fonts, 'DejaVuSerif.ttf'), join(dir, 'brand.ttf'));
  const serif = await render('font-serif.mp4', { cache, file: 'c-font.json' });
  assert.deepEqual([serif.pieces?.total, serif.pieces?.reused], [3, 2], 'only the 2–4 s piece, which shows the text, is rendered again');
  const [vs, vf] = [await md5s(sans.path, 'v'), await md5s(serif.path, 'v')];
  const differing = vs.flatMap((m, i) => (m !== vf[i] ? [i] : []));
  assert.ok(differing.length > 0 && differing.every((i) => i >= 20 && i < 40), `frames that differ: ${differing.join(',')}`);
  await sameAs((await render('font-serif-cold.mp4', { file: 'c-font.json', cache: join(dir, 'cache-font-cold') })).path, serif.path);
});

test('keyframed motion that comes to rest: each piece made in a run of pieces is byte for byte the piece made alone', async () => {
  // A title that grows from half size over its first second, then rests (ref-b's title): the
  // resting part's pieces were drawn from the half-size picture in a run that began with the
  // motion, and sharp when the piece was made alone, so one key held two pictures.
  const moving = {
    output: { width: 320, height: 180, fps: 10, quality: 'draft' },
    tracks: [
      { clips: [{ asset: { type: 'video', src: 'bg.mp4' }, start: 0, length: 6 }] },
      { clips: [{ asset: { type: 'text', text: 'Rest', font: { size: 40, color: '#ffcc00' }, stroke: { color: '#000000', width: 2 } }, start: 0.5, length: 5.5,
        keyframes: { scale: [{ time: 0, value: 0.5, easing: 'easeOut' }, { time: 1, value: 1 }], x: [{ time: 0, value: -0.1 }, { time: 0.8, value: 0.05 }] } }] },
    ],
  };
  const engine = createRenderEngine({ ffmpegPath: FFMPEG, ffprobePath: FFPROBE });
  const { composition: c } = engine.validate(moving);
  const piecesWith = async (name: string, piecesPerProcess: number) => {
    const cache = join(dir, name);
    const opened = openCliPieceCache(cache);
    const workDir = mkdtempSync(join(dir, 'work-'));
    try {
      await engine.render({ composition: c, workDir, outputPath: join(dir, `${name}.mp4`), resolveSrc: async (src) => join(dir, src), pieceCache: { cache: opened.cache, tenant: 'cli', pieceSeconds: 2, piecesPerProcess } });
    } finally { opened.close(); rmSync(workDir, { recursive: true, force: true }); }
    const stored = join(cache, 'piece-cache', 'cli');
    return new Map(readdirSync(stored).filter((f) => f.endsWith('.mp4')).map((f) => [f, readFileSync(join(stored, f))]));
  };
  const [inRun, alone] = [await piecesWith('cache-run', 3), await piecesWith('cache-alone', 1)];
  assert.equal(inRun.size, 3);
  assert.deepEqual([...alone.keys()].sort(), [...inRun.keys()].sort(), 'the same keys');
  for (const [key, bytes] of inRun) assert.ok(bytes.equals(alone.get(key)!), `piece ${key}: the same bytes in a run and alone`);
});

test('--cache naming a place that cannot hold files: exit 2 naming --cache and why, before rendering', async () => {
  writeFileSync(join(dir, 'a-file'), 'x');
  for (const cache of ['a-file', join('a-file', 'below')]) {
    const r = await runMontage(['render', 'c.json', '-o', 'never.mp4', '--cache', cache], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`--cache \\S*${cache}: it is a file, not a folder\\. Give --cache a folder you can write\\.`));
    assert.doesNotMatch(r.stderr, /EEXIST: file already exists|ENOTDIR|ConnectionFailed/);
    assert.ok(!readdirSync(dir).includes('never.mp4'));
  }
});
