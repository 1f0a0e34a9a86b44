/**
 * The rig of the transactional-outbox tests (src/jobs/final-status-webhook.test.ts, the native
 * webhook; test/shotstack/shotstack-callback-outbox.test.ts, Shotstack's callback): real stores
 * (PostgreSQL, or SQLite, which also carries the embedded job queue), a real engine, and a worker
 * whose every write after the render's final move fails — the outbox's enqueue and the events'
 * publish — as when the database goes away right after that commit. The test submits, leases the
 * job once and runs it; the job is then lost (never acked, never replayed), so whatever is in the
 * outbox was written in the final move's own transaction.
 */
import { join } from 'node:path';
import { createEmbeddedJobQueue } from '../../src/adapters/embedded-job-queue.ts';
import { createFileObjectStore } from '../../src/adapters/file-object-store.ts';
import { createInProcessRenderEvents } from '../../src/adapters/in-process-render-events.ts';
import { openTempPostgres } from '../../src/adapters/postgres-test-db.ts';
import { createSqliteAssetStore } from '../../src/adapters/sqlite-asset-store.ts';
import { createSqliteIdempotencyStore } from '../../src/adapters/sqlite-idempotency-store.ts';
import { createSqliteRenderStore } from '../../src/adapters/sqlite-render-store.ts';
import { createSqliteTemplateStore } from '../../src/adapters/sqlite-template-store.ts';
import { createSqliteWebhookOutbox } from '../../src/adapters/sqlite-webhook-outbox.ts';
import { openTempSqlite } from '../../src/adapters/sqlite-test-db.ts';
import { EMPTY_ALLOW_LIST } from '../../src/assets/allow-list.ts';
import { SafeFetcher } from '../../src/assets/safe-fetcher.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createNotifyFinalStatus } from '../../src/jobs/notify-final-status.ts';
import { createProcessRenderJob } from '../../src/jobs/process-render-job.ts';
import { createSubmitRender } from '../../src/jobs/submit-render.ts';
import { createPostgresStores } from '../../src/main/postgres-stores.ts';
import type { JobQueue } from '../../src/ports/job-queue.ts';
import type { RenderEngine } from '../../src/ports/render-engine.ts';
import type { RenderEvents } from '../../src/ports/render-events.ts';
import type { RenderStore } from '../../src/ports/render-store.ts';
import type { WebhookOutbox } from '../../src/ports/webhook-outbox.ts';

type NotifyOptions = Parameters<typeof createNotifyFinalStatus>[0];

export interface CrashRig {
  readonly stores: { readonly renders: RenderStore; readonly outbox: WebhookOutbox };
  readonly queue: JobQueue;
  readonly submit: ReturnType<typeof createSubmitRender>;
  readonly process: ReturnType<typeof createProcessRenderJob>;
}

const gone = () => Promise.reject(new Error('the database went away'));

/** Runs `body` with the rig on `db`, then closes the databases. */
export const withCrashAfterFinalMove = async (
  db: 'postgres' | 'sqlite', engine: RenderEngine, notifyExtras: Partial<Pick<NotifyOptions, 'signer'>>, body: (rig: CrashRig) => Promise<void>,
): Promise<void> => {
  const lite = openTempSqlite(); // the job carrier (and, for sqlite, the store)
  const pg = db === 'postgres' ? await openTempPostgres() : null;
  try {
    const stores = pg ? createPostgresStores(pg.pool) : {
      renders: createSqliteRenderStore(lite.db), outbox: createSqliteWebhookOutbox(lite.db), idempotency: createSqliteIdempotencyStore(lite.db),
      templates: createSqliteTemplateStore(lite.db), assets: createSqliteAssetStore(lite.db),
    };
    const queue = createEmbeddedJobQueue(lite.db);
    const events = createInProcessRenderEvents();
    // Everything the notification does after the move fails, as with the database gone.
    const brokenOutbox: WebhookOutbox = { ...stores.outbox, enqueue: gone };
    const brokenEvents: RenderEvents = { ...events, publish: gone };
    const notify = createNotifyFinalStatus({ outbox: brokenOutbox, events: brokenEvents, publicUrl: 'https://api.example.com', ...notifyExtras });
    const submit = createSubmitRender({
      engine, renders: stores.renders, queue, idempotency: stores.idempotency, templates: stores.templates, assets: stores.assets, limits: loadConfig({}).limits,
    });
    const process = createProcessRenderJob({
      renders: stores.renders, engine, events, notify, objects: createFileObjectStore(join(lite.dir, 'objects')), assets: stores.assets,
      workRoot: join(lite.dir, 'work'), fetcher: new SafeFetcher({ allowList: EMPTY_ALLOW_LIST }), cancelPollMs: 200,
    });
    await body({ stores, queue, submit, process });
  } finally {
    await pg?.close();
    await lite.close();
  }
};
