/** The contract every KeyStore adapter must honour (see key-store.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withHarness, type ContractHarness } from './contract-harness.ts';
import type { KeyStore } from './key-store.ts';

export function keyStoreContract(name: string, make: () => Promise<ContractHarness<KeyStore>>): void {
  const t = (fn: (s: KeyStore) => Promise<void>) => withHarness(make, fn);

  describe(`KeyStore contract: ${name}`, () => {
    it('ensureTenant creates once and then returns the existing tenant', t(async (s) => {
      const a = await s.ensureTenant({ id: 'ten_a', name: 'acme', webhookSecret: 'whsec_AAAA' });
      const b = await s.ensureTenant({ id: 'ten_b', name: 'acme', webhookSecret: 'whsec_BBBB' });
      assert.deepEqual(b, a);
      assert.equal(a.webhookSecret, 'whsec_AAAA');
      assert.deepEqual(await s.getTenant('ten_a'), a);
      assert.deepEqual(await s.findTenantByName('acme'), a);
      assert.equal(await s.findTenantByName('nobody'), null);
    }));

    it('finds an active key by hash with its tenant, and not after revocation', t(async (s) => {
      const ten = await s.ensureTenant({ id: 'ten_a', name: 'acme', webhookSecret: 'whsec_AAAA' });
      await s.createKey({ id: 'key_1', tenant: ten.id, hash: 'h1' });
      const found = await s.findActiveKeyByHash('h1');
      assert.equal(found?.key.id, 'key_1');
      assert.deepEqual(found?.tenant, ten);
      assert.equal(await s.findActiveKeyByHash('h2'), null);
      const revoked = await s.revokeKey('key_1');
      assert.ok(revoked?.revokedAt);
      const again = await s.revokeKey('key_1');
      assert.equal(again?.revokedAt, revoked?.revokedAt, 'revoking twice keeps the first time');
      assert.equal(await s.findActiveKeyByHash('h1'), null);
      assert.equal(await s.revokeKey('key_nope'), null);
    }));

    it('lists keys per tenant or all, and refuses a duplicate hash or an unknown tenant', t(async (s) => {
      await s.ensureTenant({ id: 'ten_a', name: 'a', webhookSecret: 'whsec_A' });
      await s.ensureTenant({ id: 'ten_b', name: 'b', webhookSecret: 'whsec_B' });
      await s.createKey({ id: 'key_1', tenant: 'ten_a', hash: 'h1' });
      await s.createKey({ id: 'key_2', tenant: 'ten_b', hash: 'h2' });
      assert.deepEqual((await s.listKeys('ten_a')).map((k) => k.id), ['key_1']);
      assert.deepEqual((await s.listKeys()).map((k) => k.id).sort(), ['key_1', 'key_2']);
      await assert.rejects(s.createKey({ id: 'key_3', tenant: 'ten_a', hash: 'h1' }), { code: 'MONTAGE_E_CONFLICT' });
      await assert.rejects(s.createKey({ id: 'key_4', tenant: 'ten_zzz', hash: 'h4' }), { code: 'MONTAGE_E_CONFLICT' });
    }));
  });
}
