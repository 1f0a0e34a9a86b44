/**
 * MONTAGE_RENDER_TIMEOUT through a real `montage serve` (one render slot): a composition that
 * costs far more than its limit is stopped once, its ffmpeg killed and its scratch removed; the
 * render fails with MONTAGE_E_RENDER_TIMEOUT naming the limit and the fix, is not tried again, and
 * its webhook says so as for any failure; the next render on the same slot succeeds. Split into
 * pieces (MONTAGE_CHUNK_SECONDS), each piece has the limit of its own length, and one piece past it
 * fails the whole render and stops the others.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quadrantImage } from '../support/media-fixtures.ts';
import { runningProcessesMentioning } from '../support/running-processes.ts';
import { slowComposition } from '../support/slow-composition.ts';
import { startAdversarialService, waitFinal, type AdversarialService } from './support/adversarial-service.ts';

describe('render time limit (MONTAGE_RENDER_TIMEOUT)', () => {
  let t: AdversarialService;
  let dir: string;
  let receiver: Server;
  const hooks: { type?: string; data?: { id?: string; status?: string; error?: { code?: string } } }[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'montage-render-timeout-'));
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => { body += d.toString(); });
      req.on('end', () => { hooks.push(JSON.parse(body)); res.writeHead(200).end(); });
    });
    await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
    // 10 s plus 2 s per second of output: 14 s for the slow 2 s composition (a minute or more of
    // work), 12 s for a 1 s card (under a second quiet; 4 s was too little at load 19 on 2 cores).
    t = await startAdversarialService({
      MONTAGE_RENDER_TIMEOUT: '10s+2x', MONTAGE_WORKER_CONCURRENCY: '1',
      MONTAGE_ALLOW_HOSTS: `127.0.0.1:${(receiver.address() as AddressInfo).port}`,
    });
  });
  after(async () => {
    await t?.svc.stop();
    await new Promise((ok) => receiver?.close(ok));
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops the render once at its limit: failed with MONTAGE_E_RENDER_TIMEOUT, its ffmpeg gone, no retry, the webhook sent; the next render succeeds', async () => {
    const image = readFileSync(await quadrantImage(dir, 'quad.png', 64, 36));
    const asset = await t.client.uploadAsset(image, { filename: 'quad.png', contentType: 'image/png' });
    const port = (receiver.address() as AddressInfo).port;
    const slow = await t.client.createRender({ composition: slowComposition(asset.src), webhook: { url: `http://127.0.0.1:${port}/hook` } } as never);

    // Every ffmpeg the render runs names its work folder (…/work/<render id>/) on its command line.
    const pids = new Set<number>();
    const sampler = setInterval(() => { for (const p of runningProcessesMentioning(slow.id, ['ffmpeg'])) pids.add(p.pid); }, 20);
    const { render, ms } = await waitFinal(t.client, slow.id, 90_000);
    await new Promise((ok) => setTimeout(ok, 1_500)); // a retry would start a new ffmpeg within this
    clearInterval(sampler);

    assert.equal(render.status, 'failed', `ended ${render.status} after ${ms} ms`);
    assert.equal(render.error?.code, 'MONTAGE_E_RENDER_TIMEOUT', render.error?.message);
    assert.match(render.error!.message, /time limit of 14 s \(MONTAGE_RENDER_TIMEOUT=10s\+2x: 10 s plus 2 s per second of output, for 2 s of output\)/);
    assert.match(render.error!.message, /Simplify the composition .* or raise MONTAGE_RENDER_TIMEOUT\./);
    assert.deepEqual(render.outputs, {});
    assert.equal(pids.size, 1, `one ffmpeg ran for the render, and no retry started another: ${[...pids].join(', ')}`);
    assert.deepEqual(runningProcessesMentioning(slow.id), [], 'no ffmpeg or ffprobe of the render outlives it');
    assert.ok(!existsSync(join(t.svc.dataDir, 'work', slow.id)), 'its scratch folder is removed');

    const end = Date.now() + 15_000;
    while (!hooks.some((h) => h.data?.id === slow.id) && Date.now() < end) await new Promise((ok) => setTimeout(ok, 50));
    const hook = hooks.find((h) => h.data?.id === slow.id);
    assert.equal(hook?.data?.status, 'failed', `webhook: ${JSON.stringify(hooks)}`);
    assert.equal(hook?.data?.error?.code, 'MONTAGE_E_RENDER_TIMEOUT');

    const next = await t.client.createRender({
      composition: { output: { format: 'mp4', width: 320, height: 180, fps: 10, quality: 'draft' }, tracks: [{ clips: [{ asset: { type: 'image', src: asset.src }, start: 0, length: 1 }] }] },
    } as never);
    const after = await waitFinal(t.client, next.id, 60_000);
    assert.equal(after.render.status, 'succeeded', JSON.stringify(after.render.error));
  });
});

describe('render time limit on a distributed render (per piece)', () => {
  let t: AdversarialService;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'montage-render-timeout-pieces-'));
    // Two slots and 2 s pieces (one keyframe interval): the slow 4 s composition is split in two,
    // and each piece gets 1 s + 2 × 2 s = 5 s (the whole would get 9 s).
    t = await startAdversarialService({ MONTAGE_RENDER_TIMEOUT: '1s+2x', MONTAGE_WORKER_CONCURRENCY: '2', MONTAGE_CHUNK_SECONDS: '2' });
  });
  after(async () => {
    await t?.svc.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a piece past its limit fails the render with MONTAGE_E_RENDER_TIMEOUT naming the piece\'s limit; no ffmpeg of it is left', async () => {
    const image = readFileSync(await quadrantImage(dir, 'quad.png', 64, 36));
    const asset = await t.client.uploadAsset(image, { filename: 'quad.png', contentType: 'image/png' });
    const slow = await t.client.createRender({ composition: slowComposition(asset.src, 4) } as never);
    const pids = new Set<number>();
    const sampler = setInterval(() => { for (const p of runningProcessesMentioning(slow.id, ['ffmpeg'])) pids.add(p.pid); }, 20);
    const { render, ms } = await waitFinal(t.client, slow.id, 90_000);
    await new Promise((ok) => setTimeout(ok, 1_500));
    clearInterval(sampler);
    assert.equal(render.status, 'failed', `ended ${render.status} after ${ms} ms`);
    assert.equal(render.error?.code, 'MONTAGE_E_RENDER_TIMEOUT', render.error?.message);
    assert.match(render.error!.message, /time limit of 5 s \(MONTAGE_RENDER_TIMEOUT=1s\+2x: 1 s plus 2 s per second of output, for 2 s of output\)/);
    assert.ok(pids.size >= 2, `the pieces ran in ffmpeg processes of their own: ${pids.size}`);
    assert.deepEqual(runningProcessesMentioning(slow.id), [], 'no ffmpeg or ffprobe of any piece outlives the render');
  });
});

