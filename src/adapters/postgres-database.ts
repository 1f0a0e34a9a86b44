/**
 * Opens the PostgreSQL pool of the scale-out roles (`pg`, pure JavaScript) and brings its schema up
 * to date. Every store adapter takes the pool; statements that must see one consistent state run
 * in `inTransaction`.
 */
import pg from 'pg';
import { MontageError } from '../errors/registry.ts';
import { POSTGRES_MIGRATIONS, type PostgresMigration } from './postgres-migrations.ts';

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;
/** What a statement runs on: the pool, or one client inside a transaction. */
export type PgQueryable = Pick<pg.Pool, 'query'>;

export interface OpenPostgresOptions {
  /** Apply pending migrations on open (default true). */
  readonly migrate?: boolean;
  /** Use this schema instead of the connection's default (`search_path`); tests isolate runs with it. */
  readonly schema?: string;
  /** Connections in the pool (default 10). */
  readonly max?: number;
  /**
   * Ms a statement may run (server `statement_timeout`, and the client's read timeout a little
   * later, for a server that cannot even be told); also bounds connecting and idling inside a
   * transaction. Default 10 s. A timed-out client is destroyed, so a dead connection is not reused.
   */
  readonly timeoutMs?: number;
}

/** Any fixed number: every Montage process takes the same lock while it migrates. */
const MIGRATION_LOCK = 7_418_214_001;

export async function openPostgres(url: string, opts: OpenPostgresOptions = {}): Promise<PgPool> {
  if (opts.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(opts.schema)) {
    throw new MontageError('MONTAGE_E_CONFIG_INVALID', `Invalid schema name ${JSON.stringify(opts.schema)}.`);
  }
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: Math.min(5_000, timeoutMs),
    statement_timeout: timeoutMs,
    query_timeout: timeoutMs + 500,
    idle_in_transaction_session_timeout: 2 * timeoutMs,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  });
  // An idle client that loses its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  reportUnreachable(pool);
  try {
    if (opts.migrate !== false) await migratePostgres(pool);
  } catch (e) {
    await pool.end();
    throw e;
  }
  return pool;
}

export interface MigrationResult {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly number[];
}

/**
 * Applies every migration above the recorded schema_version, in order, in one transaction (DDL is
 * transactional in PostgreSQL: a failed migration leaves the schema as it was) under an advisory
 * lock, so several processes starting at once apply each migration exactly once. Refuses a database
 * newer than this code knows.
 */
export async function migratePostgres(pool: PgPool, migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS): Promise<MigrationResult> {
  const latest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
  return inTransaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await c.query('CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)');
    const read = async () => Number((await c.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_version')).rows[0]?.v ?? 0);
    const from = await read();
    if (from > latest) {
      throw new MontageError('MONTAGE_E_CONFIG_INVALID', `The database schema is version ${from}, newer than this Montage knows (${latest}); upgrade Montage.`);
    }
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (m.version <= from) continue;
      await c.query(m.sql);
      await c.query('INSERT INTO schema_version (version) VALUES ($1)', [m.version]);
      applied.push(m.version);
    }
    return { from, to: await read(), applied };
  });
}

/** Runs `fn` in one transaction on one client: COMMIT when it resolves, ROLLBACK when it throws. */
export async function inTransaction<T>(pool: PgPool, fn: (c: PgClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  // A checked-out client has no listener of the pool's: a connection cut while this holds it (a
  // restarting server, a dropped network) emitted 'error' with none, which ended the process. The
  // statement in flight rejects on its own; a later one finds the client not queryable.
  let lost: Error | undefined;
  const onLost = (e: Error) => { lost ??= e; };
  c.on('error', onLost);
  let failed: unknown;
  try {
    await c.query('BEGIN');
    const r = await fn(c);
    await c.query('COMMIT');
    return r;
  } catch (e) {
    failed = e;
    await c.query('ROLLBACK').catch(() => {});
    throw unreachableAsUnavailable(e);
  } finally {
    // A client whose connection failed or timed out is destroyed rather than handed to the next caller.
    c.off('error', onLost);
    c.release(lost ?? (failed !== undefined && isUnreachable(failed) ? (failed as Error) : undefined));
  }
}

/** SQLSTATEs of a server that went away or refuses connections for now (class 08, shutdowns, too many connections). */
const GONE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const GONE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** The error says PostgreSQL cannot be reached right now, rather than that a statement is wrong. */
export function isUnreachable(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'string' && (GONE_SQLSTATES.has(code) || GONE_SOCKET_CODES.has(code) || code.startsWith('08'))) return true;
  // pg reports a connection cut under it ("Connection terminated unexpectedly", "… due to connection
  // timeout") and a pool that could not connect in time without a code: its message is all there is.
  const message = (e as { message?: unknown })?.message;
  // A statement cut by statement_timeout (57014) is not here: the server answered. "Query read
  // timeout" is the client's own bound on a server that does not answer at all.
  return typeof message === 'string' && /^Connection terminated|timeout exceeded when trying to connect|is not queryable|^Query read timeout/.test(message);
}

/**
 * MONTAGE_E_UNAVAILABLE (503, retryable) for an unreachable database, the error itself otherwise:
 * a client then learns to come back later rather than that the service is broken, and a worker
 * retries the job.
 */
export function unreachableAsUnavailable(e: unknown): unknown {
  return isUnreachable(e) ? new MontageError('MONTAGE_E_UNAVAILABLE', 'The database cannot be reached right now; try again shortly.', { cause: e }) : e;
}

/** Makes the pool's promise-returning query and connect reject with unreachableAsUnavailable. */
function reportUnreachable(pool: pg.Pool): void {
  const wrap = (name: 'query' | 'connect') => {
    const original = (pool[name] as (...a: unknown[]) => unknown).bind(pool);
    (pool as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      const r = original(...args);
      return r instanceof Promise ? r.catch((e: unknown) => { throw unreachableAsUnavailable(e); }) : r;
    };
  };
  wrap('query');
  wrap('connect');
}

/** unique_violation or foreign_key_violation: the stores report both as MONTAGE_E_CONFLICT. */
export function isConstraintViolation(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return code === '23505' || code === '23503';
}

/** `timestamptz` columns come back as Date; the ports speak ISO strings with milliseconds. */
export const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());
