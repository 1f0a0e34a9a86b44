/**
 * The stores a Montage process runs on, chosen once from the configuration:
 *
 * - embedded (`montage serve`): SQLite, the SQLite-backed queue, in-process events and files, all
 *   under MONTAGE_DATA_DIR;
 * - scale-out (`montage api`, `montage worker`): PostgreSQL (DATABASE_URL), BullMQ and pub/sub on
 *   Redis (REDIS_URL, keys under MONTAGE_REDIS_PREFIX), and S3 (MONTAGE_STORAGE, S3_ENDPOINT) or,
 *   without MONTAGE_STORAGE, files under MONTAGE_DATA_DIR, which then must be one volume that every
 *   process mounts.
 *
 * Each shared store is a named `Dependency` with a bounded ping: start-up refuses to go on naming
 * the one that does not answer, and /readyz reports it while it is down.
 */
import type { PieceCache } from '../ports/piece-cache.ts';
import { createSqlitePieceCache } from '../adapters/sqlite-piece-cache.ts';
import { openSqlite } from '../adapters/sqlite-database.ts';
import { ensureWritableDataDir } from './writable-data-dir.ts';
import { createEmbeddedJobQueue } from '../adapters/embedded-job-queue.ts';
import { createFileObjectStore } from '../adapters/file-object-store.ts';
import { createInProcessRenderEvents } from '../adapters/in-process-render-events.ts';
import { createSqliteAssetStore } from '../adapters/sqlite-asset-store.ts';
import { createSqliteChunkStore } from '../adapters/sqlite-chunk-store.ts';
import { createSqliteIdempotencyStore } from '../adapters/sqlite-idempotency-store.ts';
import { createSqliteKeyStore } from '../adapters/sqlite-key-store.ts';
import { createSqliteRenderStore } from '../adapters/sqlite-render-store.ts';
import { createSqliteTemplateStore } from '../adapters/sqlite-template-store.ts';
import { createSqliteWebhookOutbox } from '../adapters/sqlite-webhook-outbox.ts';
import type { Config } from '../config/load-config.ts';
import { withTimeout } from '../adapters/with-timeout.ts';
import { BULLMQ_QUEUE_NAME } from '../config/deploy-constants.ts';
import { MontageError } from '../errors/registry.ts';
import type { AssetStore } from '../ports/asset-store.ts';
import type { ChunkStore } from '../ports/chunk-store.ts';
import type { IdempotencyStore } from '../ports/idempotency-store.ts';
import type { JobQueue } from '../ports/job-queue.ts';
import type { KeyStore } from '../ports/key-store.ts';
import type { ObjectStore } from '../ports/object-store.ts';
import type { RenderEvents } from '../ports/render-events.ts';
import type { RenderStore } from '../ports/render-store.ts';
import type { TemplateStore } from '../ports/template-store.ts';
import type { WebhookOutbox } from '../ports/webhook-outbox.ts';
import type { Redis } from 'ioredis';

/** A store other processes share, which this one cannot work without. */
export interface Dependency {
  /** How an operator knows it: "PostgreSQL (DATABASE_URL postgres://db:5432/montage)". */
  readonly name: string;
  /** Resolves when it answers within `timeoutMs`; rejects with the reason otherwise. */
  ping(timeoutMs: number): Promise<void>;
}

export interface Backends {
  readonly mode: 'embedded' | 'scale-out';
  readonly renders: RenderStore;
  readonly keys: KeyStore;
  readonly assets: AssetStore;
  readonly templates: TemplateStore;
  readonly idempotency: IdempotencyStore;
  readonly outbox: WebhookOutbox;
  readonly chunks: ChunkStore;
  /** Pieces reused across a tenant's renders (issue 17): index in the central store, bytes in `objects`. */
  readonly pieceCache?: PieceCache;
  readonly queue: JobQueue;
  readonly events: RenderEvents;
  readonly objects: ObjectStore;
  readonly dependencies: readonly Dependency[];
  /** Redis for the shared rate-limit counters (scale-out only; embedded counts in memory). */
  readonly rateLimitRedis?: Redis;
  /** Closes every connection; bounded, so a store that went away cannot hold the exit. */
  close(): Promise<void>;
}

export interface OpenBackendsOptions {
  /** Errors of background connections (a Redis reconnecting): logged, never thrown. */
  readonly onError?: (error: unknown, dependency: string) => void;
  /** Ms each dependency gets to answer at start-up (default 5 s). */
  readonly startTimeoutMs?: number;
}

