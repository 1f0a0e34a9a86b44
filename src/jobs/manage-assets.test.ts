import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { createFileObjectStore } from '../adapters/file-object-store.ts';
import { createSqliteAssetStore } from '../adapters/sqlite-asset-store.ts';
import { openTempSqlite } from '../adapters/sqlite-test-db.ts';
import { createAssetUseCases } from './manage-assets.ts';

describe('asset uploads', () => {
  it('streams an upload into the object store and serves it to its tenant only', async () => {
    const t = openTempSqlite();
    try {
      const objects = createFileObjectStore(join(t.dir, 'objects'));
      const assets = createAssetUseCases({ assets: createSqliteAssetStore(t.db), objects, maxAssetBytes: 1024 * 1024 });
      async function* body() { yield Buffer.from('abc'); yield Buffer.from('def'); }
      const a = await assets.upload('t1', body(), { filename: 'clip.txt', contentType: 'text/plain' });
      assert.equal(a.bytes, 6);
      assert.equal(a.sha256, createHash('sha256').update('abcdef').digest('hex'));
      assert.equal(await text((await objects.get(a.objectKey)).body), 'abcdef');
      assert.deepEqual(await assets.get('t1', a.id), a);
      await assert.rejects(assets.get('t2', a.id), { code: 'MONTAGE_E_NOT_FOUND' });
      await assert.rejects(assets.delete('t2', a.id), { code: 'MONTAGE_E_NOT_FOUND' });
      await assets.delete('t1', a.id);
      assert.equal(await objects.stat(a.objectKey), null);
    } finally { await t.close(); }
  });

  it('stops an upload as soon as it passes the limit, keeping nothing', async () => {
    const t = openTempSqlite();
    try {
      const objects = createFileObjectStore(join(t.dir, 'objects'));
      const assets = createAssetUseCases({ assets: createSqliteAssetStore(t.db), objects, maxAssetBytes: 256 * 1024 });
      let sent = 0;
      async function* endless() { for (;;) { sent += 64 * 1024; yield Buffer.alloc(64 * 1024); } }
      await assert.rejects(assets.upload('t1', endless()), { code: 'MONTAGE_E_ASSET_TOO_LARGE' });
      assert.ok(sent <= 1024 * 1024, `read ${sent} bytes before stopping`);
      assert.deepEqual(readdirSync(join(t.dir, 'objects')).filter((n) => n !== '.tmp'), []);
      assert.equal((t.db.prepare('SELECT count(*) AS n FROM assets').get() as { n: number }).n, 0);
    } finally { await t.close(); }
  });
});
