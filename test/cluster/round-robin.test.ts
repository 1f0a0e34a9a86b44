// Issue 4, cluster: 2 `montage api` and 2 `montage worker` processes behind nginx, on their own
// PostgreSQL database, Redis prefix and s3rver bucket. 20 renders submitted through the balancer
// (round-robin over the apis) all succeed; both apis took submissions and both workers rendered
// (their /metrics and job logs say so); every output, downloaded through the balancer, is an MP4
// of the asked duration with a video and an audio stream. Server-Sent Events reach a client on
// either api (and through nginx) for a render submitted on the other: progress goes through Redis.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MontageClient, ServerSentEvent } from '../../src/http/montage-client.ts';
import { ffmpeg } from '../support/ffmpeg-tools.ts';
import { probeOutput } from '../support/probe-output.ts';
import { metricValue } from './support/prometheus-text.ts';
import { clusterSkipReason, startCluster, type Cluster } from './support/start-cluster.ts';
import { scenesComposition, tinyComposition } from './support/tiny-compositions.ts';
import { waitForRender, waitUntil } from './support/wait-for-render.ts';

const skip = clusterSkipReason();
const COLORS = ['#336699', '#993366', '#669933', '#996633', '#339966'];

describe('cluster: 2 apis and 2 workers behind nginx', { skip: skip ?? false }, () => {
  let c: Cluster;
  let tmp: string;
  let soundtrack: string;

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'montage-cluster-rr-'));
    c = await startCluster({ apis: 2, workers: 2 });
    // An upload through nginx to one api, stored in S3, fetched by whichever worker renders.
    const wav = join(tmp, 'tone.wav');
    await ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=440:duration=3', '-ac', '1', '-ar', '22050', wav);
    soundtrack = (await c.client.uploadAsset(readFileSync(wav), { contentType: 'audio/wav', filename: 'tone.wav' })).src;
  });
  after(async () => {
    await c?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('20 renders submitted round-robin all succeed, with valid outputs; both apis and both workers served', async () => {
    const seconds = (i: number) => 1 + (i % 3) * 0.5;
    const submitted = await Promise.all(Array.from({ length: 20 }, (_, i) => c.client.createRender({
      composition: tinyComposition({ seconds: seconds(i), color: COLORS[i % COLORS.length], soundtrack, label: `render ${i + 1}` }),
      metadata: { n: i },
      webhook: { url: c.webhooks.url },
    } as never)));
    assert.equal(new Set(submitted.map((r) => r.id)).size, 20);
    assert.ok(submitted.every((r) => r.status === 'queued'));

    const done = await Promise.all(submitted.map((r) => waitForRender(c.client, r.id, undefined, { timeoutMs: 240_000, intervalMs: 500 })));
    assert.deepEqual(done.map((r) => r.status), Array(20).fill('succeeded'), JSON.stringify(done.filter((r) => r.status !== 'succeeded').map((r) => r.error)));

    for (const [i, r] of done.entries()) {
      const res = await c.client.request('GET', `/v1/renders/${r.id}/output`);
      assert.equal(res.status, 200, `render ${i + 1}'s output`);
      assert.equal(res.headers.get('content-type'), 'video/mp4');
      const file = join(tmp, `${i}.mp4`);
      writeFileSync(file, new Uint8Array(await res.arrayBuffer()));
      const p = await probeOutput(file, { countFrames: true });
      assert.equal(p.video?.codec_name, 'h264');
      assert.equal(p.audio?.codec_name, 'aac');
      assert.deepEqual([p.video?.width, p.video?.height], [320, 180]);
      assert.ok(Math.abs(Number(p.format.duration) - seconds(i)) < 0.15, `render ${i + 1}: ${p.format.duration} s, asked ${seconds(i)} s`);
      assert.equal(Number(p.video?.nb_read_frames), seconds(i) * 10, `render ${i + 1}'s frames`);
      assert.equal(Number(p.format.size), r.outputs.video!.bytes);
    }

    // Each api took submissions (nginx alternates), each worker rendered some.
    const posts = await Promise.all(c.apis.map(async (a) => metricValue((await a.get('/metrics')).text,
      'montage_http_request_duration_seconds_count', { method: 'POST', route: '/v1/renders', status: '202' })));
    assert.equal(posts[0]! + posts[1]!, 20);
    assert.ok(posts.every((n) => n >= 5), `POST /v1/renders per api: ${posts.join(', ')}`);
    const rendered = await Promise.all(c.workers.map(async (w) => metricValue((await w.get('/metrics')).text, 'montage_renders_total', { status: 'succeeded' })));
    assert.equal(rendered[0]! + rendered[1]!, 20);
    assert.ok(rendered.every((n) => n >= 1), `renders per worker: ${rendered.join(', ')}`);
    const jobLines = () => c.workers.map((w) => w.records().filter((l) => l.msg === 'job finished' && l.outcome === 'ack').length);
    await waitUntil('20 "job finished" log lines', () => jobLines()[0]! + jobLines()[1]! === 20, { timeoutMs: 15_000 });
    assert.deepEqual(jobLines(), rendered, 'one "job finished" log line per render, on the worker that counted it');

    // Every render's webhook arrived once, signed with the tenant's secret.
    const deadline = Date.now() + 20_000;
    while (c.webhooks.deliveries.length < 20 && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 100));
    const hooks = c.webhooks.verified(c.webhookSecret);
    assert.deepEqual(hooks.map((h) => h.data.id).sort(), done.map((r) => r.id).sort());
    assert.ok(hooks.every((h) => h.type === 'render.succeeded'));
    console.log(`POST /v1/renders per api: ${posts.join(' / ')}; renders per worker: ${rendered.join(' / ')}`);
  });

  it('SSE: a client on the other api, and one through nginx, see progress of a render submitted on one api', async () => {
    const [a0, a1] = c.apis;
    // Long enough (720p, 30 fps) for a few progress events, which only Redis carries between processes.
    const composition = scenesComposition(8, { fps: 30 });
    (composition.output as Record<string, unknown>).width = 1280;
    (composition.output as Record<string, unknown>).height = 720;
    const r = await c.clientFor(a0!).createRender({ composition } as never);
    const collect = async (client: MontageClient) => {
      const events: ServerSentEvent[] = [];
      for await (const e of client.renderEvents(r.id, AbortSignal.timeout(120_000))) events.push(e);
      return events;
    };
    const [other, balanced] = await Promise.all([collect(c.clientFor(a1!)), collect(c.client)]);
    for (const [name, events] of [['api-1', other], ['nginx', balanced]] as const) {
      const final = events.at(-1)!;
      assert.equal(final.event, 'final', name);
      assert.equal((final.data as { status: string }).status, 'succeeded', name);
      const progress = events.filter((e) => e.event === 'progress');
      // Progress is published every half second; a render that beats that on a quiet machine
      // sends one. One that crossed from the worker through Redis is what this checks.
      assert.ok(progress.length >= 1, `${name}: ${progress.length} progress events (${events.map((e) => e.event).join(' ')})`);
      const values = progress.map((e) => (e.data as { progress: number }).progress);
      assert.deepEqual(values, [...values].sort((x, y) => x - y), `${name}: progress never goes back`);
    }
  });
});
