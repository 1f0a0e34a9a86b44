/** The contract every IdempotencyStore adapter must honour (see idempotency-store.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withHarness, type ContractHarness } from './contract-harness.ts';
import type { IdempotencyStore } from './idempotency-store.ts';

const DAY = 24 * 3600 * 1000;

export function idempotencyStoreContract(name: string, make: () => Promise<ContractHarness<IdempotencyStore>>): void {
  const t = (fn: (s: IdempotencyStore) => Promise<void>) => withHarness(make, fn);
  const windowStart = () => new Date(Date.now() - DAY).toISOString();

  describe(`IdempotencyStore contract: ${name}`, () => {
    it('starts once, then reports the pending record to a concurrent duplicate', t(async (s) => {
      assert.deepEqual(await s.begin('t1', 'k', 'h1', windowStart()), { kind: 'started' });
      const dup = await s.begin('t1', 'k', 'h1', windowStart());
      assert.equal(dup.kind, 'existing');
      if (dup.kind === 'existing') {
        assert.equal(dup.record.state, 'pending');
        assert.equal(dup.record.bodyHash, 'h1');
      }
    }));

    it('lets exactly one of many simultaneous callers start', t(async (s) => {
      const rs = await Promise.all(Array.from({ length: 6 }, () => s.begin('t1', 'race', 'h', windowStart())));
      assert.equal(rs.filter((r) => r.kind === 'started').length, 1);
    }));

    it('replays the completed response and exposes the original body hash', t(async (s) => {
      await s.begin('t1', 'k', 'h1', windowStart());
      await s.complete('t1', 'k', { status: 202, body: { id: 'rnd_1' } });
      const again = await s.begin('t1', 'k', 'h2', windowStart());
      assert.equal(again.kind, 'existing');
      if (again.kind === 'existing') {
        assert.equal(again.record.state, 'completed');
        assert.equal(again.record.bodyHash, 'h1');
        assert.deepEqual(again.record.response, { status: 202, body: { id: 'rnd_1' } });
      }
    }));

    it('keeps keys apart per tenant', t(async (s) => {
      await s.begin('t1', 'k', 'h1', windowStart());
      assert.deepEqual(await s.begin('t2', 'k', 'h1', windowStart()), { kind: 'started' });
    }));

    it('frees the key after abandon, and treats records older than the window as absent', t(async (s) => {
      await s.begin('t1', 'k', 'h1', windowStart());
      await s.abandon('t1', 'k');
      assert.deepEqual(await s.begin('t1', 'k', 'h1', windowStart()), { kind: 'started' });
      await s.complete('t1', 'k', { status: 202, body: {} });
      const future = new Date(Date.now() + 1000).toISOString();
      assert.deepEqual(await s.begin('t1', 'k', 'h9', future), { kind: 'started' });
      assert.equal(await s.purgeBefore(new Date(Date.now() + 60_000).toISOString()), 1);
    }));
  });
}
