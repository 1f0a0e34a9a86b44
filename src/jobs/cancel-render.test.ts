import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createInProcessRenderEvents } from '../adapters/in-process-render-events.ts';
import { createSqliteRenderStore } from '../adapters/sqlite-render-store.ts';
import { createSqliteWebhookOutbox } from '../adapters/sqlite-webhook-outbox.ts';
import { openTempSqlite } from '../adapters/sqlite-test-db.ts';
import type { RenderEvent } from '../ports/render-events.ts';
import { createCancelRender } from './cancel-render.ts';
import { createNotifyFinalStatus } from './notify-final-status.ts';
import { watchCancel } from './watch-cancel.ts';

const setup = () => {
  const t = openTempSqlite();
  const renders = createSqliteRenderStore(t.db);
  const outbox = createSqliteWebhookOutbox(t.db);
  const events = createInProcessRenderEvents();
  const notify = createNotifyFinalStatus({ outbox, events, publicUrl: 'https://api.example.com' });
  const cancel = createCancelRender({ renders, notify });
  const make = (id: string, webhookUrl: string | null = 'https://hooks.example.com/x') => renders.create({
    id, tenant: 't1', priority: 'normal', composition: {}, duration: 2, format: 'mp4', webhookUrl, metadata: { a: 1 },
  });
  return { t, renders, outbox, events, cancel, make };
};

describe('cancel render', () => {
  it('cancels a queued render once, queues one signed-later webhook, and is idempotent', async () => {
    const s = setup();
    try {
      await s.make('rnd_1');
      const seen: RenderEvent[] = [];
      await s.events.subscribe('rnd_1', (e) => seen.push(e));
      const first = await s.cancel('t1', 'rnd_1');
      assert.equal(first.status, 'canceled');
      assert.equal(first.error?.code, 'MONTAGE_E_RENDER_CANCELED');
      const again = await s.cancel('t1', 'rnd_1');
      assert.equal(again.finishedAt, first.finishedAt);
      const deliveries = await s.outbox.listForRender('t1', 'rnd_1');
      assert.equal(deliveries.length, 1);
      const body = JSON.parse(deliveries[0]!.payload) as { type: string; data: { id: string; status: string; metadata: unknown } };
      assert.equal(body.type, 'render.canceled');
      assert.deepEqual([body.data.id, body.data.status, body.data.metadata], ['rnd_1', 'canceled', { a: 1 }]);
      assert.ok(seen.some((e) => e.type === 'status' && e.status === 'canceled'));
    } finally { await s.t.close(); }
  });

  it("refuses a finished render, and hides another tenant's", async () => {
    const s = setup();
    try {
      await s.make('rnd_2', null);
      await s.renders.transition('t1', 'rnd_2', { from: 'queued', to: 'failed', error: { code: 'MONTAGE_E_RENDER_FAILED', message: 'x' } });
      await assert.rejects(s.cancel('t1', 'rnd_2'), { code: 'MONTAGE_E_CONFLICT' });
      await assert.rejects(s.cancel('t2', 'rnd_2'), { code: 'MONTAGE_E_NOT_FOUND' });
    } finally { await s.t.close(); }
  });

  it('signals a running render through events at once, and by polling when no event arrives', async () => {
    const s = setup();
    try {
      await s.make('rnd_3', null);
      await s.renders.transition('t1', 'rnd_3', { from: 'queued', to: 'preparing' });
      const w = await watchCancel(s, 't1', 'rnd_3', 100);
      const started = Date.now();
      await s.cancel('t1', 'rnd_3');
      assert.equal(w.signal.aborted, true, 'the in-process event aborts synchronously');
      await w.stop();

      await s.make('rnd_4', null);
      await s.renders.transition('t1', 'rnd_4', { from: 'queued', to: 'preparing' });
      const quiet = await watchCancel({ renders: s.renders, events: createInProcessRenderEvents() }, 't1', 'rnd_4', 100);
      await s.cancel('t1', 'rnd_4');
      await new Promise<void>((r) => quiet.signal.addEventListener('abort', () => r(), { once: true }));
      assert.ok(Date.now() - started < 2_000);
      await quiet.stop();
    } finally { await s.t.close(); }
  });
});
