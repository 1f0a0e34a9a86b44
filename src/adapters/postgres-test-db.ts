/**
 * A fresh, migrated PostgreSQL schema for adapter and use-case tests, on the server the tests run
 * against (127.0.0.1:5432, trust auth, database `test`; MONTAGE_TEST_POSTGRES_URL overrides). Each
 * harness gets its own schema `montage_test_<random>`, so parallel runs never collide; `close`
 * drops it. The real thing, never a mock.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgres, type PgPool } from './postgres-database.ts';

export const TEST_POSTGRES_URL = process.env.MONTAGE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TempPostgres {
  readonly pool: PgPool;
  readonly schema: string;
  readonly url: string;
  close(): Promise<void>;
}

export async function openTempPostgres(opts: { readonly migrate?: boolean } = {}): Promise<TempPostgres> {
  const schema = `montage_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try { await admin.query(`CREATE SCHEMA ${schema}`); } finally { await admin.end(); }
  const pool = await openPostgres(TEST_POSTGRES_URL, { schema, max: 4, migrate: opts.migrate });
  return {
    pool, schema, url: TEST_POSTGRES_URL,
    async close() {
      await pool.end();
      const c = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await c.connect();
      try { await c.query(`DROP SCHEMA ${schema} CASCADE`); } finally { await c.end(); }
    },
  };
}
