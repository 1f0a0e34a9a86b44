// Webhook retries through `montage serve` (issue 3): a receiver that answers 500 three times and
// then 200 gets four tries of one delivery, each signed with the tenant's secret (checked with the
// `standardwebhooks` package), all with the same webhook-id and body, spaced by the exponential
// backoff that MONTAGE_WEBHOOK_RETRY_BASE sets (100 ms here instead of 10 s). The dispatcher's own
// test (src/jobs/webhook-dispatcher.test.ts) covers the schedule, restarts and 410 with a fake clock.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { loadRealEngine } from '../jobs/load-real-engine.ts';
import { startTestService } from './start-test-service.ts';

const BASE_MS = 100;

describe('webhook retries through montage serve', () => {
  it('a receiver answering 500, 500, 500, then 200 gets four signed tries with one webhook-id, backing off', async (t) => {
    const r = await loadRealEngine();
    if (!('engine' in r)) return t.skip(r.skip);
    const tries: { at: number; headers: IncomingHttpHeaders; body: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => { body += d.toString(); });
      req.on('end', () => {
        tries.push({ at: Date.now(), headers: req.headers, body });
        res.writeHead(tries.length <= 3 ? 500 : 200).end();
      });
    });
    await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
    const port = (receiver.address() as AddressInfo).port;
    const svc = await startTestService({
      engine: r.engine, webhookPollMs: 20,
      env: { MONTAGE_ALLOW_HOSTS: `127.0.0.1:${port}`, MONTAGE_WEBHOOK_RETRY_BASE: `${BASE_MS}ms`, MONTAGE_WORKER_CONCURRENCY: '1' },
    });
    try {
      const { client, webhookSecret } = await svc.createKey('flaky');
      const render = await client.createRender({
        composition: { output: { format: 'mp4', width: 160, height: 90, fps: 10 }, tracks: [{ clips: [{ asset: { type: 'color', color: '#336699' }, start: 0, length: 1 }] }] },
        webhook: { url: `http://127.0.0.1:${port}/hook` },
      } as never);
      const end = Date.now() + 30_000;
      while (tries.length < 4 && Date.now() < end) await new Promise((ok) => setTimeout(ok, 50));
      await new Promise((ok) => setTimeout(ok, 2 * BASE_MS * 2 ** 3)); // twice the longest delay a fifth try would follow
      assert.equal(tries.length, 4, 'three 500s, then the 200 ends it');

      const wh = new Webhook(webhookSecret);
      for (const [i, x] of tries.entries()) {
        const payload = wh.verify(x.body, {
          'webhook-id': String(x.headers['webhook-id']),
          'webhook-timestamp': String(x.headers['webhook-timestamp']),
          'webhook-signature': String(x.headers['webhook-signature']),
        }) as { type: string; data: { id: string; status: string } };
        assert.deepEqual([payload.type, payload.data.id, payload.data.status], ['render.succeeded', render.id, 'succeeded'], `try ${i + 1}`);
        assert.equal(x.body, tries[0]!.body, 'every try sends the same bytes');
      }
      assert.throws(() => new Webhook(`whsec_${Buffer.alloc(32, 9).toString('base64')}`).verify(tries[0]!.body, {
        'webhook-id': String(tries[0]!.headers['webhook-id']), 'webhook-timestamp': String(tries[0]!.headers['webhook-timestamp']),
        'webhook-signature': String(tries[0]!.headers['webhook-signature']),
      }), 'another secret does not verify');
      const ids = new Set(tries.map((x) => x.headers['webhook-id']));
      assert.equal(ids.size, 1, `one webhook-id on all four tries: ${[...ids].join()}`);
      assert.match(String([...ids][0]), /^msg_/);

      // Equal jitter: the n-th delay is between half and all of BASE·2^(n−1), plus the poll interval.
      const gaps = tries.slice(1).map((x, i) => x.at - tries[i]!.at);
      gaps.forEach((gap, i) => assert.ok(gap >= (BASE_MS * 2 ** i) / 2 - 5, `delay ${i + 1} is ${gap} ms: ${gaps.join(', ')}`));

      // The user sees the deliveries through the API: tries, the last status code, no pending try left.
      const [delivery, ...others] = await client.listWebhookDeliveries(render.id);
      assert.equal(others.length, 0);
      assert.deepEqual(
        [delivery!.id, delivery!.event, delivery!.status, delivery!.attempts, delivery!.lastStatusCode, delivery!.nextAttemptAt, delivery!.url],
        [[...ids][0], 'render.succeeded', 'delivered', 4, 200, null, `http://127.0.0.1:${port}/hook`],
      );
      // Each failed try is one warn line, with the render and the answer, and never the secret.
      const warned = svc.logs.filter((l) => l.msg === 'webhook delivery failed; will retry');
      assert.deepEqual(warned.map((l) => [l.level, l.renderId, l.attempt, l.statusCode]), [1, 2, 3].map((n) => [40, render.id, n, 500]));
      assert.equal(svc.rawLogs.filter((l) => l.includes(webhookSecret) || l.includes(webhookSecret.replace(/^whsec_/, ''))).length, 0, 'no log line holds the secret');

      const metrics = await (await fetch(`${svc.url}/metrics`)).text();
      assert.match(metrics, /^montage_webhook_deliveries_total\{outcome="retried"\} 3$/m);
      assert.match(metrics, /^montage_webhook_deliveries_total\{outcome="delivered"\} 1$/m);
    } finally {
      await svc.stop();
      await new Promise((ok) => receiver.close(ok));
    }
  });
});
