// Store outages under load (issue 7), on the 2+2 cluster. The machine's PostgreSQL and Redis serve
// other tests at the same time, so neither is stopped here:
//
// - PostgreSQL: the cluster reaches it through a TCP proxy of the test's (test/support/tcp-proxy.ts);
//   `cut()` drops every connection and refuses new ones, as a restarting server does, `restore()`
//   lets them through again.
// - Redis: the cluster runs on a redis-server of the test's own without persistence, really killed
//   and started again: it comes back empty, every queued job lost.
//
// Submissions (with a webhook) and status reads go on through nginx the whole time, and every
// process's /readyz is polled. Passing: /readyz answers 503 on every process during the outage and
// 200 on all of them within 30 s of the store's return; every render answered 202, before, during
// or after, succeeds with one webhook; the queue ends empty. npm test: one outage of each store;
// MONTAGE_SOAK=1: three of each, longer.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_POSTGRES_URL } from '../../src/adapters/postgres-test-db.ts';
import { redisServerMissing, startPrivateRedis, type PrivateRedis } from '../cluster/support/private-redis.ts';
import { clusterSkipReason } from '../cluster/support/start-cluster.ts';
import { waitUntil } from '../cluster/support/wait-for-render.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { clusterTarget, tinyRender, type LoadTarget } from './support/load-targets.ts';