export function openEmbeddedBackends(config: Config): Backends {
  if (config.databaseUrl !== null) {
    throw new MontageError('MONTAGE_E_CONFIG_INVALID', 'DATABASE_URL (PostgreSQL) is for `montage api` and `montage worker`; unset it to run `montage serve` on SQLite in the data dir.');
  }
  ensureWritableDataDir(config);
  const db = openSqlite(config.paths.sqlite, { migrate: config.autoMigrate });
  const objects = createFileObjectStore(config.paths.objects);
  return {
    mode: 'embedded',
    renders: createSqliteRenderStore(db),
    keys: createSqliteKeyStore(db),
    assets: createSqliteAssetStore(db),
    templates: createSqliteTemplateStore(db),
    idempotency: createSqliteIdempotencyStore(db),
    outbox: createSqliteWebhookOutbox(db),
    chunks: createSqliteChunkStore(db),
    queue: createEmbeddedJobQueue(db),
    events: createInProcessRenderEvents(),
    objects,
    pieceCache: createSqlitePieceCache(db, objects),
    dependencies: [{ name: `SQLite (${config.paths.sqlite})`, async ping() { db.prepare('SELECT 1').get(); } }],
    async close() { db.close(); },
  };
}

/** Without the password: what a log line or an error may show of a URL. */
export const redactUrl = (url: string): string => {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch { return '(unparsable URL)'; }
};

/**
 * Opens the shared stores and checks each answers within `startTimeoutMs`, or throws
 * MONTAGE_E_UNAVAILABLE naming the first that does not (and closes what it opened).
 * Migrates PostgreSQL when MONTAGE_AUTO_MIGRATE is on; otherwise refuses a schema that is not at
 * this version's (run `montage migrate`).
 */
export async function openScaleOutBackends(config: Config, opts: OpenBackendsOptions = {}): Promise<Backends> {
  const missing = [config.databaseUrl === null && 'DATABASE_URL (postgres://…)', config.redisUrl === null && 'REDIS_URL (redis://…)'].filter(Boolean);
  if (missing.length > 0) {
    throw new MontageError('MONTAGE_E_CONFIG_INVALID', `The scale-out roles need ${missing.join(' and ')}; \`montage serve\` runs without them.`);
  }
  const dbUrl = config.databaseUrl!;
  const redisUrl = config.redisUrl!;
  const timeoutMs = opts.startTimeoutMs ?? 5_000;
  const onError = opts.onError ?? (() => {});
  const pgName = `PostgreSQL (DATABASE_URL ${redactUrl(dbUrl)})`;
  const redisName = `Redis (REDIS_URL ${redactUrl(redisUrl)})`;
  const closers: Array<() => Promise<unknown>> = [];
  const closeAll = async () => {
    await Promise.allSettled(closers.reverse().map((c) => withTimeout(c(), 3_000)));
  };

  try {
    const { openPostgres, migratePostgres } = await import('../adapters/postgres-database.ts');
    const pool = await openPostgres(dbUrl, { migrate: false, timeoutMs: config.storeTimeoutMs }).catch((e) => { throw unavailable(pgName, e); });
    closers.push(() => pool.end());
    const pgPing = (ms: number): Promise<void> => withTimeout(pool.query('SELECT 1'), ms, pgName).then(() => {});
    await pgPing(timeoutMs).catch((e) => { throw unavailable(pgName, e); });
    if (config.autoMigrate) await migratePostgres(pool);
    else await requireLatestSchema(pool, pgName);

    const [{ createBullmqJobQueue }, { createRedisRenderEvents }, { Redis }] = await Promise.all([
      import('../adapters/bullmq-job-queue.ts'), import('../adapters/redis-render-events.ts'), import('ioredis'),
    ]);
    // Redis is asked first on a throwaway connection that gives up: BullMQ's own connections retry
    // forever, and closing them before they ever connected hangs.
    await probeRedis(Redis, redisUrl, timeoutMs).catch((e) => { throw unavailable(redisName, e); });
    // A dead worker's job is free again one to two stalled-check intervals after its lease ran out.
    const stalledIntervalMs = Math.min(15_000, Math.max(500, config.jobLeaseMs));
    const queue = createBullmqJobQueue({ url: redisUrl, prefix: config.redisPrefix, queueName: BULLMQ_QUEUE_NAME, stalledIntervalMs, onError: (e) => onError(e, redisName) });
    closers.push(() => queue.close());
    await queue.ping(timeoutMs).catch((e) => { throw unavailable(redisName, e); });
    const events = createRedisRenderEvents({ url: redisUrl, prefix: config.redisPrefix, commandTimeoutMs: config.storeTimeoutMs, onError: (e) => onError(e, redisName) });
    closers.push(() => events.close());
    // Rate-limit counters: a command fails fast while Redis is away (the limiter then lets the
    // request through rather than answering 500 for a counter).
    // commandTimeout: a Redis that silently drops packets fails the command too, instead of holding every request.
    const rateLimitRedis = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false, commandTimeout: Math.min(1_000, config.storeTimeoutMs) });
    rateLimitRedis.on('error', (e) => onError(e, redisName));
    closers.push(() => rateLimitRedis.quit().catch(() => rateLimitRedis.disconnect()));

    let objects: ObjectStore;
    let storage: Dependency;
    if (config.storage !== null) {
      const { createS3ObjectStore } = await import('../adapters/s3-object-store.ts');
      const s3 = createS3ObjectStore({ location: config.storage, endpoint: config.s3Endpoint, region: config.awsRegion, timeoutMs: config.storeTimeoutMs });
      closers.push(async () => s3.close());
      storage = { name: `S3 storage (MONTAGE_STORAGE ${config.storage}${config.s3Endpoint ? ` at S3_ENDPOINT ${config.s3Endpoint}` : ''})`, ping: (ms) => s3.ping(ms) };
      objects = s3;
    } else {
      const files = createFileObjectStore(config.paths.objects);
      const { access, mkdir } = await import('node:fs/promises');
      storage = {
        name: `file storage (${config.paths.objects}; a volume every api and worker shares)`,
        ping: async (ms) => withTimeout(mkdir(config.paths.objects, { recursive: true }).then(() => access(config.paths.objects)), ms),
      };
      objects = files;
    }
    await storage.ping(timeoutMs).catch((e) => { throw unavailable(storage.name, e); });

    const [pgStores] = await Promise.all([import('./postgres-stores.ts')]);
    const stores = pgStores.createPostgresStores(pool);
    return {
      mode: 'scale-out',
      ...stores,
      queue, events, objects, rateLimitRedis,
      pieceCache: pgStores.createPostgresPieceCache(pool, objects),
      dependencies: [
        { name: pgName, ping: pgPing },
        { name: redisName, ping: (ms) => queue.ping(ms) },
        storage,
      ],
      close: closeAll,
    };
  } catch (e) {
    await closeAll();
    throw e;
  }
}

