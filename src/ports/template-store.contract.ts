/** The contract every TemplateStore adapter must honour (see template-store.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withHarness, type ContractHarness } from './contract-harness.ts';
import type { TemplateStore } from './template-store.ts';

export function templateStoreContract(name: string, make: () => Promise<ContractHarness<TemplateStore>>): void {
  const t = (fn: (s: TemplateStore) => Promise<void>) => withHarness(make, fn);
  const comp = { output: { format: 'mp4' }, tracks: [{ clips: [] }], merge: { name: 'x' } };

  describe(`TemplateStore contract: ${name}`, () => {
    it('creates, reads, updates and deletes within one tenant only', t(async (s) => {
      const c = await s.create({ id: 'tpl_1', tenant: 't1', name: 'intro', composition: comp });
      assert.deepEqual(await s.get('t1', 'tpl_1'), c);
      assert.equal(await s.get('t2', 'tpl_1'), null);
      assert.equal(await s.update('t2', 'tpl_1', { name: 'stolen' }), null);
      const u = await s.update('t1', 'tpl_1', { name: 'outro' });
      assert.equal(u?.name, 'outro');
      assert.deepEqual(u?.composition, comp);
      const u2 = await s.update('t1', 'tpl_1', { composition: { a: 1 } });
      assert.deepEqual(u2?.composition, { a: 1 });
      assert.equal(u2?.name, 'outro');
      assert.equal(await s.delete('t2', 'tpl_1'), false);
      assert.equal(await s.delete('t1', 'tpl_1'), true);
      assert.equal(await s.get('t1', 'tpl_1'), null);
      assert.equal(await s.delete('t1', 'tpl_1'), false);
    }));

    it('refuses a duplicate id', t(async (s) => {
      await s.create({ id: 'tpl_1', tenant: 't1', name: 'a', composition: comp });
      await assert.rejects(s.create({ id: 'tpl_1', tenant: 't1', name: 'b', composition: comp }), { code: 'MONTAGE_E_CONFLICT' });
    }));

    it('lists newest first across pages', t(async (s) => {
      for (let i = 0; i < 5; i++) {
        await s.create({ id: `tpl_${i}`, tenant: 't1', name: `n${i}`, composition: comp, createdAt: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString() });
      }
      await s.create({ id: 'tpl_other', tenant: 't2', name: 'x', composition: comp });
      const p1 = await s.list('t1', { limit: 2 });
      assert.deepEqual(p1.data.map((x) => x.id), ['tpl_4', 'tpl_3']);
      const p2 = await s.list('t1', { limit: 2, cursor: p1.nextCursor ?? undefined });
      const p3 = await s.list('t1', { limit: 2, cursor: p2.nextCursor ?? undefined });
      assert.deepEqual([...p2.data, ...p3.data].map((x) => x.id), ['tpl_2', 'tpl_1', 'tpl_0']);
      assert.equal(p3.nextCursor, null);
    }));
  });
}
