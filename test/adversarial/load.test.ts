// Load (issue 7): autocannon on loopback against `montage serve` (a child process) and against
// the 2 api + 2 worker cluster behind nginx (test/cluster/support/start-cluster.ts).
//
// - Steady load: submit, status and list in equal thirds at a fixed rate; no 5xx, no error, every
//   accepted render listed afterwards; the p99 is printed. Meanwhile every Montage process's
//   resident memory is sampled and must stay flat within 10 % after the warm-up.
// - Burst: renders submitted all at once (tiny 0.5 s 64×64 draft mp4s); every one succeeds, with
//   one signed webhook each.
//
// npm test runs a short version; MONTAGE_SOAK=1 (npm run soak) the full one: 5 minutes at
// 200 requests/s, a burst of 200. The figures go to docs/reliability.md.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RenderView } from '../../src/http/api-schemas.ts';
import { clusterSkipReason } from '../cluster/support/start-cluster.ts';
import { waitUntil } from '../cluster/support/wait-for-render.ts';
import { burst, describeLoad, steadyLoad, type LoadResult } from './support/load-driver.ts';
import { clusterTarget, serveTarget, tinyRender, type LoadTarget } from './support/load-targets.ts';
import { describeRss, sampleRss, type RssSeries } from './support/rss-sampler.ts';

const SOAK = process.env.MONTAGE_SOAK === '1';
const STEADY = SOAK ? { rate: 200, seconds: 300, warmupMs: 60_000, intervalMs: 1_000 } : { rate: 30, seconds: 15, warmupMs: 5_000, intervalMs: 250 };
const BURST = SOAK ? 200 : 30;
const MEMORY_DRIFT_BOUND = 0.10;

const report = (line: string) => console.log(`# ${line}`);

/** Every render of the tenant, through the list route's cursor. */
async function listAll(t: LoadTarget): Promise<Set<string>> {
  const ids = new Set<string>();
  let cursor: string | undefined;
  do {
    const res = await t.client.request('GET', '/v1/renders', { query: { limit: 100, cursor } });
    assert.equal(res.status, 200);
    const page = await res.json() as { data: { id: string }[]; nextCursor: string | null };
    for (const r of page.data) ids.add(r.id);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

const targets = [
  { kind: 'serve', skip: null as string | null, start: () => serveTarget() },
  { kind: 'the 2+2 cluster', skip: clusterSkipReason(), start: () => clusterTarget() },
];

for (const { kind, skip, start } of targets) {
  describe(`load on ${kind}${SOAK ? ' (soak)' : ''}`, { skip: skip ?? false }, () => {
    let t: LoadTarget;
    before(async () => { t = await start(); });
    after(async () => { await t?.stop(); });

    it(`steady load: ${STEADY.rate} requests/s of submit, status and list for ${STEADY.seconds} s: no 5xx, nothing accepted lost, memory flat within 10 %`, async () => {
      const rss = sampleRss(Object.fromEntries(t.processes.map((p) => [p.name, () => p.pid])), { intervalMs: STEADY.intervalMs, warmupMs: STEADY.warmupMs });
      let memory: RssSeries[] = [];
      let load: LoadResult;
      try {
        // Low priority: these renders wait behind the burst's (the workers cannot keep up with them).
        load = await steadyLoad(t, { rate: STEADY.rate, seconds: STEADY.seconds, body: (n) => ({ ...tinyRender(n), priority: 'low' }) });
      } finally {
        memory = rss.stop();
      }
      report(`${kind} steady: ${describeLoad(load)}`);
      for (const m of memory) report(`${kind} memory ${describeRss(m)}`);

      assert.equal(load.errors, 0, 'connection errors');
      assert.equal(load.timeouts, 0, 'timeouts');
      const fivexx = Object.entries(load.byStatus).filter(([s]) => Number(s) >= 500);
      assert.deepEqual(fivexx, [], `5xx answers: ${load.refusals.join(' | ')}`);
      assert.deepEqual(Object.keys(load.byStatus).sort(), ['200', '202'], `only 200 and 202: ${load.refusals.join(' | ')}`);
      assert.ok(load.requests >= STEADY.rate * STEADY.seconds * 0.8, `at least 80 % of the intended ${STEADY.rate * STEADY.seconds} requests were made`);
      // Every 202 carried an id, and every id is listed; a few more renders may be listed than were
      // answered 202: submissions still in flight when the run ended (autocannon drops those).
      assert.equal(load.accepted.length, load.byStatus['202'], 'an id from every 202');
      const listed = await listAll(t);
      const missing = load.accepted.filter((id) => !listed.has(id));
      assert.deepEqual(missing, [], 'every accepted render is listed');
      assert.ok(listed.size >= load.byStatus['202']!, `${listed.size} renders listed, ${load.byStatus['202']} answered 202`);
      report(`${kind} steady: ${listed.size} renders listed after ${load.byStatus['202']} answers 202 (${load.accepted.length} ids seen by onResponse)`);

      for (const m of memory) {
        assert.ok(m.samplesKiB.length >= 6, `${m.name}: enough samples after the warm-up (${m.samplesKiB.length})`);
        assert.ok(m.drift <= MEMORY_DRIFT_BOUND, `${describeRss(m)}: grew more than 10 % after the warm-up`);
      }
    });

    it(`burst: ${BURST} renders submitted at once all succeed, with one webhook each`, async () => {
      const started = Date.now();
      const b = await burst(t, BURST, (n) => ({ ...tinyRender(n, t.webhooks.url), priority: 'high' }));
      report(`${kind} burst submit: ${describeLoad(b)}`);
      assert.deepEqual(b.byStatus, { 202: BURST }, b.refusals.join(' | '));
      assert.equal(new Set(b.accepted).size, BURST);
      const ids = new Set(b.accepted);

      const hooksFor = () => t.webhooks.verified(t.webhookSecret).filter((w) => ids.has(w.data.id));
      await waitUntil(`a webhook for each of the ${BURST} renders`, () => new Set(hooksFor().map((w) => w.data.id)).size === BURST,
        { timeoutMs: (SOAK ? 900 : 240) * 1000, intervalMs: 500 });
      const seconds = (Date.now() - started) / 1000;
      report(`${kind} burst: ${BURST} renders succeeded ${seconds.toFixed(1)} s after the first submission`);

      // Give a duplicate delivery, if any, a moment to arrive before counting.
      await new Promise((r) => setTimeout(r, 1_000));
      const hooks = hooksFor();
      const byRender = new Map<string, Set<string>>();
      for (const h of hooks) {
        assert.equal(h.type, 'render.succeeded', `${h.data.id}: ${JSON.stringify(h.data).slice(0, 300)}`);
        byRender.set(h.data.id, (byRender.get(h.data.id) ?? new Set()).add(h.id));
      }
      assert.deepEqual([...byRender.values()].filter((s) => s.size !== 1), [], 'one webhook-id per render');
      for (const id of ids) {
        const r: RenderView = await t.client.getRender(id);
        assert.equal(r.status, 'succeeded');
        assert.ok((r.outputs.video?.bytes ?? 0) > 0, `${id}: an output`);
      }
    });
  });
}
