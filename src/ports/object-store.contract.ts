/** The contract every ObjectStore adapter must honour (see object-store.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { withHarness, type ContractHarness } from './contract-harness.ts';
import type { ObjectStore } from './object-store.ts';

async function* chunks(n: number, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < n; i++) yield Buffer.alloc(size, 97 + (i % 26));
}

export function objectStoreContract(name: string, make: () => Promise<ContractHarness<ObjectStore>>): void {
  const t = (fn: (s: ObjectStore) => Promise<void>) => withHarness(make, fn);

  describe(`ObjectStore contract: ${name}`, () => {
    it('stores a stream and reads it back whole, with size and sha256', t(async (s) => {
      const data = 'hello, montage';
      const put = await s.put('assets/t1/a1', Readable.from([Buffer.from(data)]));
      assert.equal(put.size, data.length);
      assert.equal(put.sha256, createHash('sha256').update(data).digest('hex'));
      const got = await s.get('assets/t1/a1');
      assert.equal(got.size, data.length);
      assert.equal(await text(got.body), data);
      assert.equal((await s.stat('assets/t1/a1'))?.size, data.length);
    }));

    it('serves inclusive byte ranges, clamps the end, refuses a start past the end', t(async (s) => {
      await s.put('k/r', Readable.from([Buffer.from('0123456789')]));
      const mid = await s.get('k/r', { range: { start: 2, end: 5 } });
      assert.deepEqual([await text(mid.body), mid.start, mid.end, mid.size], ['2345', 2, 5, 10]);
      const tail = await s.get('k/r', { range: { start: 7 } });
      assert.equal(await text(tail.body), '789');
      const clamped = await s.get('k/r', { range: { start: 8, end: 100 } });
      assert.deepEqual([await text(clamped.body), clamped.end], ['89', 9]);
      await assert.rejects(s.get('k/r', { range: { start: 10 } }), { code: 'MONTAGE_E_INVALID_REQUEST' });
    }));

    it('replaces an object atomically and deletes it once', t(async (s) => {
      await s.put('k/x', Readable.from([Buffer.from('old')]));
      await s.put('k/x', Readable.from([Buffer.from('newer')]));
      assert.equal(await text((await s.get('k/x')).body), 'newer');
      assert.equal(await s.delete('k/x'), true);
      assert.equal(await s.delete('k/x'), false);
      assert.equal(await s.stat('k/x'), null);
      await assert.rejects(s.get('k/x'), { code: 'MONTAGE_E_NOT_FOUND' });
    }));

    it('stops a put past maxBytes while streaming and stores nothing', t(async (s) => {
      await s.put('k/big', Readable.from([Buffer.from('previous')]));
      let pulled = 0;
      async function* endless(): AsyncIterable<Uint8Array> {
        for (;;) { pulled++; yield Buffer.alloc(64 * 1024); }
      }
      await assert.rejects(s.put('k/big', endless(), { maxBytes: 1024 * 1024 }), { code: 'MONTAGE_E_ASSET_TOO_LARGE' });
      assert.ok(pulled < 64, `stopped early (pulled ${pulled} chunks)`);
      assert.equal(await text((await s.get('k/big')).body), 'previous', 'the old object is untouched');
      const ok = await s.put('k/fits', chunks(16, 64 * 1024), { maxBytes: 1024 * 1024 });
      assert.equal(ok.size, 1024 * 1024);
    }));

    it('refuses keys that could escape the store', t(async (s) => {
      for (const key of ['../x', 'a/../../x', '/etc/passwd', 'a//b', '', 'a/./b', 'a\\..\\b', 'a/b/', '..', 'a/\u0000']) {
        await assert.rejects(s.put(key, Readable.from([Buffer.from('x')])), { code: 'MONTAGE_E_INVALID_REQUEST' }, key);
        await assert.rejects(s.get(key), { code: 'MONTAGE_E_INVALID_REQUEST' }, key);
      }
    }));
  });
}