async function probeRedis(RedisClass: typeof Redis, url: string, timeoutMs: number): Promise<void> {
  const probe = new RedisClass(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false, connectTimeout: timeoutMs });
  // ioredis rejects connect() with only "Connection is closed"; the reason (ECONNREFUSED, NOAUTH,
  // WRONGPASS) comes as an 'error' event first.
  let reason: Error | null = null;
  probe.on('error', (e: Error) => { reason ??= e; });
  try {
    await withTimeout(probe.connect().then(() => probe.ping()), timeoutMs, 'Redis').catch((e: unknown) => {
      throw reason ? redisRefusal(reason) : e;
    });
  } finally {
    probe.disconnect();
  }
}

/** Redis answered and refused (an error reply): say what to fix, marked `refused` for unavailable(). */
function redisRefusal(e: Error): Error {
  if (e.name !== 'ReplyError') return e;
  const m = e.message;
  const reason = /^NOAUTH/.test(m) ? 'it requires a password, and REDIS_URL gives none (redis://:PASSWORD@host:6379, or redis://USER:PASSWORD@host:6379)'
    : /^WRONGPASS/.test(m) ? 'it refuses the user name or password in REDIS_URL (WRONGPASS)'
    : `it refuses the connection: ${m}`;
  return Object.assign(new Error(reason, { cause: e }), { refused: true });
}

async function requireLatestSchema(pool: import('../adapters/postgres-database.ts').PgPool, pgName: string): Promise<void> {
  const { POSTGRES_MIGRATIONS } = await import('../adapters/postgres-migrations.ts');
  const latest = POSTGRES_MIGRATIONS.reduce((m, x) => Math.max(m, x.version), 0);
  let version = 0;
  try {
    version = Number((await pool.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_version')).rows[0]?.v ?? 0);
  } catch { /* no schema_version table: an empty database */ }
  if (version !== latest) {
    throw new MontageError('MONTAGE_E_CONFIG_INVALID', version < latest
      ? `${pgName} has schema version ${version}, this Montage needs ${latest}: run \`montage migrate\` (or set MONTAGE_AUTO_MIGRATE=true).`
      : `${pgName} has schema version ${version}, newer than this Montage knows (${latest}): upgrade Montage.`);
  }
}

function unavailable(name: string, error: unknown): MontageError {
  // The adapters' own MONTAGE_E_UNAVAILABLE says "try again"; the socket's reason says more here.
  const cause = error instanceof MontageError && error.cause instanceof Error ? error.cause : error;
  let reason = (cause instanceof Error ? (cause.message || (cause as NodeJS.ErrnoException).code || cause.name) : String(cause)).replace(/\.+$/, '');
  const waited = /did not answer within (\d+ ms)/.exec(reason);
  if (waited) reason = `no answer within ${waited[1]}`;
  // It answered and said no (a missing bucket, refused credentials): the reason says what to fix.
  if ((cause as { refused?: boolean } | null)?.refused) return new MontageError('MONTAGE_E_UNAVAILABLE', `${name} refuses: ${reason}.`, { cause });
  return new MontageError('MONTAGE_E_UNAVAILABLE', `${name} does not answer: ${reason}. Check that it runs, and that its address and credentials are right.`, { cause });
}


/** Rejects with the first dependency that does not answer within `timeoutMs`, by name. */
export async function checkDependencies(deps: readonly Dependency[], timeoutMs: number): Promise<void> {
  const results = await Promise.allSettled(deps.map((d) => withTimeout(d.ping(timeoutMs), timeoutMs + 100, d.name)));
  const failed = results.map((r, i) => (r.status === 'rejected' ? `${deps[i]!.name}: ${(r.reason as Error)?.message ?? r.reason}` : null)).filter(Boolean);
  if (failed.length > 0) throw new Error(failed.join('; '));
}
