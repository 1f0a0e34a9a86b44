/**
 * A PostgreSQL database of its own for one cluster run (`montage_cluster_<random>`) on the server
 * the tests use (127.0.0.1:5432, trust auth; MONTAGE_TEST_POSTGRES_URL overrides, as for the
 * adapter tests). Processes get its URL as DATABASE_URL; `drop` removes it, closing whatever
 * connections a killed process left behind.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { TEST_POSTGRES_URL } from '../../../src/adapters/postgres-test-db.ts';

export interface TempDatabase {
  readonly name: string;
  /** postgres://…/montage_cluster_<random> */
  readonly url: string;
  /** Runs one statement on it (a short-lived connection): for assertions on rows. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

const adminQuery = async (sql: string): Promise<void> => {
  const c = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await c.connect();
  try { await c.query(sql); } finally { await c.end(); }
};

export async function createTempDatabase(): Promise<TempDatabase> {
  const name = `montage_cluster_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const u = new URL(TEST_POSTGRES_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  let dropped = false;
  return {
    name, url,
    async query(sql, params) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try { return (await c.query(sql, params)).rows; } finally { await c.end(); }
    },
    async drop() {
      if (dropped) return;
      dropped = true;
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
