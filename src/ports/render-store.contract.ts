/**
 * The contract every RenderStore adapter must honour. Adapters' tests call `renderStoreContract`
 * with a factory that makes a fresh, empty store on the real backend.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { withHarness, type ContractHarness } from './contract-harness.ts';
import type { NewRender, RenderStore } from './render-store.ts';


const newRender = (tenant: string, over: Partial<NewRender> = {}): NewRender => ({
  id: `rnd_${randomUUID()}`,
  tenant,
  priority: 'normal',
  composition: { output: { format: 'mp4' }, tracks: [] },
  duration: 4,
  format: 'mp4',
  webhookUrl: null,
  metadata: null,
  ...over,
});

export function renderStoreContract(name: string, make: () => Promise<ContractHarness<RenderStore>>): void {
  const withStore = (fn: (s: RenderStore) => Promise<void>) => withHarness(make, fn);

  describe(`RenderStore contract: ${name}`, () => {
    it('creates a queued render with progress 0 and reads it back with every field', withStore(async (s) => {
      const input = newRender('t1', { metadata: { order: 42 }, webhookUrl: 'https://example.com/hook', priority: 'high' });
      const created = await s.create(input);
      assert.equal(created.status, 'queued');
      assert.equal(created.progress, 0);
      assert.deepEqual(await s.get('t1', input.id), created);
      assert.deepEqual(created.metadata, { order: 42 });
      assert.equal(created.webhookUrl, 'https://example.com/hook');
      assert.equal(created.priority, 'high');
      assert.deepEqual(created.composition, input.composition);
      assert.deepEqual(created.outputs, {});
      assert.equal(created.error, null);
      assert.equal(created.startedAt, null);
      assert.equal(created.pieces, null, 'no piece count until a render that used the piece cache records one');
    }));

    it("hides another tenant's render", withStore(async (s) => {
      const r = await s.create(newRender('t1'));
      assert.equal(await s.get('t2', r.id), null);
      assert.equal(await s.transition('t2', r.id, { from: 'queued', to: 'canceled' }), null);
      assert.equal(await s.setProgress('t2', r.id, 0.5), false);
      assert.equal((await s.get('t1', r.id))?.status, 'queued');
    }));

    it('refuses a duplicate id with a conflict', withStore(async (s) => {
      const input = newRender('t1');
      await s.create(input);
      await assert.rejects(s.create(input), { code: 'MONTAGE_E_CONFLICT' });
    }));

    it('lists newest first, filters by status and pages with an opaque cursor to the end', withStore(async (s) => {
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        const r = await s.create(newRender('t1', { createdAt: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString() }));
        ids.push(r.id);
      }
      await s.create(newRender('t2'));
      // Two rows with the same instant still page deterministically (tie broken by id).
      const same = new Date(Date.UTC(2024, 0, 1, 0, 0, 3)).toISOString();
      ids.push((await s.create(newRender('t1', { createdAt: same }))).id);
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let guard = 0; guard < 10; guard++) {
        const page = await s.list('t1', { limit: 3, cursor });
        seen.push(...page.data.map((r) => r.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      assert.equal(seen.length, 8);
      assert.equal(new Set(seen).size, 8);
      const all = await s.list('t1', { limit: 100 });
      assert.deepEqual(seen, all.data.map((r) => r.id));
      assert.equal(all.data[0]?.id, ids[6]);
      for (let i = 1; i < all.data.length; i++) assert.ok(all.data[i - 1]!.createdAt >= all.data[i]!.createdAt);
      await s.transition('t1', ids[2]!, { from: 'queued', to: 'canceled' });
      const canceled = await s.list('t1', { status: 'canceled', limit: 10 });
      assert.deepEqual(canceled.data.map((r) => r.id), [ids[2]]);
      assert.equal(canceled.nextCursor, null);
      await assert.rejects(s.list('t1', { limit: 3, cursor: 'garbage!' }), { code: 'MONTAGE_E_INVALID_REQUEST' });
    }));

    it('walks the happy path and stamps startedAt, finishedAt, outputs and progress 1', withStore(async (s) => {
      const r = await s.create(newRender('t1'));
      const p = await s.transition('t1', r.id, { from: 'queued', to: 'preparing' });
      assert.ok(p?.startedAt);
      assert.ok(await s.transition('t1', r.id, { from: 'preparing', to: 'rendering' }));
      assert.equal(await s.setProgress('t1', r.id, 0.4), true);
      assert.equal(await s.setProgress('t1', r.id, 0.2), true);
      assert.equal((await s.get('t1', r.id))?.progress, 0.4, 'progress never goes down');
      assert.ok(await s.transition('t1', r.id, { from: 'rendering', to: 'finalizing', progress: 0.9 }));
      const outputs = { video: { key: `renders/t1/${r.id}/video.mp4`, contentType: 'video/mp4', bytes: 1234 } };
      const done = await s.transition('t1', r.id, { from: 'finalizing', to: 'succeeded', outputs });
      assert.equal(done?.status, 'succeeded');
      assert.equal(done?.progress, 1);
      assert.deepEqual(done?.outputs, outputs);
      assert.ok(done?.finishedAt && done.finishedAt >= done.startedAt!);
      assert.equal(await s.setProgress('t1', r.id, 0.5), false, 'a final render takes no progress');
      assert.equal(done?.pieces, null, 'a render that did not use the piece cache has no piece count');
    }));

    it('records the piece count with the final move, and returns it from get and list', withStore(async (s) => {
      const r = await s.create(newRender('t1'));
      await s.transition('t1', r.id, { from: 'queued', to: 'preparing' });
      await s.transition('t1', r.id, { from: 'preparing', to: 'rendering' });
      const fin = await s.transition('t1', r.id, { from: 'rendering', to: 'finalizing' });
      assert.equal(fin?.pieces, null);
      const done = await s.transition('t1', r.id, { from: 'finalizing', to: 'succeeded', pieces: { total: 7, reused: 5 } });
      assert.deepEqual(done?.pieces, { total: 7, reused: 5 });
      assert.deepEqual((await s.get('t1', r.id))?.pieces, { total: 7, reused: 5 });
      assert.deepEqual((await s.list('t1', { limit: 10 })).data.find((x) => x.id === r.id)?.pieces, { total: 7, reused: 5 });
      // None reused is a count (the cache was used), not null.
      const cold = await s.create(newRender('t1'));
      for (const [from, to] of [['queued', 'preparing'], ['preparing', 'rendering'], ['rendering', 'finalizing']] as const) await s.transition('t1', cold.id, { from, to });
      const coldDone = await s.transition('t1', cold.id, { from: 'finalizing', to: 'succeeded', pieces: { total: 3, reused: 0 } });
      assert.deepEqual(coldDone?.pieces, { total: 3, reused: 0 });
    }));

    it('records the duration as rendered with the move to succeeded (an auto length counts nothing at submission)', withStore(async (s) => {
      const r = await s.create({ ...newRender('t1'), duration: 0 });
      for (const [from, to] of [['queued', 'preparing'], ['preparing', 'rendering'], ['rendering', 'finalizing']] as const) await s.transition('t1', r.id, { from, to });
      const done = await s.transition('t1', r.id, { from: 'finalizing', to: 'succeeded', duration: 1.5 });
      assert.equal(done?.duration, 1.5);
      assert.equal((await s.get('t1', r.id))?.duration, 1.5);
      assert.equal((await s.list('t1', { limit: 10 })).data.find((x) => x.id === r.id)?.duration, 1.5);
    }));

    it('records an error on failure and keeps final statuses final', withStore(async (s) => {
      const r = await s.create(newRender('t1'));
      await s.transition('t1', r.id, { from: 'queued', to: 'preparing' });
      const failed = await s.transition('t1', r.id, { from: ['preparing', 'rendering'], to: 'failed', error: { code: 'MONTAGE_E_ASSET_UNREADABLE', message: 'bad file' } });
      assert.deepEqual(failed?.error, { code: 'MONTAGE_E_ASSET_UNREADABLE', message: 'bad file' });
      assert.equal(await s.transition('t1', r.id, { from: ['queued', 'preparing', 'rendering', 'finalizing'], to: 'canceled' }), null);
      assert.equal((await s.get('t1', r.id))?.status, 'failed');
    }));

    it('rejects transitions the state machine forbids', withStore(async (s) => {
      const r = await s.create(newRender('t1'));
      await assert.rejects(s.transition('t1', r.id, { from: 'queued', to: 'succeeded' }), { code: 'MONTAGE_E_INTERNAL' });
      await assert.rejects(s.transition('t1', r.id, { from: 'canceled', to: 'queued' }), { code: 'MONTAGE_E_INTERNAL' });
    }));

    it('lets exactly one of many concurrent claimers win the compare-and-set', withStore(async (s) => {
      const r = await s.create(newRender('t1'));
      const results = await Promise.all(Array.from({ length: 8 }, () => s.transition('t1', r.id, { from: 'queued', to: 'preparing' })));
      assert.equal(results.filter((x) => x !== null).length, 1);
    }));

    it('lists stale renders of every tenant by status, least recently updated first', withStore(async (s) => {
      const at = (sec: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, sec)).toISOString();
      const a = await s.create(newRender('t1', { createdAt: at(2) }));
      const b = await s.create(newRender('t2', { createdAt: at(1) }));
      const fresh = await s.create(newRender('t1'));
      const moved = await s.create(newRender('t1', { createdAt: at(0) }));
      await s.transition('t1', moved.id, { from: 'queued', to: 'preparing' });
      const done = await s.create(newRender('t1', { createdAt: at(0) }));
      await s.transition('t1', done.id, { from: 'queued', to: 'canceled' });
      const before = new Date(Date.now() - 60_000).toISOString();
      const queued = await s.listStale({ statuses: ['queued'], updatedBefore: before, limit: 10 });
      assert.deepEqual(queued.map((r) => r.id), [b.id, a.id]);
      assert.deepEqual((await s.listStale({ statuses: ['queued'], updatedBefore: before, limit: 1 })).map((r) => r.id), [b.id]);
      const now = new Date(Date.now() + 60_000).toISOString();
      const running = await s.listStale({ statuses: ['preparing', 'rendering', 'finalizing'], updatedBefore: now, limit: 10 });
      assert.deepEqual(running.map((r) => r.id), [moved.id]);
      assert.ok((await s.listStale({ statuses: ['queued'], updatedBefore: now, limit: 10 })).some((r) => r.id === fresh.id));
    }));

    it('cancels from any non-final status, and the worker then sees its CAS fail', withStore(async (s) => {
      const r = await s.create(newRender('t1'));
      await s.transition('t1', r.id, { from: 'queued', to: 'preparing' });
      await s.transition('t1', r.id, { from: 'preparing', to: 'rendering' });
      const c = await s.transition('t1', r.id, { from: ['queued', 'preparing', 'rendering', 'finalizing'], to: 'canceled' });
      assert.equal(c?.status, 'canceled');
      assert.equal(await s.transition('t1', r.id, { from: 'rendering', to: 'finalizing' }), null);
    }));
  });
}
