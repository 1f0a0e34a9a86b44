// The hole the transactional outbox closes (issue 16, part 3.1): a worker commits a render's final
// status, then the database goes away before the webhook is queued (here: every write after the
// final move fails), and the queue loses the job, so no retry ever replays the notification. The
// webhook must still be in the outbox, because it was written in the final move's own transaction.
// Real engine, real ffmpeg, real PostgreSQL (the scale-out store) and real SQLite (the embedded one).
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { RenderEngine } from '../ports/render-engine.ts';
import { withCrashAfterFinalMove } from '../../test/support/crash-after-final-move.ts';
import { loadRealEngine } from './load-real-engine.ts';

let engine: RenderEngine | undefined;
let skip: string | undefined;
before(async () => {
  const r = await loadRealEngine();
  if ('engine' in r) engine = r.engine; else skip = r.skip;
});

for (const db of ['postgres', 'sqlite'] as const) {
  describe(`a final status always has its webhook (${db})`, () => {
    it('keeps the webhook when the notification after the final commit fails and the job is lost', async (t) => {
      if (skip) return t.skip(skip);
      await withCrashAfterFinalMove(db, engine!, {}, async ({ stores, queue, submit, process }) => {
        const { render } = await submit('t1', {
          composition: { output: { format: 'mp4', width: 160, height: 90, fps: 5 }, tracks: [{ clips: [{ asset: { type: 'color', color: '#0000ff' }, start: 0, length: 0.6 }] }] },
          webhook: { url: 'https://hooks.example.com/montage' },
      });
      const job = await queue.lease({ workerId: 'w', leaseMs: 60_000 });
      await process(job!, new AbortController().signal).catch(() => 'the notification failed');
      // The job is lost here: never acked, never replayed.
      const done = await stores.renders.get('t1', render.id);
      assert.equal(done?.status, 'succeeded');
      const hooks = await stores.outbox.listForRender('t1', render.id);
      assert.deepEqual(hooks.map((h) => [h.eventType, h.status]), [['render.succeeded', 'pending']]);
      const body = JSON.parse(hooks[0]!.payload) as { type: string; data: { id: string; status: string; outputs: Record<string, { url: string }> } };
      assert.deepEqual([body.type, body.data.id, body.data.status], ['render.succeeded', render.id, 'succeeded']);
      assert.match(body.data.outputs.video!.url, /^https:\/\/api\.example\.com\/v1\/renders\/.+\/output/);
      // The dispatcher's next pass picks it up.
      assert.deepEqual((await stores.outbox.claimDue(Date.now() + 1_000, 10, 60_000)).map((d) => d.id), [hooks[0]!.id]);
      });
    });
  });
}
