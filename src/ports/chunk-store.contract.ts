/** The contract every ChunkStore adapter must honour (see chunk-store.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withHarness, type ContractHarness } from './contract-harness.ts';
import { AUDIO_PIECE, type ChunkStore, type NewPiece } from './chunk-store.ts';

const PIECES: NewPiece[] = [
  { piece: '0', start: 0, length: 30, frames: 900 },
  { piece: '1', start: 30, length: 30, frames: 900 },
  { piece: AUDIO_PIECE, start: 0, length: 60, frames: 200 },
];

export function chunkStoreContract(name: string, make: () => Promise<ContractHarness<ChunkStore>>): void {
  const t = (fn: (s: ChunkStore) => Promise<void>) => withHarness(make, fn);

  describe(`ChunkStore contract: ${name}`, () => {
    it('records a plan in order, visible to its tenant only', t(async (s) => {
      const plan = await s.createPlan('t1', 'r1', PIECES);
      assert.deepEqual(plan.pieces.map((p) => [p.piece, p.start, p.length, p.frames, p.done, p.progress, p.key]), [
        ['0', 0, 30, 900, false, 0, null], ['1', 30, 30, 900, false, 0, null], ['audio', 0, 60, 200, false, 0, null],
      ]);
      assert.deepEqual(await s.get('t1', 'r1'), plan);
      assert.equal(await s.get('t2', 'r1'), null);
      assert.equal(await s.setProgress('t2', 'r1', '0', 0.5), null);
      assert.equal(await s.complete('t2', 'r1', '0', 'k'), null);
      assert.equal(await s.remove('t2', 'r1'), false);
    }));

    it('keeps an existing plan when planned again, so finished pieces stay finished', t(async (s) => {
      await s.createPlan('t1', 'r1', PIECES);
      await s.complete('t1', 'r1', '1', 'parts/1.mp4');
      const again = await s.createPlan('t1', 'r1', PIECES.slice(0, 1));
      assert.equal(again.pieces.length, 3);
      assert.equal(again.pieces[1].done, true);
      assert.equal(again.pieces[1].key, 'parts/1.mp4');
    }));

    it('aggregates progress weighted by frames, and never lowers a piece', t(async (s) => {
      await s.createPlan('t1', 'r1', PIECES);
      assert.equal(await s.setProgress('t1', 'r1', '0', 0.5), 450 / 2000);
      assert.equal(await s.setProgress('t1', 'r1', '0', 0.2), 450 / 2000);
      assert.equal(await s.setProgress('t1', 'r1', AUDIO_PIECE, 1), 650 / 2000);
      assert.equal(await s.setProgress('t1', 'r1', '9', 1), null);
      assert.equal((await s.get('t1', 'r1'))!.pieces[0].progress, 0.5);
    }));

    it('counts down the pieces left; completing twice is harmless', t(async (s) => {
      await s.createPlan('t1', 'r1', PIECES);
      assert.equal(await s.complete('t1', 'r1', '0', 'a'), 2);
      assert.equal(await s.complete('t1', 'r1', '0', 'a'), 2);
      assert.equal(await s.complete('t1', 'r1', AUDIO_PIECE, 'c'), 1);
      assert.equal(await s.complete('t1', 'r1', '1', 'b'), 0);
      const plan = (await s.get('t1', 'r1'))!;
      assert.deepEqual(plan.pieces.map((p) => [p.done, p.progress, p.key]), [[true, 1, 'a'], [true, 1, 'b'], [true, 1, 'c']]);
      assert.equal(await s.complete('t1', 'r1', 'nope', 'x'), null);
      assert.deepEqual(plan.pieces.map((p) => p.reused), [null, null, null], 'no piece cache: reused stays null');
    }));

    it('records whether each piece was reused from the piece cache; the first completion wins', t(async (s) => {
      await s.createPlan('t1', 'r1', PIECES);
      assert.deepEqual((await s.get('t1', 'r1'))!.pieces.map((p) => p.reused), [null, null, null]);
      await s.complete('t1', 'r1', '0', 'a', true);
      await s.complete('t1', 'r1', '1', 'b', false);
      await s.complete('t1', 'r1', '1', 'b2', true); // a late second completion changes nothing
      await s.complete('t1', 'r1', AUDIO_PIECE, 'c');
      assert.deepEqual((await s.get('t1', 'r1'))!.pieces.map((p) => [p.piece, p.key, p.reused]), [['0', 'a', true], ['1', 'b', false], ['audio', 'c', null]]);
    }));

    it('removes a plan', t(async (s) => {
      await s.createPlan('t1', 'r1', PIECES);
      await s.createPlan('t1', 'r2', PIECES);
      assert.equal(await s.remove('t1', 'r1'), true);
      assert.equal(await s.get('t1', 'r1'), null);
      assert.equal(await s.remove('t1', 'r1'), false);
      assert.notEqual(await s.get('t1', 'r2'), null);
    }));

    it('lists the plans of every tenant once each, up to the limit', t(async (s) => {
      await s.createPlan('t1', 'r1', PIECES);
      await s.createPlan('t2', 'r2', PIECES);
      assert.deepEqual(await s.listPlans(10), [{ tenant: 't1', renderId: 'r1' }, { tenant: 't2', renderId: 'r2' }]);
      assert.equal((await s.listPlans(1)).length, 1);
      await s.remove('t1', 'r1');
      assert.deepEqual(await s.listPlans(10), [{ tenant: 't2', renderId: 'r2' }]);
    }));
  });
}
