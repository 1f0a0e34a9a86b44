/** The contract every WebhookOutbox adapter must honour (see webhook-outbox.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withHarness, type ContractHarness } from './contract-harness.ts';
import type { NewDelivery, WebhookOutbox } from './webhook-outbox.ts';

const delivery = (id: string, over: Partial<NewDelivery> = {}): NewDelivery => ({
  id, tenant: 't1', renderId: 'rnd_1', url: 'https://example.com/hook', eventType: 'render.succeeded',
  payload: '{"type":"render.succeeded"}', nextAttemptAt: 1_000, ...over,
});

export function webhookOutboxContract(name: string, make: () => Promise<ContractHarness<WebhookOutbox>>): void {
  const t = (fn: (s: WebhookOutbox) => Promise<void>) => withHarness(make, fn);

  describe(`WebhookOutbox contract: ${name}`, () => {
    it('hands out due deliveries once per lease, and again after the lease runs out', t(async (s) => {
      await s.enqueue(delivery('msg_1'));
      await s.enqueue(delivery('msg_1', { payload: 'changed' }));
      await s.enqueue(delivery('msg_2', { nextAttemptAt: 5_000 }));
      const first = await s.claimDue(2_000, 10, 30_000);
      assert.deepEqual(first.map((d) => d.id), ['msg_1']);
      assert.equal(first[0]?.payload, '{"type":"render.succeeded"}', 'a second enqueue of the same id changes nothing');
      assert.deepEqual(await s.claimDue(2_000, 10, 30_000), []);
      assert.deepEqual((await s.claimDue(40_000, 10, 30_000)).map((d) => d.id).sort(), ['msg_1', 'msg_2']);
    }));

    it('lets only one of several concurrent dispatchers claim a delivery', t(async (s) => {
      await s.enqueue(delivery('msg_1'));
      const claims = await Promise.all(Array.from({ length: 5 }, () => s.claimDue(2_000, 10, 30_000)));
      assert.equal(claims.flat().length, 1);
    }));

    it('counts attempts, reschedules, and stops for good on delivered, failed or stopped', t(async (s) => {
      await s.enqueue(delivery('msg_1'));
      await s.claimDue(2_000, 10, 1_000);
      await s.reschedule('msg_1', 10_000, 'HTTP 500', 500);
      let d = await s.get('msg_1');
      assert.equal(d?.attempts, 1);
      assert.equal(d?.nextAttemptAt, 10_000);
      assert.equal(d?.lastStatus, 500);
      assert.deepEqual(await s.claimDue(9_999, 10, 1_000), []);
      assert.equal((await s.claimDue(10_000, 10, 1_000)).length, 1);
      await s.markDelivered('msg_1', 204);
      d = await s.get('msg_1');
      assert.equal(d?.status, 'delivered');
      assert.equal(d?.attempts, 2);
      assert.deepEqual(await s.claimDue(1e12, 10, 1_000), []);

      await s.enqueue(delivery('msg_2', { renderId: 'rnd_2' }));
      await s.finish('msg_2', 'stopped', 'HTTP 410', 410);
      assert.equal((await s.get('msg_2'))?.status, 'stopped');
      assert.deepEqual((await s.listForRender('t1', 'rnd_2')).map((x) => x.id), ['msg_2']);
      assert.deepEqual(await s.listForRender('t2', 'rnd_2'), []);
    }));
  });
}
