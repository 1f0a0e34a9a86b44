import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../config/load-config.ts';
import { openTempPostgres } from '../adapters/postgres-test-db.ts';
import { POSTGRES_MIGRATIONS } from '../adapters/postgres-migrations.ts';
import { runMigrateCommand } from './migrate-command.ts';

const capture = () => {
  let out = '';
  let err = '';
  return { io: { stdout: { write: (s: string) => { out += s; } }, stderr: { write: (s: string) => { err += s; } } }, out: () => out, err: () => err };
};

describe('montage migrate with DATABASE_URL', () => {
  it('migrates PostgreSQL, then reports it up to date', async () => {
    const t = await openTempPostgres({ migrate: false });
    try {
      // The schema rides in the URL (libpq `options`), as an operator could also write it.
      const url = `${t.url}?options=${encodeURIComponent(`-c search_path=${t.schema}`)}`;
      const config = loadConfig({ DATABASE_URL: url, MONTAGE_DATA_DIR: '/nonexistent/never-created' });
      const first = capture();
      assert.equal(await runMigrateCommand(['--json'], config, first.io), 0, first.err());
      const latest = Math.max(...POSTGRES_MIGRATIONS.map((m) => m.version));
      assert.deepEqual(JSON.parse(first.out()), { from: 0, to: latest, applied: POSTGRES_MIGRATIONS.map((m) => m.version) });
      assert.equal((await t.pool.query('SELECT count(*)::int AS n FROM renders')).rows[0].n, 0);
      const again = capture();
      assert.equal(await runMigrateCommand([], config, again.io), 0);
      assert.match(again.out(), new RegExp(`up to date \\(version ${latest}\\)`));
    } finally { await t.close(); }
  });

  it('names the unreachable database without printing its password', async () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:s3cret@127.0.0.1:1/x', MONTAGE_DATA_DIR: '/nonexistent/never-created' });
    const r = capture();
    assert.equal(await runMigrateCommand([], config, r.io), 3);
    assert.match(r.err(), /MONTAGE_E_UNAVAILABLE: PostgreSQL at 127\.0\.0\.1:1/);
    assert.doesNotMatch(r.err(), /s3cret/);
  });
});

describe('montage keys with DATABASE_URL', () => {
  it('creates, lists and revokes keys in PostgreSQL', async () => {
    const { runKeysCommand } = await import('./keys-command.ts');
    const t = await openTempPostgres();
    try {
      const url = `${t.url}?options=${encodeURIComponent(`-c search_path=${t.schema}`)}`;
      const config = loadConfig({ DATABASE_URL: url, MONTAGE_DATA_DIR: '/nonexistent/never-created' });
      const created = capture();
      assert.equal(await runKeysCommand(['create', '--tenant', 'acme', '--json'], config, created.io), 0, created.err());
      const { keyId } = JSON.parse(created.out()) as { keyId: string };
      const row = await t.pool.query<{ tenant: string }>('SELECT tenant FROM api_keys WHERE id = $1', [keyId]);
      assert.equal(row.rowCount, 1, 'the key is in PostgreSQL');
      const revoked = capture();
      assert.equal(await runKeysCommand(['revoke', keyId], config, revoked.io), 0, revoked.err());
      const listed = capture();
      assert.equal(await runKeysCommand(['list', '--json'], config, listed.io), 0);
      assert.deepEqual((JSON.parse(listed.out()) as { keyId: string; revokedAt: string | null }[]).map((k) => [k.keyId, k.revokedAt !== null]), [[keyId, true]]);
    } finally { await t.close(); }
  });
});
