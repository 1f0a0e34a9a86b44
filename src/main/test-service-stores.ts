/**
 * The stores behind start-test-service.ts: opened directly for tests that need a state no route
 * makes, and, for scale-out, made fresh per service: a PostgreSQL database, a Redis key prefix and
 * an s3rver bucket, on the servers the tests run against (127.0.0.1:5432 and :6379; override with
 * MONTAGE_TEST_POSTGRES_URL and MONTAGE_TEST_REDIS_URL).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config, ConfigVariable } from '../config/load-config.ts';
import { openSqlite } from '../adapters/sqlite-database.ts';
import { createSqliteIdempotencyStore } from '../adapters/sqlite-idempotency-store.ts';
import { createSqliteKeyStore } from '../adapters/sqlite-key-store.ts';
import { createSqliteRenderStore } from '../adapters/sqlite-render-store.ts';
import { createSqliteWebhookOutbox } from '../adapters/sqlite-webhook-outbox.ts';
import type { IdempotencyStore } from '../ports/idempotency-store.ts';
import type { KeyStore } from '../ports/key-store.ts';
import type { RenderStore } from '../ports/render-store.ts';
import type { WebhookOutbox } from '../ports/webhook-outbox.ts';

export interface OpenedStores {
  readonly idempotency: IdempotencyStore;
  readonly keys: KeyStore;
  /** For states no route makes (a succeeded render without a worker, a failed delivery). */
  readonly renders: RenderStore;
  readonly outbox: WebhookOutbox;
  close(): Promise<void>;
}

export async function openEmbeddedStores(config: Config): Promise<OpenedStores> {
  const db = openSqlite(config.paths.sqlite, { migrate: false });
  return {
    idempotency: createSqliteIdempotencyStore(db), keys: createSqliteKeyStore(db),
    renders: createSqliteRenderStore(db), outbox: createSqliteWebhookOutbox(db), async close() { db.close(); },
  };
}

const TEST_POSTGRES_URL = process.env.MONTAGE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TEST_REDIS_URL = process.env.MONTAGE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** s3rver's fixed credentials. */
const S3RVER_KEY = 'S3RVER';

export interface ScaleOutStores {
  /** The variables that point the roles at these stores. */
  readonly env: Partial<Record<ConfigVariable, string>>;
  openStores(): Promise<OpenedStores>;
  close(): Promise<void>;
}

export async function startScaleOutStores(): Promise<ScaleOutStores> {
  const [{ default: pg }, { default: S3rver }, { CreateBucketCommand, S3Client }] = await Promise.all([
    import('pg'), import('s3rver'), import('@aws-sdk/client-s3'),
  ]);
  const id = randomBytes(5).toString('hex');
  const database = `montage_t_${id}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await c.connect();
    try { await c.query(sql); } finally { await c.end(); }
  };
  await admin(`CREATE DATABASE ${database}`);
  const dbUrl = new URL(TEST_POSTGRES_URL);
  dbUrl.pathname = `/${database}`;

  const s3dir = mkdtempSync(join(tmpdir(), 'montage-s3rver-'));
  const s3 = new S3rver({ port: 0, address: '127.0.0.1', directory: s3dir, silent: true });
  const { port } = await s3.run();
  const endpoint = `http://127.0.0.1:${port}`;
  // The SDK's default credential chain reads these; s3rver accepts only its own pair.
  process.env.AWS_ACCESS_KEY_ID ??= S3RVER_KEY;
  process.env.AWS_SECRET_ACCESS_KEY ??= S3RVER_KEY;
  const client = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_KEY } });
  try { await client.send(new CreateBucketCommand({ Bucket: `montage-${id}` })); } finally { client.destroy(); }
  const prefix = `montage-test-${id}`;

  return {
    env: {
      DATABASE_URL: dbUrl.toString(), REDIS_URL: TEST_REDIS_URL, MONTAGE_REDIS_PREFIX: prefix,
      MONTAGE_STORAGE: `s3://montage-${id}/objects`, S3_ENDPOINT: endpoint,
    },
    async openStores() {
      const [{ openPostgres }, { createPostgresIdempotencyStore }, { createPostgresKeyStore }, { createPostgresRenderStore }, { createPostgresWebhookOutbox }] = await Promise.all([
        import('../adapters/postgres-database.ts'), import('../adapters/postgres-idempotency-store.ts'), import('../adapters/postgres-key-store.ts'),
        import('../adapters/postgres-render-store.ts'), import('../adapters/postgres-webhook-outbox.ts'),
      ]);
      const pool = await openPostgres(dbUrl.toString(), { migrate: false, max: 2 });
      return {
        idempotency: createPostgresIdempotencyStore(pool), keys: createPostgresKeyStore(pool),
        renders: createPostgresRenderStore(pool), outbox: createPostgresWebhookOutbox(pool), close: () => pool.end(),
      };
    },
    async close() {
      await s3.close().catch(() => {});
      rmSync(s3dir, { recursive: true, force: true });
      const { deleteKeysWithPrefix } = await import('../adapters/redis-test-keys.ts');
      await deleteKeysWithPrefix(prefix, TEST_REDIS_URL).catch(() => {});
      await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
    },
  };
}
