/**
 * The transactional outbox contract of a RenderStore and the WebhookOutbox on the same database: a
 * move with `TransitionRequest.webhook` commits the status and the delivery together, or neither.
 * Adapters' tests call it with a factory that makes both stores on one fresh, empty database.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { withHarness, type ContractHarness } from './contract-harness.ts';
import type { NewRender, RenderRecord, RenderStore } from './render-store.ts';
import type { NewDelivery, WebhookOutbox } from './webhook-outbox.ts';

export interface FinalStatusStores {
  readonly renders: RenderStore;
  readonly outbox: WebhookOutbox;
}

const newRender = (tenant: string): NewRender => ({
  id: `rnd_${randomUUID()}`, tenant, priority: 'normal', composition: { tracks: [] }, duration: 1, format: 'mp4',
  webhookUrl: 'https://hooks.example.com/montage', metadata: null,
});

const deliveryOf = (r: RenderRecord): NewDelivery => ({
  id: `msg_${r.id}_${r.status}`, tenant: r.tenant, renderId: r.id, url: r.webhookUrl!, eventType: `render.${r.status}`,
  payload: JSON.stringify({ type: `render.${r.status}`, data: { id: r.id, status: r.status, finishedAt: r.finishedAt } }),
});

export function finalStatusOutboxContract(name: string, make: () => Promise<ContractHarness<FinalStatusStores>>): void {
  const withStores = (fn: (s: FinalStatusStores) => Promise<void>) => withHarness(make, fn);

  describe(`final status + webhook outbox, one transaction: ${name}`, () => {
    it('writes the delivery of the moved record with the final status', withStores(async ({ renders, outbox }) => {
      const r = await renders.create(newRender('t1'));
      await renders.transition('t1', r.id, { from: 'queued', to: 'preparing' });
      const done = await renders.transition('t1', r.id, { from: 'preparing', to: 'failed', error: { code: 'MONTAGE_E_RENDER_FAILED', message: 'x' }, webhook: deliveryOf });
      assert.equal(done?.status, 'failed');
      const [d, ...more] = await outbox.listForRender('t1', r.id);
      assert.deepEqual(more, []);
      assert.equal(d!.id, `msg_${r.id}_failed`);
      assert.equal(d!.status, 'pending');
      assert.equal(JSON.parse(d!.payload).data.finishedAt, done!.finishedAt, 'the payload is built from the moved record');
      // Due now: the dispatcher's next claim takes it.
      assert.deepEqual((await outbox.claimDue(Date.now() + 1_000, 10, 60_000)).map((x) => x.id), [d!.id]);
    }));

    it('writes nothing when the compare-and-set loses, and nothing twice', withStores(async ({ renders, outbox }) => {
      const r = await renders.create(newRender('t1'));
      assert.ok(await renders.transition('t1', r.id, { from: 'queued', to: 'canceled', webhook: deliveryOf }));
      assert.equal(await renders.transition('t1', r.id, { from: 'queued', to: 'canceled', webhook: deliveryOf }), null);
      assert.equal((await outbox.listForRender('t1', r.id)).length, 1);
      // The notification after the move enqueues the same id again: ignored.
      await outbox.enqueue(deliveryOf((await renders.get('t1', r.id))!));
      assert.equal((await outbox.listForRender('t1', r.id)).length, 1);
    }));

    it('does not move the status when the delivery cannot be written (both or neither)', withStores(async ({ renders, outbox }) => {
      const r = await renders.create(newRender('t1'));
      await assert.rejects(renders.transition('t1', r.id, { from: 'queued', to: 'canceled', webhook: () => { throw new Error('outbox write failed'); } }), /outbox write failed/);
      assert.equal((await renders.get('t1', r.id))?.status, 'queued');
      // A delivery the outbox refuses (a NULL url violates its NOT NULL) rolls the status back too.
      await assert.rejects(renders.transition('t1', r.id, { from: 'queued', to: 'canceled', webhook: (m) => ({ ...deliveryOf(m), url: null as unknown as string }) }));
      assert.equal((await renders.get('t1', r.id))?.status, 'queued');
      assert.deepEqual(await outbox.listForRender('t1', r.id), []);
    }));

    it('writes every delivery the move owes (a webhook and a Shotstack callback) in the one transaction, or none', withStores(async ({ renders, outbox }) => {
      const callbackOf = (m: RenderRecord): NewDelivery => ({ ...deliveryOf(m), id: `msg_${m.id}_callback`, url: 'https://hooks.example.com/shotstack', eventType: 'shotstack.render' });
      const r = await renders.create(newRender('t1'));
      assert.ok(await renders.transition('t1', r.id, { from: 'queued', to: 'canceled', webhook: (m) => [deliveryOf(m), callbackOf(m)] }));
      assert.deepEqual((await outbox.listForRender('t1', r.id)).map((d) => [d.eventType, d.status]).sort(), [['render.canceled', 'pending'], ['shotstack.render', 'pending']]);
      // The second delivery refused: the first is not written and the status does not move.
      const r2 = await renders.create(newRender('t1'));
      await assert.rejects(renders.transition('t1', r2.id, { from: 'queued', to: 'canceled', webhook: (m) => [deliveryOf(m), { ...callbackOf(m), url: null as unknown as string }] }));
      assert.equal((await renders.get('t1', r2.id))?.status, 'queued');
      assert.deepEqual(await outbox.listForRender('t1', r2.id), []);
    }));
  });
}
