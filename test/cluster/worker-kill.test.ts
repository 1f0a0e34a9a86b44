// Issue 4, worker kill: 5 renders in turn, each caught while it renders (status `rendering`, and
// the worker running it reports montage_active_renders 1), whose worker is then killed with
// SIGKILL, process group and ffmpeg included, as when its machine dies. Every render is taken up
// by the other worker once the dead one's lease has run out (MONTAGE_JOB_LEASE 3 s), and succeeds
// there; the killed worker is started again only after that, so it cannot be the one that
// finished it. The webhook receiver gets exactly one `render.succeeded` webhook-id per render,
// each signature verified with the tenant's secret.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { metricValue } from './support/prometheus-text.ts';
import { clusterSkipReason, startCluster, type Cluster, type MontageProcess } from './support/start-cluster.ts';
import { scenesComposition } from './support/tiny-compositions.ts';
import { waitForRender, waitUntil } from './support/wait-for-render.ts';

const skip = clusterSkipReason();

/**
 * Several seconds of work for one ffmpeg thread: 720p at 30 fps. Each round's render differs in
 * every piece (a caption naming the round over the whole video): the piece cache is on by default,
 * and a render identical to an earlier one would reuse its pieces and end before it could be killed.
 */
const slowComposition = (seconds: number, round: number) => {
  const c = scenesComposition(seconds, { fps: 30 });
  const caption = { asset: { type: 'text', text: `round ${round + 1}`, font: { size: 20, color: '#ffffff' } }, start: 0, length: seconds, position: 'bottom' };
  return { ...c, output: { ...(c.output as object), width: 1280, height: 720 }, tracks: [...(c.tracks as object[]), { clips: [caption] }] };
};

const activeRenders = async (w: MontageProcess) => metricValue((await w.get('/metrics')).text, 'montage_active_renders');
const finishedBy = (w: MontageProcess, renderId: string) =>
  w.records().filter((l) => l.msg === 'job finished' && l.renderId === renderId && l.outcome === 'ack');

describe('cluster: a worker killed in the middle of a render', { skip: skip ?? false }, () => {
  let c: Cluster;
  before(async () => { c = await startCluster({ apis: 1, workers: 2 }); });
  after(async () => { await c?.stop(); });

  it('5 renders, each killed mid-render on its worker, all succeed on the other with one webhook each', async () => {
    const ids: string[] = [];
    const killedOn: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await c.client.createRender({ composition: slowComposition(20, i), metadata: { n: i }, webhook: { url: c.webhooks.url } } as never);
      ids.push(r.id);
      // Caught rendering: which worker has it?
      const victim = await waitUntil(`render ${i + 1} rendering on a worker`, async () => {
        const now = await c.client.getRender(r.id);
        assert.ok(!['succeeded', 'failed', 'canceled'].includes(now.status), `render ${i + 1} ended (${now.status}) before it could be caught rendering: make it longer`);
        if (now.status !== 'rendering' || now.progress < 0.05) return null;
        for (const w of c.workers) if (w.running && await activeRenders(w) === 1) return w;
        return null;
      }, { timeoutMs: 60_000, intervalMs: 50 });
      const survivor = c.workers.find((w) => w !== victim)!;
      assert.equal(await activeRenders(survivor), 0);
      const exit = await victim.kill('SIGKILL');
      assert.equal(exit?.signal, 'SIGKILL');
      killedOn.push(victim.name);

      const done = await waitForRender(c.client, r.id, undefined, { timeoutMs: 120_000, intervalMs: 250 });
      assert.equal(done.status, 'succeeded', `render ${i + 1}: ${JSON.stringify(done.error)}`);
      // The render is final just before its job is acked and logged.
      await waitUntil(`render ${i + 1}'s job finished on ${survivor.name}`, () => finishedBy(survivor, r.id).length === 1, { timeoutMs: 15_000 });
      assert.ok(Number(finishedBy(survivor, r.id)[0]!.attempts) >= 2, 'a second lease of the same job');
      await victim.start(); // back for the next round
    }

    // One render.succeeded per render, one webhook-id each, every signature valid.
    await waitUntil('a webhook for each render', () => new Set(c.webhooks.verified(c.webhookSecret).map((h) => h.data.id)).size === 5, { timeoutMs: 30_000 });
    await new Promise((ok) => setTimeout(ok, 2_000)); // a duplicate would come about now
    const hooks = c.webhooks.verified(c.webhookSecret);
    for (const id of ids) {
      const mine = hooks.filter((h) => h.data.id === id);
      assert.deepEqual(mine.map((h) => h.type), ['render.succeeded'], `render ${id}'s webhooks`);
      assert.equal(new Set(mine.map((h) => h.id)).size, 1);
    }
    assert.equal(hooks.length, 5, 'no other webhook');
    console.log(`killed: ${killedOn.join(', ')}`);
  });
});
