// Issue 4, Redis restart: a cluster (1 api, 2 workers) on a redis-server of the test's own without
// persistence. Both workers are busy with a long render and 10 more renders wait in the queue when
// Redis is killed and started again empty: every job is lost. While it is down every process's
// /readyz answers 503, and a submission still gets its 202 (the row is the truth); once it is back
// they answer 200 again, and all 13 renders succeed: the reconciler queues the lost ones again; a
// busy worker either finishes its render (the row is what counts) or, its lease gone, hands the
// render back, and the reconciler queues it again. No process exits or restarts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metricValue } from './support/prometheus-text.ts';
import { redisServerMissing, startPrivateRedis, type PrivateRedis } from './support/private-redis.ts';
import { clusterSkipReason, startCluster, type Cluster, type MontageProcess } from './support/start-cluster.ts';
import { scenesComposition, tinyComposition } from './support/tiny-compositions.ts';
import { waitForRender, waitUntil } from './support/wait-for-render.ts';

const skip = clusterSkipReason() ?? redisServerMissing();

const slowComposition = (seconds: number) => {
  const c = scenesComposition(seconds, { fps: 30 });
  return { ...c, output: { ...(c.output as object), width: 1280, height: 720 } };
};

describe('cluster: Redis restarts without persistence', { skip: skip ?? false }, () => {
  let redis: PrivateRedis;
  let c: Cluster;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'montage-cluster-redis-'));
    redis = await startPrivateRedis(dir);
    c = await startCluster({ apis: 1, workers: 2, redisUrl: redis.url });
  });
  after(async () => {
    await c?.stop();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses every queued job, yet all renders succeed; /readyz is 503 while it is down; nothing crash-loops', async () => {
    const procs: MontageProcess[] = [...c.apis, ...c.workers];
    const pids = procs.map((p) => p.pid);

    // Both workers busy, ten more waiting.
    const busy = await Promise.all([0, 1].map((i) => c.client.createRender({ composition: slowComposition(30), metadata: { busy: i } } as never)));
    await waitUntil('both workers rendering', async () =>
      (await Promise.all(c.workers.map(async (w) => metricValue((await w.get('/metrics')).text, 'montage_active_renders')))).every((n) => n === 1),
    { timeoutMs: 60_000 });
    const queued = [];
    for (let i = 0; i < 10; i++) queued.push(await c.client.createRender({ composition: tinyComposition({ label: `queued ${i + 1}` }), webhook: { url: c.webhooks.url } } as never));
    const depth = metricValue((await c.apis[0]!.get('/metrics')).text, 'montage_queue_depth', { state: 'waiting' });
    assert.ok(depth >= 10, `${depth} jobs waiting before the restart`);

    await redis.stop();
    await Promise.all(procs.map((p) => p.waitReadiness(503, 20_000)));
    const ready = await c.apis[0]!.get('/readyz');
    assert.match(ready.text, /Redis/, 'the 503 names Redis');
    // Accepted while Redis is away: recorded, queued by the reconciler later.
    const during = await c.client.createRender({ composition: tinyComposition({ label: 'during' }), webhook: { url: c.webhooks.url } } as never);
    assert.equal(during.status, 'queued');
    await new Promise((ok) => setTimeout(ok, 2_000));

    await redis.start(); // empty: no job, no lock, no counter survived
    await Promise.all(procs.map((p) => p.waitReadiness(200, 60_000)));

    const all = [...busy, ...queued, during];
    const done = await Promise.all(all.map((r) => waitForRender(c.client, r.id, undefined, { timeoutMs: 240_000, intervalMs: 500 })));
    assert.deepEqual(done.map((r) => r.status), Array(all.length).fill('succeeded'), JSON.stringify(done.map((r) => [r.id, r.status, r.error])));

    // The reconciler did it: its log names the renders it queued again. (The submission made while
    // Redis was away may instead be queued by its api's own enqueue, which ioredis holds until the
    // connection is back; ids deduplicate, so both are harmless.)
    const requeued = new Set(c.workers.flatMap((w) => w.records().filter((l) => l.msg === 'reconciler repaired renders').flatMap((l) => l.requeued as string[])));
    for (const r of queued) assert.ok(requeued.has(r.id), `${r.id} re-queued by a reconciler`);
    // Same processes all along.
    assert.deepEqual(procs.map((p) => [p.name, p.running, p.starts, p.pid]), procs.map((p, i) => [p.name, true, 1, pids[i]]));
    await waitUntil('11 webhooks', () => c.webhooks.deliveries.length >= 11, { timeoutMs: 30_000 });
    assert.deepEqual(c.webhooks.verified(c.webhookSecret).map((h) => h.data.id).sort(), [...queued, during].map((r) => r.id).sort());
  });

  it('SIGTERM while Redis is down: the api and a worker still exit 0, promptly', async () => {
    await redis.stop();
    await Promise.all([c.apis[0]!, c.workers[0]!].map((p) => p.waitReadiness(503, 20_000)));
    const started = Date.now();
    const exits = await Promise.all([c.apis[0]!, c.workers[0]!].map(async (p) => ({ name: p.name, exit: await p.kill('SIGTERM'), ms: Date.now() - started })));
    for (const e of exits) {
      assert.deepEqual(e.exit, { code: 0, signal: null }, `${e.name} exit`);
      assert.ok(e.ms < 15_000, `${e.name} took ${e.ms} ms to stop`);
    }
    console.log(`stopped with Redis down: ${exits.map((e) => `${e.name} ${e.ms} ms`).join(', ')}`);
  });
});
