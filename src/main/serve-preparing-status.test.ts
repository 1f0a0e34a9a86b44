// Issue 18, item 6: while a worker downloads a render's assets, the Render says `preparing` (as
// API.md says), not `queued` with a `startedAt`. A real `montage serve` renders from a media server
// on this machine that holds its answer until the test has read the Render during the download.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadRealEngine } from '../jobs/load-real-engine.ts';
import { startTestService } from './start-test-service.ts';

describe('render status while assets download', () => {
  for (const [mode, concurrency] of [['embedded', '1'], ['embedded', '2'], ['scale-out', '2']] as const) it(`is preparing (startedAt set) from the moment a worker takes it: ${mode}, concurrency ${concurrency}`, async (t) => {
    const r = await loadRealEngine();
    if (!('engine' in r)) return t.skip(r.skip);
    const png = execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=32x18', '-frames:v', '1', '-f', 'image2pipe', '-vcodec', 'png', '-']);
    const held: ServerResponse[] = [];
    let asked!: () => void;
    const requested = new Promise<void>((ok) => { asked = ok; });
    const media = createServer((_req, res) => { held.push(res); asked(); });
    await new Promise<void>((ok) => media.listen(0, '127.0.0.1', ok));
    const host = `127.0.0.1:${(media.address() as AddressInfo).port}`;
    const svc = await startTestService({ mode, engine: r.engine, env: { MONTAGE_ALLOW_HOSTS: host, MONTAGE_WORKER_CONCURRENCY: concurrency } });
    try {
      const { client } = await svc.createKey('prep');
      const accepted = await client.createRender({
        composition: { output: { format: 'mp4', width: 160, height: 90, fps: 10 }, tracks: [{ clips: [{ asset: { type: 'image', src: `http://${host}/red.png` }, start: 0, length: 1 }] }] },
      });
      assert.equal(accepted.status, 'queued');
      await requested; // the worker is downloading now
      const during = await client.getRender(accepted.id);
      assert.deepEqual([during.status, typeof during.startedAt], ['preparing', 'string'], JSON.stringify(during));
      for (const res of held) res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      const end = Date.now() + 30_000;
      let last = during;
      while (!['succeeded', 'failed'].includes(last.status) && Date.now() < end) {
        await new Promise((ok) => setTimeout(ok, 100));
        last = await client.getRender(accepted.id);
      }
      assert.equal(last.status, 'succeeded', JSON.stringify(last.error));
    } finally {
      for (const res of held) res.destroy();
      await svc.stop();
      media.close();
    }
  });
});