const SOAK = process.env.MONTAGE_SOAK === '1';
const CYCLES = SOAK ? 3 : 1;
const OUTAGE_MS = SOAK ? 15_000 : 5_000;
const RECOVERY_BOUND_S = 30;
const report = (line: string) => console.log(`# ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Submissions at `perSecond`, each followed by a status read, until stop(); what each answered. */
function startSubmitting(t: LoadTarget, perSecond: number) {
  const accepted: string[] = [];
  const answers = new Map<number, number>();
  const refusals: string[] = [];
  let n = 0;
  let stopped = false;
  const inFlight = new Set<Promise<void>>();
  const one = async () => {
    const i = n++;
    try {
      const res = await t.client.request('POST', '/v1/renders', { body: tinyRender(1_000_000 + i, t.webhooks.url) });
      answers.set(res.status, (answers.get(res.status) ?? 0) + 1);
      const text = await res.text();
      if (res.status === 202) {
        const id = (JSON.parse(text) as { id: string }).id;
        accepted.push(id);
        await t.client.request('GET', `/v1/renders/${id}`).then((r) => r.arrayBuffer());
      } else if (refusals.length < 50) refusals.push(`${res.status} ${text.slice(0, 160)}`);
    } catch (e) {
      answers.set(0, (answers.get(0) ?? 0) + 1);
      if (refusals.length < 50) refusals.push(`no answer: ${(e as Error).message}`);
    }
  };
  const loop = (async () => {
    while (!stopped) {
      const p = one().finally(() => inFlight.delete(p));
      inFlight.add(p);
      await sleep(1000 / perSecond);
    }
    await Promise.all(inFlight);
  })();
  return { accepted, answers, refusals, async stop() { stopped = true; await loop; } };
}

/** Polls every process's /readyz; keeps, per process, the statuses seen in order with their times. */
function watchReadiness(t: LoadTarget) {
  // One loop per process, each sample dated when its request was sent: a process slowed by a
  // render on this 2-core machine may answer late, but a 503 to a request sent during the outage
  // is what proves it noticed; and a slow one does not hold back the others' samples. A request is
  // sent every 200 ms without waiting for the one before (at most 8 in flight a process), so one
  // slow answer cannot leave the whole outage unsampled.
  const seen = new Map<string, { at: number; status: number; ms: number }[]>();
  let stopped = false;
  const loops = t.processes.map(async (p) => {
    const inFlight = new Set<Promise<void>>();
    while (!stopped) {
      if (inFlight.size < 8) {
        const at = Date.now();
        const one: Promise<void> = p.get('/readyz').then((r) => r.status, () => 0).then((status) => {
          const list = seen.get(p.name) ?? [];
          list.push({ at, status, ms: Date.now() - at });
          seen.set(p.name, list);
        }).finally(() => inFlight.delete(one));
        inFlight.add(one);
      }
      await sleep(200);
    }
    await Promise.all(inFlight);
  });
  return {
    /** Per process: whether a /readyz request sent between `from` and `to` was answered 503. */
    saw503(from: number, to: number): Record<string, boolean> {
      return Object.fromEntries(t.processes.map((p) => [p.name, (seen.get(p.name) ?? []).some((s) => s.at >= from && s.at <= to && s.status === 503)]));
    },
    /** What the named processes answered to requests sent from `from` to `to`: time sent (ms from `from`), status, ms to answer. */
    samples(names: readonly string[], from: number, to: number): string {
      return names.map((n) => `${n}: ${(seen.get(n) ?? []).filter((s) => s.at >= from && s.at <= to).map((s) => `+${s.at - from} ${s.status} (${s.ms} ms)`).join(', ')}`).join('; ');
    },
    /** Waits for every process's answer to a request sent before now, so saw503 sees them. */
    async settle() { const now = Date.now(); await waitUntil('the /readyz answers in flight', async () => t.processes.every((p) => (seen.get(p.name) ?? []).some((s) => s.at >= now)), { timeoutMs: 15_000, intervalMs: 50 }); },
    async stop() { stopped = true; await Promise.all(loops); },
  };
}

/** A process's last log lines, for a failure's message. */
const lastLines = (p: LoadTarget['processes'][number]) => p.lines.slice(-12).map((l) => l.slice(0, 400)).join('\n    ');

const skip = clusterSkipReason() ?? redisServerMissing();

describe(`store outages under load on the 2+2 cluster: ${CYCLES} of PostgreSQL and of Redis, ${OUTAGE_MS / 1000} s each`, { skip: skip ?? false }, () => {
  let t: LoadTarget;
  let redis: PrivateRedis;
  let pg: TcpProxy;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'montage-outage-'));
    redis = await startPrivateRedis(join(dir, 'redis'));
    const target = new URL(TEST_POSTGRES_URL);
    pg = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    t = await clusterTarget({
      redisUrl: redis.url,
      databaseUrlFor: (url) => { const u = new URL(url); u.hostname = '127.0.0.1'; u.port = String(pg.port); return u.toString(); },
    });
  });
  after(async () => {
    pg?.restore();
    if (redis && !redis.running) await redis.start().catch(() => {});
    await t?.stop();
    await redis?.stop();
    await pg?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const outages = [
    { store: 'PostgreSQL', down: () => pg.cut(), up: async () => pg.restore() },
    { store: 'Redis', down: () => redis.stop(), up: () => redis.start() },
  ];

  it('nothing accepted is lost, /readyz tracks each outage, every process is ready again within 30 s', async () => {
    const load = startSubmitting(t, 10);
    const readiness = watchReadiness(t);
    const recoveries: { store: string; seconds: number }[] = [];
    try {
      await sleep(3_000);
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        for (const o of outages) {
          const wentDown = Date.now();
          await o.down();
          // Every process notices within the outage (its dependency check has a 1 s bound).
          await sleep(OUTAGE_MS);
          const cameBack = Date.now();
          await o.up();
          await readiness.settle();
          const saw = readiness.saw503(wentDown, cameBack);
          const missed = Object.keys(saw).filter((n) => !saw[n]);
          // A process that did not answer at all (status 0): whether it still ran, and what it last logged.
          const state = t.processes.filter((p) => missed.includes(p.name))
            .map((p) => `${p.name}: running ${p.running}, started ${p.starts}×, last log lines:\n    ${lastLines(p)}`);
          assert.deepEqual(missed, [], `${o.store} away: /readyz 503 on every process: ${JSON.stringify(saw)}; what those answered from 2 s before to 5 s after: ${readiness.samples(missed, wentDown - 2_000, cameBack + 5_000)}\n${state.join('\n')}`);
          // The last answer of each process, named in the failure if one never comes back.
          let last: string[] = [];
          await waitUntil(`every /readyz 200 after ${o.store} came back`, async () => {
            const all = await Promise.all(t.processes.map((p) => p.get('/readyz').then((r) => ({ status: r.status, text: r.text }), (e: Error) => ({ status: 0, text: e.message }))));
            last = all.map((a, i) => `${t.processes[i].name}: ${a.status} ${a.text.slice(0, 300)}`);
            return all.every((a) => a.status === 200);
          }, { timeoutMs: 60_000, intervalMs: 100 }).catch((e: Error) => {
            const logs = t.processes.map((p) => `${p.name}: ${lastLines(p)}`);
            throw new Error(`${e.message}\nlast /readyz answers:\n  ${last.join('\n  ')}\nlast log lines:\n  ${logs.join('\n  ')}`);
          });
          const seconds = (Date.now() - cameBack) / 1000;
          // Ready again, and the same processes: an outage is waited out, never died of.
          assert.deepEqual(t.processes.filter((p) => !p.running || p.starts !== 1).map((p) => p.name), [], `${o.store}: a process ended during the outage`);
          recoveries.push({ store: o.store, seconds });
          report(`${o.store} outage ${cycle + 1}: every /readyz 200 again ${seconds.toFixed(1)} s after it came back`);
          assert.ok(seconds < RECOVERY_BOUND_S, `${o.store}: ready again after ${seconds.toFixed(1)} s`);
          await sleep(3_000);
        }
      }
    } finally {
      await load.stop();
      await readiness.stop();
    }
    report(`submissions: ${[...load.answers.entries()].map(([s, n]) => `${s || 'no answer'}×${n}`).join(' ')}`);
    const unexpected = load.refusals.filter((r) => !r.startsWith('503 '));
    assert.deepEqual(unexpected, [], 'a submission the service could not take is a 503, nothing else');

    // Every accepted render succeeds, with one webhook-id.
    const ids = new Set(load.accepted);
    const hooks = () => t.webhooks.verified(t.webhookSecret).filter((w) => ids.has(w.data.id));
    const started = Date.now();
    await waitUntil(`a webhook for each of the ${ids.size} accepted renders`, () => new Set(hooks().map((w) => w.data.id)).size === ids.size,
      { timeoutMs: 300_000, intervalMs: 500 }).catch(async (e: Error) => {
      const got = new Set(hooks().map((w) => w.data.id));
      const missing = [...ids].filter((id) => !got.has(id)).slice(0, 5);
      // What became of each: its status, its webhook deliveries, and what the processes logged of it.
      const states = await Promise.all(missing.map(async (id) => {
        const status = await t.client.getRender(id).then((r) => `${r.status} ${JSON.stringify(r.error)}`, (x: Error) => x.message);
        const outbox = await t.cluster!.db.query('SELECT status, attempts, last_error FROM webhook_deliveries WHERE render_id = $1', [id]).catch((x: Error) => x.message);
        const logs = t.processes.flatMap((p) => p.lines.filter((l) => l.includes(id)).map((l) => `${p.name}: ${l.slice(0, 300)}`));
        return `${id} ${status}; deliveries ${JSON.stringify(outbox)}\n  ${logs.join('\n  ')}`;
      }));
      throw new Error(`${e.message}\n${states.join('\n')}`);
    });
    report(`${ids.size} accepted renders all delivered their webhook, the last ${((Date.now() - started) / 1000).toFixed(1)} s after the load stopped`);
    await sleep(1_000);
    const byRender = new Map<string, Set<string>>();
    for (const h of hooks()) {
      assert.equal(h.type, 'render.succeeded', `${h.data.id}: ${JSON.stringify(h.data).slice(0, 300)}`);
      byRender.set(h.data.id, (byRender.get(h.data.id) ?? new Set()).add(h.id));
    }
    assert.deepEqual([...byRender.entries()].filter(([, s]) => s.size !== 1).map(([id]) => id), [], 'one webhook-id per render');
    await waitUntil('an empty queue', async () => {
      const d = await t.queueDepth();
      return d.active === 0 && d.waiting === 0 && d.dead === 0;
    }, { timeoutMs: 30_000, intervalMs: 250 });
    report(`recovery: ${recoveries.map((r) => `${r.store} ${r.seconds.toFixed(1)} s`).join(', ')}`);
  });
});
