// GET /metrics of a real `montage serve` carries every metric issue 3 lists, with real samples:
// after a render that fetched a remote asset succeeded and its webhook was delivered, and while a
// second render runs with a third queued behind it. Each family is looked up by name, type and
// labels in the Prometheus text, so a metric that was renamed, dropped or never updated fails here.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadRealEngine } from '../jobs/load-real-engine.ts';
import { startTestService } from './start-test-service.ts';

interface Sample { readonly name: string; readonly labels: Record<string, string>; readonly value: number }

/** The samples and `# TYPE`s of a Prometheus text exposition. */
function parseExposition(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) { types.set(type[1]!, type[2]!); continue; }
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { samples, types };
}

const PNG = readFileSync(new URL('../../examples/media/badge.png', import.meta.url));

describe('GET /metrics', () => {
  it('exposes every metric of issue 3 with samples from real work', async (t) => {
    const r = await loadRealEngine();
    if (!('engine' in r)) return t.skip(r.skip);
    let hooks = 0;
    const origin = createServer((req, res) => {
      if (req.url === '/badge.png') res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length }).end(PNG);
      else { hooks += 1; req.resume(); req.on('end', () => res.writeHead(204).end()); }
    });
    await new Promise<void>((ok) => origin.listen(0, '127.0.0.1', ok));
    const port = (origin.address() as AddressInfo).port;
    const svc = await startTestService({
      engine: r.engine, webhookPollMs: 50,
      env: { MONTAGE_ALLOW_HOSTS: `127.0.0.1:${port}`, MONTAGE_WORKER_CONCURRENCY: '1' },
    });
    try {
      const { client } = await svc.createKey('metrics');
      const output = { format: 'mp4', width: 160, height: 90, fps: 10 };
      const done = await client.createRender({
        composition: { output, tracks: [{ clips: [{ asset: { type: 'image', src: `http://127.0.0.1:${port}/badge.png` }, start: 0, length: 1 }] }] },
        webhook: { url: `http://127.0.0.1:${port}/hook` },
      } as never);
      const waitFor = async (what: string, ok: () => Promise<boolean>) => {
        for (const end = Date.now() + 30_000; !(await ok());) {
          if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
          await new Promise((res) => setTimeout(res, 50));
        }
      };
      await waitFor('the first render', async () => (await client.getRender(done.id)).status === 'succeeded');
      await waitFor('its webhook', async () => hooks === 1);
      await assert.rejects(client.getRender('rnd_missing'), { status: 404 });
      // A long render on the only render slot, and one queued behind it.
      const slow = { output, tracks: [{ clips: [{ asset: { type: 'color', color: '#204060' }, start: 0, length: 600 }] }] };
      const running = await client.createRender({ composition: slow } as never);
      const waiting = await client.createRender({ composition: slow } as never);
      await waitFor('the second render to run', async () => (await client.getRender(running.id)).status === 'rendering');
      await new Promise((res) => setTimeout(res, 300)); // the third has waited a while

      const res = await fetch(`${svc.url}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      const { samples, types } = parseExposition(await res.text());
      const find = (name: string, labels: Record<string, string> = {}) =>
        samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
      const value = (name: string, labels: Record<string, string> = {}) => {
        const found = find(name, labels);
        assert.equal(found.length, 1, `one sample ${name}${JSON.stringify(labels)}: ${found.length}`);
        return found[0]!.value;
      };

      // HTTP request duration, by method, route pattern and status.
      assert.equal(types.get('montage_http_request_duration_seconds'), 'histogram');
      assert.ok(value('montage_http_request_duration_seconds_count', { method: 'POST', route: '/v1/renders', status: '202' }) >= 3);
      assert.ok(value('montage_http_request_duration_seconds_count', { method: 'GET', route: '/v1/renders/:id', status: '200' }) >= 1);
      assert.equal(value('montage_http_request_duration_seconds_count', { method: 'GET', route: '/v1/renders/:id', status: '404' }), 1);
      assert.ok(value('montage_http_request_duration_seconds_sum', { method: 'POST', route: '/v1/renders', status: '202' }) > 0);
      assert.ok(find('montage_http_request_duration_seconds_bucket', { route: '/v1/renders', le: '+Inf' }).length > 0);
      assert.ok(!samples.some((s) => Object.values(s.labels).some((v) => v.includes('rnd_'))), 'no id in a label: routes are patterns');

      // Renders by final status, and their duration.
      assert.equal(types.get('montage_renders_total'), 'counter');
      assert.equal(value('montage_renders_total', { status: 'succeeded' }), 1);
      assert.equal(types.get('montage_render_duration_seconds'), 'histogram');
      assert.equal(value('montage_render_duration_seconds_count', { status: 'succeeded' }), 1);
      assert.ok(value('montage_render_duration_seconds_sum', { status: 'succeeded' }) > 0);

      // The queue and the worker, right now.
      assert.equal(types.get('montage_queue_depth'), 'gauge');
      assert.equal(value('montage_queue_depth', { state: 'waiting' }), 1);
      assert.equal(value('montage_queue_depth', { state: 'active' }), 1);
      assert.equal(value('montage_queue_depth', { state: 'dead' }), 0);
      assert.equal(types.get('montage_queue_oldest_waiting_seconds'), 'gauge');
      const age = value('montage_queue_oldest_waiting_seconds');
      assert.ok(age >= 0.2 && age < 30, `the queued render's age: ${age}`);
      assert.equal(types.get('montage_active_renders'), 'gauge');
      assert.equal(value('montage_active_renders'), 1);

      // Webhook deliveries by outcome, bytes fetched.
      assert.equal(types.get('montage_webhook_deliveries_total'), 'counter');
      assert.equal(value('montage_webhook_deliveries_total', { outcome: 'delivered' }), 1);
      assert.equal(types.get('montage_fetched_bytes_total'), 'counter');
      assert.equal(value('montage_fetched_bytes_total'), PNG.length, 'the asset, once');

      // The piece cache (issue 17) is on by default: the finished render's pieces were rendered,
      // none reused (the cache was empty); serve-piece-cache.test.ts counts reuse exactly.
      assert.equal(types.get('montage_pieces_rendered_total'), 'counter');
      assert.ok(value('montage_pieces_rendered_total') >= 1, `pieces rendered: ${value('montage_pieces_rendered_total')}`);
      assert.equal(value('montage_pieces_reused_total'), 0);
      assert.equal(value('montage_piece_cache_served_bytes_total'), 0);

      // Node process metrics (prom-client's defaults).
      assert.ok(value('process_cpu_seconds_total') > 0);
      assert.ok(value('process_resident_memory_bytes') > 0);
      assert.ok(value('process_start_time_seconds') > 0);
      assert.ok(value('nodejs_heap_size_used_bytes') > 0);
      assert.ok(find('nodejs_eventloop_lag_p99_seconds').length === 1);
      assert.ok(find('nodejs_gc_duration_seconds_count').length > 0 || find('nodejs_active_handles_total').length > 0);

      await client.cancelRender(waiting.id);
      await client.cancelRender(running.id);
    } finally {
      await svc.stop();
      await new Promise((ok) => origin.close(ok));
    }
  });
});
