// An unreachable PostgreSQL is MONTAGE_E_UNAVAILABLE (503, retryable), not an internal error: a
// pool pointed at a port nobody listens on, and one whose connections a TCP proxy cuts (what a
// restarting server does to its clients). A wrong statement stays what it was.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { isMontageError } from '../errors/registry.ts';
import { startTcpProxy } from '../../test/support/tcp-proxy.ts';
import { inTransaction, openPostgres } from './postgres-database.ts';
import { TEST_POSTGRES_URL } from './postgres-test-db.ts';

const unavailable = (e: unknown) => isMontageError(e) && e.code === 'MONTAGE_E_UNAVAILABLE';

const closedPort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address() as { port: number }; s.close(() => resolve(port)); });
});

/** A pool on the test database through a TCP proxy that can cut its connections. */
const proxiedPool = async () => {
  const target = new URL(TEST_POSTGRES_URL);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const url = new URL(TEST_POSTGRES_URL);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  return { proxy, pool: await openPostgres(url.toString(), { migrate: false }) };
};

describe('PostgreSQL out of reach', () => {
  it('a refused connection rejects query, connect and transactions with MONTAGE_E_UNAVAILABLE', async () => {
    const pool = await openPostgres(`postgres://postgres@127.0.0.1:${await closedPort()}/x`, { migrate: false });
    try {
      await assert.rejects(pool.query('SELECT 1'), unavailable);
      await assert.rejects(pool.connect(), unavailable);
      await assert.rejects(inTransaction(pool, (c) => c.query('SELECT 1')), unavailable);
    } finally { await pool.end(); }
  });

  it('connections cut under it are MONTAGE_E_UNAVAILABLE; once restored, queries work again, and a bad statement is still its own error', async () => {
    const { proxy, pool } = await proxiedPool();
    try {
      assert.equal((await pool.query('SELECT 1 AS one')).rows[0].one, 1);
      proxy.cut();
      await assert.rejects(pool.query('SELECT 1'), unavailable);
      proxy.restore();
      assert.equal((await pool.query('SELECT 2 AS two')).rows[0].two, 2);
      await assert.rejects(pool.query('SELEC nonsense'), (e: unknown) => !isMontageError(e) && (e as { code?: string }).code === '42601');
    } finally {
      await pool.end();
      await proxy.close();
    }
  });

  it('a connection cut while a transaction holds it rejects the transaction, and the process lives on', async () => {
    // The store-outage test's worker died of this: pg emits 'error' on a checked-out client whose
    // socket dies, and the pool listens only to idle ones.
    const { proxy, pool } = await proxiedPool();
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => { uncaught.push(e); };
    process.on('uncaughtException', onUncaught);
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    try {
      // Between two statements: the cut lands while the transaction awaits something else.
      await assert.rejects(inTransaction(pool, async (c) => {
        await c.query('SELECT 1');
        proxy.cut();
        await sleep(200);
        return c.query('SELECT 2');
      }), unavailable);
      proxy.restore();
      // During a statement.
      await assert.rejects(inTransaction(pool, async (c) => {
        setTimeout(() => proxy.cut(), 200);
        return c.query('SELECT pg_sleep(2)');
      }), unavailable);
      await sleep(200);
      assert.deepEqual(uncaught, [], 'no error escaped to the process');
      proxy.restore();
      // The dead clients were not handed back: the next transaction works.
      assert.equal(await inTransaction(pool, async (c) => (await c.query('SELECT 3 AS three')).rows[0].three), 3);
    } finally {
      process.off('uncaughtException', onUncaught);
      proxy.restore();
      await pool.end();
      await proxy.close();
    }
  });
});
