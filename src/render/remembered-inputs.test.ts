/**
 * remembered-inputs.ts: a file met again unchanged is answered from the memo (no probe, no keyframe
 * read, no hash); a file rewritten in place, one just written, one in the render's own folder, or
 * the same file under another ffprobe or engine version is read again. The rendered proof is
 * test/cli/render-cache.test.ts ("ffprobe runs only for inputs that changed").
 */
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MediaInfo } from '../assets/media-info.ts';
import type { InputFacts, InputMemo } from '../ports/input-memo.ts';
import { rememberInputs } from './remembered-inputs.ts';

const memory = (): InputMemo & { size: () => number } => {
  const m = new Map<string, InputFacts>();
  return {
    get: (id) => m.get(id),
    put: (id, f) => m.set(id, { ...m.get(id), ...f }),
    size: () => m.size,
  };
};

interface Rig {
  readonly dir: string;
  readonly work: string;
  /** The input file (a.mp4), and the render's own folder's file (work/drawn.png). */
  readonly path: string;
  readonly memo: ReturnType<typeof memory>;
  readonly c: ReturnType<typeof counting>;
  /** A new render's view of the memo (engine 1, `ffprobe`, files kept at once unless `settledMs` says). */
  readonly r: (o?: { engineVersion?: string; ffprobePath?: string; settledMs?: number }) => ReturnType<typeof rememberInputs>;
}

/** Runs `body` over a folder holding a.mp4 and the render's own folder, removed after. */
const withRig = async (body: (rig: Rig) => Promise<void>) => {
  const dir = mkdtempSync(join(tmpdir(), 'montage-remembered-'));
  const work = join(dir, 'work');
  mkdirSync(work);
  writeFileSync(join(dir, 'a.mp4'), 'first bytes');
  writeFileSync(join(work, 'drawn.png'), 'drawn');
  const memo = memory();
  try {
    await body({ dir, work, path: join(dir, 'a.mp4'), memo, c: counting(), r: (o = {}) => rememberInputs(memo, { engineVersion: '1', ffprobePath: 'ffprobe', workDir: work, settledMs: 0, ...o }) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** A probe that counts its runs and answers the file's bytes as its "codec". */
const counting = () => {
  let runs = 0;
  return {
    runs: () => runs,
    probe: (path: string) => async (): Promise<MediaInfo> => { runs++; return { path, container: 'mov', video: { codec: readFileSync(path, 'utf8'), width: 2, height: 2, still: false, hasAlpha: false } }; },
    keyframes: (list: number[]) => async () => { runs++; return list; },
    hash: async (path: string) => { runs++; return sha(readFileSync(path, 'utf8')); },
  };
};

test('an unchanged file is answered from the memo: probe, keyframes within spans read before, hash', () => withRig(async ({ path, c, r }) => {
  for (let i = 0; i < 2; i++) {
    assert.equal((await r().probe(path, c.probe(path))).video?.codec, 'first bytes');
    assert.deepEqual(await r().readKeyframes(c.keyframes([0, 2, 4]))(path, [{ from: 0, to: 4 }]), [0, 2, 4]);
    assert.equal(await r().hashFile(c.hash)(path), sha('first bytes'));
  }
  assert.equal(c.runs(), 3, 'each read once');
  assert.deepEqual(await r().readKeyframes(c.keyframes([]))(path, [{ from: 1, to: 3 }, { from: 0.5, to: 4 }]), [0, 2, 4], 'spans within one read');
  assert.equal(c.runs(), 3);
  assert.deepEqual(await r().readKeyframes(c.keyframes([4, 6]))(path, [{ from: 1, to: 3 }, { from: 5, to: 7 }]), [4, 6], 'a span outside: read');
  assert.equal(c.runs(), 4);
  assert.deepEqual(await r().readKeyframes(c.keyframes([]))(path, [{ from: 5, to: 6 }, { from: 1, to: 2 }]), [0, 2, 4, 6], 'both reads kept, the lists merged');
  assert.deepEqual(await r().readKeyframes(c.keyframes([4, 6, 8]))(path, [{ from: 5 }]), [4, 6, 8], 'to the end: not within a read that ends');
  assert.equal(c.runs(), 5);
  assert.deepEqual(await r().readKeyframes(c.keyframes([]))(path, [{ from: 6 }, { from: 7, to: 9 }]), [0, 2, 4, 6, 8]);
  assert.equal(c.runs(), 5);
}));

test('a file rewritten in place with as many bytes is read again', () => withRig(async ({ path, c, r }) => {
  await r().probe(path, c.probe(path));
  await r().hashFile(c.hash)(path);
  writeFileSync(path, 'other bytes');
  assert.equal((await r().probe(path, c.probe(path))).video?.codec, 'other bytes');
  assert.equal(await r().hashFile(c.hash)(path), sha('other bytes'));
  assert.equal(c.runs(), 4);
}));

test('nothing is kept for a file just written, a file in the render\'s folder, or a missing one', () => withRig(async ({ dir, work, path, memo, c, r }) => {
  await r({ settledMs: 1000 }).probe(path, c.probe(path));
  assert.equal(memo.size(), 0, 'written under a second ago: a write in the same clock tick could go unseen');
  await r().probe(join(work, 'drawn.png'), c.probe(join(work, 'drawn.png')));
  await assert.rejects(r().hashFile(async () => { throw new Error('no file'); })(join(dir, 'missing')), /no file/);
  assert.equal(memo.size(), 0);
}));

test('another engine version or another ffprobe never meets the facts', () => withRig(async ({ path, c, r }) => {
  const runs: number[] = [];
  for (const [engineVersion, ffprobePath] of [['1', 'ffprobe'], ['2', 'ffprobe'], ['1', '/bin/true'], ['1', 'ffprobe']]) {
    await r({ engineVersion, ffprobePath }).probe(path, c.probe(path));
    runs.push(c.runs());
  }
  assert.deepEqual(runs, [1, 2, 3, 3]);
}));

test('facts of the wrong shape (a damaged memo) are read again, never used', () => withRig(async ({ work, path, c }) => {
  const damaged: InputFacts = { media: { path: '/elsewhere.mp4', container: 'mov' } as MediaInfo, sha256: 'not hex', keyframes: { spans: [[0, 'x' as never]], at: [0] } };
  const r = rememberInputs({ get: () => damaged, put: () => {} }, { engineVersion: '1', ffprobePath: 'ffprobe', workDir: work, settledMs: 0 });
  assert.equal((await r.probe(path, c.probe(path))).path, path);
  assert.equal(await r.hashFile(c.hash)(path), sha('first bytes'));
  assert.deepEqual(await r.readKeyframes(c.keyframes([0, 2]))(path, [{ from: 0, to: 1 }]), [0, 2]);
  assert.equal(c.runs(), 3);
}));
