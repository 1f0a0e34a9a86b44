/** The contract every AssetStore adapter must honour (see asset-store.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AssetStore } from './asset-store.ts';
import { withHarness, type ContractHarness } from './contract-harness.ts';

export function assetStoreContract(name: string, make: () => Promise<ContractHarness<AssetStore>>): void {
  const t = (fn: (s: AssetStore) => Promise<void>) => withHarness(make, fn);
  const asset = {
    id: 'ast_1', tenant: 't1', objectKey: 'assets/t1/ast_1', filename: 'a.png', contentType: 'image/png',
    bytes: 3_000_000_000, sha256: 'ab'.repeat(32),
  };

  describe(`AssetStore contract: ${name}`, () => {
    it('stores metadata (sizes beyond 2^31 included) and hides it from other tenants', t(async (s) => {
      const c = await s.create(asset);
      assert.deepEqual(await s.get('t1', 'ast_1'), c);
      assert.equal(c.bytes, 3_000_000_000);
      assert.equal(await s.get('t2', 'ast_1'), null);
      assert.equal(await s.delete('t2', 'ast_1'), null);
    }));

    it('deletes once, returning the record so its bytes can be removed', t(async (s) => {
      await s.create(asset);
      assert.equal((await s.delete('t1', 'ast_1'))?.objectKey, 'assets/t1/ast_1');
      assert.equal(await s.delete('t1', 'ast_1'), null);
      assert.equal(await s.get('t1', 'ast_1'), null);
    }));

    it('keeps the probe taken at upload, and null for an asset stored without one', t(async (s) => {
      const probe = { kind: 'media' as const, duration: 2.5, width: 1080, height: 1920, streams: [{ type: 'video' as const, codec: 'h264', fps: 30, hasAlpha: false }, { type: 'audio' as const, codec: 'aac', channels: 2, sampleRate: 48000 }] };
      const c = await s.create({ ...asset, probe });
      assert.deepEqual(c.probe, probe);
      assert.deepEqual((await s.get('t1', 'ast_1'))?.probe, probe);
      assert.equal((await s.create({ ...asset, id: 'ast_2' })).probe, null);
    }));

    it('refuses a duplicate id', t(async (s) => {
      await s.create(asset);
      await assert.rejects(s.create(asset), { code: 'MONTAGE_E_CONFLICT' });
    }));
  });
}
