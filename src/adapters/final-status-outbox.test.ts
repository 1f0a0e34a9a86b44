// The transactional-outbox contract (src/ports/final-status-outbox.contract.ts) against both
// databases: the render store and the webhook outbox on one fresh database each.
import { finalStatusOutboxContract } from '../ports/final-status-outbox.contract.ts';
import { openTempPostgres } from './postgres-test-db.ts';
import { createPostgresRenderStore } from './postgres-render-store.ts';
import { createPostgresWebhookOutbox } from './postgres-webhook-outbox.ts';
import { openTempSqlite } from './sqlite-test-db.ts';
import { createSqliteRenderStore } from './sqlite-render-store.ts';
import { createSqliteWebhookOutbox } from './sqlite-webhook-outbox.ts';

finalStatusOutboxContract('sqlite', async () => {
  const t = openTempSqlite();
  return { store: { renders: createSqliteRenderStore(t.db), outbox: createSqliteWebhookOutbox(t.db) }, close: t.close };
});

finalStatusOutboxContract('postgres', async () => {
  const t = await openTempPostgres();
  return { store: { renders: createPostgresRenderStore(t.pool), outbox: createPostgresWebhookOutbox(t.pool) }, close: t.close };
});
