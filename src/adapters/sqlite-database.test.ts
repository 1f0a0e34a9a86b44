import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { migrateSqlite, openSqlite } from './sqlite-database.ts';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.ts';
import { createSqliteRenderStore } from './sqlite-render-store.ts';
import { openTempSqlite } from './sqlite-test-db.ts';

describe('SQLite database', () => {
  it('opens in WAL mode, records the schema version, and migrating again applies nothing', async () => {
    const t = openTempSqlite();
    try {
      assert.equal((t.db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode, 'wal');
      const latest = Math.max(...SQLITE_MIGRATIONS.map((m) => m.version));
      assert.deepEqual(migrateSqlite(t.db), { from: latest, to: latest, applied: [] });
    } finally { await t.close(); }
  });

  it('applies only newer migrations and refuses a database newer than the code', async () => {
    const t = openTempSqlite();
    try {
      const extra = [...SQLITE_MIGRATIONS, { version: 99, sql: 'CREATE TABLE later (x INTEGER)' }];
      assert.deepEqual(migrateSqlite(t.db, extra).applied, [99]);
      t.db.prepare('INSERT INTO later (x) VALUES (1)').run();
      assert.throws(() => migrateSqlite(t.db), { code: 'MONTAGE_E_CONFIG_INVALID' });
    } finally { await t.close(); }
  });

  it('lets only one of two connections to the same file claim a render', async () => {
    const t = openTempSqlite();
    const other = openSqlite(t.path);
    try {
      const a = createSqliteRenderStore(t.db);
      const b = createSqliteRenderStore(other);
      const r = await a.create({ id: 'rnd_x', tenant: 't1', priority: 'normal', composition: {}, duration: 1, format: 'mp4', webhookUrl: null, metadata: null });
      const [x, y] = await Promise.all([
        a.transition('t1', r.id, { from: 'queued', to: 'preparing' }),
        b.transition('t1', r.id, { from: 'queued', to: 'preparing' }),
      ]);
      assert.equal([x, y].filter((v) => v !== null).length, 1);
    } finally { other.close(); await t.close(); }
  });
});
