// The PostgreSQL adapters against the shared port contracts (the same suites the SQLite ones run),
// each harness on its own fresh schema, plus what only a shared multi-process database must do.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assetStoreContract } from '../ports/asset-store.contract.ts';
import { chunkStoreContract } from '../ports/chunk-store.contract.ts';
import { idempotencyStoreContract } from '../ports/idempotency-store.contract.ts';
import { keyStoreContract } from '../ports/key-store.contract.ts';
import { renderStoreContract } from '../ports/render-store.contract.ts';
import { templateStoreContract } from '../ports/template-store.contract.ts';
import { webhookOutboxContract } from '../ports/webhook-outbox.contract.ts';
import { AUDIO_PIECE } from '../ports/chunk-store.ts';
import { createPostgresAssetStore } from './postgres-asset-store.ts';
import { createPostgresChunkStore } from './postgres-chunk-store.ts';
import { migratePostgres, openPostgres, type PgPool } from './postgres-database.ts';
import { createPostgresIdempotencyStore } from './postgres-idempotency-store.ts';
import { createPostgresKeyStore } from './postgres-key-store.ts';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.ts';
import { createPostgresRenderStore } from './postgres-render-store.ts';
import { createPostgresTemplateStore } from './postgres-template-store.ts';
import { createPostgresWebhookOutbox } from './postgres-webhook-outbox.ts';
import { openTempPostgres, TEST_POSTGRES_URL } from './postgres-test-db.ts';

const on = <P>(create: (pool: PgPool) => P) => async () => {
  const t = await openTempPostgres();
  return { store: create(t.pool), close: t.close };
};

renderStoreContract('postgres', on(createPostgresRenderStore));
idempotencyStoreContract('postgres', on(createPostgresIdempotencyStore));
templateStoreContract('postgres', on(createPostgresTemplateStore));
assetStoreContract('postgres', on(createPostgresAssetStore));
keyStoreContract('postgres', on(createPostgresKeyStore));
webhookOutboxContract('postgres', on(createPostgresWebhookOutbox));
chunkStoreContract('postgres', on(createPostgresChunkStore));

describe('postgres migrations', () => {
  it('apply once to the latest version even when several processes start at once', async () => {
    const t = await openTempPostgres({ migrate: false });
    const pools = await Promise.all([1, 2, 3].map(() => openPostgres(TEST_POSTGRES_URL, { schema: t.schema, migrate: false, max: 1 })));
    try {
      const results = await Promise.all(pools.map((p) => migratePostgres(p)));
      const latest = Math.max(...POSTGRES_MIGRATIONS.map((m) => m.version));
      assert.deepEqual(results.map((r) => r.to), [latest, latest, latest]);
      assert.deepEqual(results.flatMap((r) => r.applied).sort(), POSTGRES_MIGRATIONS.map((m) => m.version).sort());
      const again = await migratePostgres(t.pool);
      assert.deepEqual(again, { from: latest, to: latest, applied: [] });
      const rows = await t.pool.query('SELECT version FROM schema_version');
      assert.equal(rows.rowCount, POSTGRES_MIGRATIONS.length);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
      await t.close();
    }
  });

  it('refuses a database newer than this code', async () => {
    const t = await openTempPostgres();
    try {
      await t.pool.query('INSERT INTO schema_version (version) VALUES (999)');
      await assert.rejects(migratePostgres(t.pool), { code: 'MONTAGE_E_CONFIG_INVALID' });
    } finally { await t.close(); }
  });
});

describe('postgres stores across connections', () => {
  it('give the join to exactly one of the workers completing the last pieces at once', async () => {
    const t = await openTempPostgres();
    // One pool per "worker", so the completes really run on separate connections at the same time.
    const workers = await Promise.all([1, 2, 3].map(() => openPostgres(TEST_POSTGRES_URL, { schema: t.schema, migrate: false, max: 1 })));
    try {
      const pieces = [{ piece: '0', start: 0, length: 30, frames: 900 }, { piece: '1', start: 30, length: 30, frames: 900 },
        { piece: AUDIO_PIECE, start: 0, length: 60, frames: 100 }];
      await createPostgresChunkStore(t.pool).createPlan('t1', 'r1', pieces);
      const left = await Promise.all(pieces.map((p, i) => createPostgresChunkStore(workers[i]!).complete('t1', 'r1', p.piece, `k${i}`)));
      assert.deepEqual([...left].sort(), [0, 1, 2]);
    } finally {
      await Promise.all(workers.map((p) => p.end()));
      await t.close();
    }
  });

  it('store times with millisecond precision as the ports promise', async () => {
    const t = await openTempPostgres();
    try {
      const r = await createPostgresRenderStore(t.pool).create({ id: 'rnd_1', tenant: 't1', priority: 'low', composition: {}, duration: 1,
        format: 'mp4', webhookUrl: null, metadata: null, createdAt: '2024-05-01T12:00:00.123Z' });
      assert.equal(r.createdAt, '2024-05-01T12:00:00.123Z');
      const raw = await t.pool.query<{ k: string }>("SELECT to_char(created_at AT TIME ZONE 'UTC', 'MS') AS k FROM renders");
      assert.equal(raw.rows[0]?.k, '123');
    } finally { await t.close(); }
  });
});

