// One trace from the HTTP request through the queue to the worker's stages, on a real `serve`
// whose spans go to an in-memory exporter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { createRenderEngine } from '../render/engine.ts';
import { startTestService } from '../main/start-test-service.ts';

test('a render is one trace: request → enqueue → job → fetch, probe, render, upload, webhook', async () => {
  const exporter = new InMemorySpanExporter();
  // A webhook receiver on this machine, trusted through MONTAGE_ALLOW_HOSTS (submit checks the URL).
  const receiver = createServer((_req, res) => res.end()).listen(0, '127.0.0.1');
  await new Promise((res) => receiver.once('listening', res));
  const hookPort = (receiver.address() as AddressInfo).port;
  const svc = await startTestService({
    engine: createRenderEngine({ ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' }), traceExporter: exporter,
    env: { MONTAGE_ALLOW_HOSTS: `127.0.0.1:${hookPort}` },
  }).catch((e) => { receiver.close(); throw e; });
  try {
    const { client } = await svc.createKey('acme');
    const png = execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=blue:s=64x36', '-frames:v', '1', '-f', 'image2pipe', '-vcodec', 'png', '-']);
    const asset = await client.uploadAsset(new Uint8Array(png), { contentType: 'image/png', filename: 'blue.png' });
    const render = await client.createRender({
      composition: { output: { width: 160, height: 90, fps: 10, quality: 'draft' }, tracks: [{ clips: [{ asset: { type: 'image', src: `asset:${asset.id}` }, start: 0, length: 1 }] }] },
      webhook: { url: `http://127.0.0.1:${hookPort}/montage` },
    });
    for (let i = 0; i < 200; i++) {
      const r = await client.getRender(render.id);
      if (r.status === 'succeeded' || r.status === 'failed') { assert.equal(r.status, 'succeeded', JSON.stringify(r.error)); break; }
      await new Promise((res) => setTimeout(res, 100));
    }
    await new Promise((res) => setTimeout(res, 200)); // the job span ends just after the final status
    const spans = exporter.getFinishedSpans();
    const request = spans.find((s) => s.name === 'POST /v1/renders');
    assert.ok(request, `an HTTP span for POST /v1/renders among: ${spans.map((s) => s.name).join(', ')}`);
    const traceId = request.spanContext().traceId;
    const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);
    const names = inTrace.map((s) => s.name);
    for (const stage of ['queue.enqueue', 'job render', 'fetch', 'probe', 'render', 'upload', 'webhook']) {
      assert.ok(names.includes(stage), `span "${stage}" in the request's trace; it has: ${names.join(', ')}`);
    }
    // The worker's span is the child of the enqueue span, carried in the job message.
    const byId = new Map(inTrace.map((s) => [s.spanContext().spanId, s]));
    const job = inTrace.find((s) => s.name === 'job render')!;
    assert.equal(byId.get(job.parentSpanContext?.spanId ?? '')?.name, 'queue.enqueue');
    assert.equal(job.attributes['montage.render_id'], render.id);
  } finally {
    await svc.stop();
    receiver.close();
  }
});
