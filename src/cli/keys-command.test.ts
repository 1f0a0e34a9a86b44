import { SQLITE_MIGRATIONS } from '../adapters/sqlite-migrations.ts';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/load-config.ts';
import { runKeysCommand } from './keys-command.ts';
import { runMigrateCommand } from './migrate-command.ts';
import { openSqlite } from '../adapters/sqlite-database.ts';
import { createSqliteKeyStore } from '../adapters/sqlite-key-store.ts';
import { createKeyUseCases } from '../jobs/manage-keys.ts';

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } }, out, err };
};

describe('montage keys / migrate', () => {
  it('migrates, creates a key that authenticates, lists it without the secret, and revokes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'montage-cli-'));
    try {
      const config = loadConfig({ MONTAGE_DATA_DIR: dir });
      const m = capture();
      assert.equal(await runMigrateCommand([], config, m.io), 0);
      assert.match(m.out.join(''), new RegExp(`from version 0 to ${Math.max(...SQLITE_MIGRATIONS.map((x) => x.version))}\\.`));
      const again = capture();
      assert.equal(await runMigrateCommand([], config, again.io), 0);
      assert.match(again.out.join(''), /up to date/);

      const c = capture();
      assert.equal(await runKeysCommand(['create', '--tenant', 'acme', '--json'], config, c.io), 0);
      const created = JSON.parse(c.out.join('')) as { tenant: string; keyId: string; key: string; webhookSecret: string };
      assert.deepEqual(Object.keys(created), ['tenant', 'keyId', 'key', 'webhookSecret']);
      assert.equal(created.tenant, 'acme');
      assert.match(created.key, /^mk_[A-Za-z0-9_-]{32}$/);
      assert.match(created.webhookSecret, /^whsec_[A-Za-z0-9+/]{43}=$/);

      const db = openSqlite(config.paths.sqlite);
      try {
        const keys = createKeyUseCases({ keys: createSqliteKeyStore(db) });
        assert.equal((await keys.authenticate(created.key)).name, 'acme');
        await assert.rejects(keys.authenticate(`${created.key}x`), { code: 'MONTAGE_E_UNAUTHORIZED' });
        const raw = JSON.stringify(db.prepare('SELECT * FROM api_keys').all());
        assert.ok(!raw.includes(created.key), 'the secret is not stored');

        const l = capture();
        assert.equal(await runKeysCommand(['list', '--json'], config, l.io), 0);
        const listed = JSON.parse(l.out.join('')) as { keyId: string; tenant: string; revokedAt: string | null }[];
        assert.deepEqual(listed.map((k) => [k.keyId, k.tenant, k.revokedAt]), [[created.keyId, 'acme', null]]);
        assert.ok(!l.out.join('').includes(created.key));

        assert.equal(await runKeysCommand(['revoke', created.keyId], config, capture().io), 0);
        await assert.rejects(keys.authenticate(created.key), { code: 'MONTAGE_E_UNAUTHORIZED' });
        const second = capture();
        await runKeysCommand(['create', '--tenant', 'acme', '--json'], config, second.io);
        assert.equal(JSON.parse(second.out.join('')).webhookSecret, created.webhookSecret, 'one secret per tenant');
      } finally { db.close(); }

      const bad = capture();
      assert.equal(await runKeysCommand(['revoke', 'key_nope'], config, bad.io), 1);
      assert.match(bad.err.join(''), /MONTAGE_E_NOT_FOUND/);
      assert.equal(await runKeysCommand(['create'], config, capture().io), 2);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});
