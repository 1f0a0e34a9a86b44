/**
 * MONTAGE_DOWNLOAD_STALL_TIMEOUT through a real `montage serve`: a source whose server sends the
 * headers and a few bytes and then nothing fails the render with MONTAGE_E_FETCH_TIMEOUT naming the
 * source's pointer, the URL's host and the limit, within the stall limit per try (three tries, as
 * for any failed download), not after the 30-minute limit of a whole download. The loopback server
 * is reached the way the service allows a private address: MONTAGE_ALLOW_HOSTS.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startAdversarialService, waitFinal, type AdversarialService } from './support/adversarial-service.ts';

describe('download stall limit (MONTAGE_DOWNLOAD_STALL_TIMEOUT)', () => {
  let t: AdversarialService;
  let server: Server;
  let port = 0;
  const held = new Set<ServerResponse>();
  let requests = 0;

  before(async () => {
    server = createServer((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': '100000' });
      res.write(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])); // a PNG's first bytes, then nothing
      held.add(res);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    port = (server.address() as AddressInfo).port;
    t = await startAdversarialService({ MONTAGE_DOWNLOAD_STALL_TIMEOUT: '500ms', MONTAGE_ALLOW_HOSTS: `127.0.0.1:${port}`, MONTAGE_WORKER_CONCURRENCY: '1' });
  });
  after(async () => {
    await t?.svc.stop();
    for (const r of held) r.destroy();
    await new Promise((ok) => server?.close(ok));
  });

  it('a source that stalls fails the render with MONTAGE_E_FETCH_TIMEOUT naming the pointer, the host and the limit', async () => {
    const r = await t.client.createRender({
      composition: {
        output: { format: 'mp4', width: 320, height: 180, fps: 10, quality: 'draft' },
        tracks: [{ clips: [{ asset: { type: 'color', color: '#102030' }, start: 0, length: 1 }] }, { clips: [{ asset: { type: 'image', src: `http://127.0.0.1:${port}/still.png` }, start: 0, length: 1 }] }],
      },
    } as never);
    // Three tries, each failing 0.5 s after the first bytes, with the queue's 5 s and 10 s back-offs between.
    const { render, ms } = await waitFinal(t.client, r.id, 60_000);
    assert.equal(render.status, 'failed', `ended ${render.status} after ${ms} ms`);
    assert.equal(render.error?.code, 'MONTAGE_E_FETCH_TIMEOUT', render.error?.message);
    assert.match(render.error!.message, new RegExp(`^/tracks/1/clips/0/asset/src: Downloading http://127\\.0\\.0\\.1:${port}/still\\.png stalled: no byte arrived for 500 ms \\(the download stall limit\\), after 8 bytes of the body\\.`));
    assert.match(render.error!.message, /raise MONTAGE_DOWNLOAD_STALL_TIMEOUT/);
    assert.equal(requests, 3, 'tried three times, as any failed download');
    assert.ok(ms < 30_000, `failed after ${ms} ms`);
  });
});
