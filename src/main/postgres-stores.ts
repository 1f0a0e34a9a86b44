/** Every record store of the scale-out roles, on one PostgreSQL pool. */
import { createPostgresAssetStore } from '../adapters/postgres-asset-store.ts';
import { createPostgresChunkStore } from '../adapters/postgres-chunk-store.ts';
export { createPostgresPieceCache } from '../adapters/postgres-piece-cache.ts';
import type { PgPool } from '../adapters/postgres-database.ts';
import { createPostgresIdempotencyStore } from '../adapters/postgres-idempotency-store.ts';
import { createPostgresKeyStore } from '../adapters/postgres-key-store.ts';
import { createPostgresRenderStore } from '../adapters/postgres-render-store.ts';
import { createPostgresTemplateStore } from '../adapters/postgres-template-store.ts';
import { createPostgresWebhookOutbox } from '../adapters/postgres-webhook-outbox.ts';

export function createPostgresStores(pool: PgPool) {
  return {
    renders: createPostgresRenderStore(pool),
    keys: createPostgresKeyStore(pool),
    assets: createPostgresAssetStore(pool),
    templates: createPostgresTemplateStore(pool),
    idempotency: createPostgresIdempotencyStore(pool),
    outbox: createPostgresWebhookOutbox(pool),
    chunks: createPostgresChunkStore(pool),
  };
}
