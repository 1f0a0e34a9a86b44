// A Shotstack Edit's callback is written in the render's final move's own transaction, as the
// native webhook is (docs/reliability.md, "Final status and webhook in one transaction"): a worker
// commits `succeeded`, then every write after it fails (the database went away: outbox and events
// down) and the queue loses the job, so nothing replays the notification. The callback must still
// be pending in the outbox, with Shotstack's body and a signed link to the video.
// Real engine, real ffmpeg, real PostgreSQL and real SQLite.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadRealEngine } from '../../src/jobs/load-real-engine.ts';
import { withCrashAfterFinalMove } from '../support/crash-after-final-move.ts';
import type { RenderEngine } from '../../src/ports/render-engine.ts';
import { importShotstackEdit } from '../../src/shotstack/edit-to-composition.ts';
import { CALLBACK_METADATA_KEY } from '../../src/shotstack/shotstack-views.ts';
import { createOutputLinkSigner } from '../../src/shotstack/signed-output-links.ts';

let engine: RenderEngine | undefined;
let skip: string | undefined;
before(async () => {
  const r = await loadRealEngine();
  if ('engine' in r) engine = r.engine; else skip = r.skip;
});

const signer = createOutputLinkSigner('callback-test-secret-0123456789abcdef');
const edit = {
  timeline: { background: '#0000ff', tracks: [{ clips: [{ asset: { type: 'shape', shape: 'rectangle', rectangle: { width: 40, height: 20 }, fill: { color: '#ffffff' } }, start: 0, length: 0.6 }] }] },
  output: { format: 'mp4', size: { width: 160, height: 90 }, fps: 5 },
  callback: 'https://hooks.example.com/shotstack',
};

for (const db of ['postgres', 'sqlite'] as const) {
  describe(`a Shotstack render's callback survives a crash after its final move (${db})`, () => {
    it('is pending in the outbox when every write after the final commit fails and the job is lost', async (t) => {
      if (skip) return t.skip(skip);
      await withCrashAfterFinalMove(db, engine!, { signer }, async ({ stores, queue, submit, process }) => {
        // What POST /edit/v1/render does with an Edit that has a callback.
        const imported = importShotstackEdit(edit);
        assert.deepEqual(imported.problems, []);
        const { render } = await submit('t1', { composition: imported.composition }, { serviceMetadata: { [CALLBACK_METADATA_KEY]: imported.callback } });
        const job = await queue.lease({ workerId: 'w', leaseMs: 60_000 });
        const outcome = await process(job!, new AbortController().signal).then(() => 'notified', () => 'the notification failed');
        assert.equal(outcome, 'the notification failed', 'every write after the final move failed');
        // The job is lost here: never acked, never replayed.
        const done = await stores.renders.get('t1', render.id);
        assert.equal(done?.status, 'succeeded');
        const queued = await stores.outbox.listForRender('t1', render.id);
        assert.deepEqual(queued.map((h) => [h.eventType, h.url, h.status]), [['shotstack.render', 'https://hooks.example.com/shotstack', 'pending']]);
        const body = JSON.parse(queued[0]!.payload) as { type: string; action: string; id: string; status: string; url: string; error: null; completed: string };
        assert.deepEqual([body.type, body.action, body.id, body.status, body.error], ['edit', 'render', render.id, 'done', null]);
        assert.equal(body.completed, done!.finishedAt);
        // The link is the signed output route: it verifies for this tenant and render, a week long.
        const u = new URL(body.url);
        assert.equal(`${u.origin}${u.pathname}`, `https://api.example.com/edit/v1/render/${render.id}/output`);
        assert.deepEqual(signer.verify(render.id, Object.fromEntries(u.searchParams)), { tenant: 't1', kind: 'video' });
        assert.equal(Number(u.searchParams.get('expires')), Math.floor(Date.parse(done!.finishedAt!) / 1000 + 7 * 24 * 3600));
        // The dispatcher's next pass picks it up.
        assert.deepEqual((await stores.outbox.claimDue(Date.now() + 1_000, 10, 60_000)).map((d) => d.id), [queued[0]!.id]);
      });
    });
  });
}
