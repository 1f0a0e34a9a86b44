/**
 * Sources and outputs through the service (embedded `montage serve`): a transparent ProRes 4444
 * mov at 29.97 fps, rendered from a POST and downloaded, keeps its alpha, its rate and its
 * content type; the same composition in mp4 is refused before anything is queued, naming the way out.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRealEngine } from '../../src/jobs/load-real-engine.ts';
import { startTestService, type TestService } from '../../src/main/start-test-service.ts';
import { MontageApiError, type MontageClient } from '../../src/http/montage-client.ts';
import { probeOutput } from '../support/probe-output.ts';
import { ffmpeg } from '../support/ffmpeg-tools.ts';

let svc: TestService | undefined;
let client: MontageClient;
const dir = mkdtempSync(join(tmpdir(), 'montage-media-service-'));

before(async () => {
  const r = await loadRealEngine();
  if (!('engine' in r)) throw new Error(`no engine: ${r.skip}`);
  svc = await startTestService({ mode: 'embedded', engine: r.engine, env: { MONTAGE_WORKER_CONCURRENCY: '1' } });
  client = (await svc.createKey('media')).client;
});
after(async () => { await svc?.stop(); rmSync(dir, { recursive: true, force: true }); });

const composition = (format: string): never => ({
  output: { format, width: 160, height: 90, fps: 29.97, duration: 1.001, quality: 'draft' },
  background: 'transparent',
  tracks: [{ clips: [{ asset: { type: 'shape', shape: 'rectangle', width: 80, height: 90, fill: '#ff0000' }, start: 0, length: 1.001, position: 'left' }] }],
}) as never;

describe('sources and outputs through the service', () => {
  test('a transparent mov: ProRes 4444, 30000/1001, alpha 0 beside the shape and 255 on it', async () => {
    const render = await client.createRender({ composition: composition('mov') });
    for await (const e of client.renderEvents(render.id)) if (e.event === 'final') break;
    const done = await client.getRender(render.id);
    assert.equal(done.status, 'succeeded', JSON.stringify(done));
    const res = await client.request('GET', `/v1/renders/${render.id}/output`);
    assert.equal(res.headers.get('content-type'), 'video/quicktime');
    const path = join(dir, 'out.mov');
    writeFileSync(path, Buffer.from(await res.arrayBuffer()));
    const p = await probeOutput(path, { countFrames: true });
    assert.deepEqual([p.video?.codec_name, p.video?.profile, p.video?.r_frame_rate, p.video?.nb_read_frames], ['prores', '4444', '30000/1001', '30']);
    const rgba = await ffmpeg('-i', path, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-');
    const alpha = (x: number, y: number) => rgba[4 * (y * 160 + x) + 3];
    assert.ok(alpha(40, 45) >= 250 && alpha(120, 45) <= 3, `alpha on the shape ${alpha(40, 45)}, beside it ${alpha(120, 45)}`);
  });

  test('transparent mp4 is refused with 422 at /background, naming webm and mov', async () => {
    await assert.rejects(client.createRender({ composition: composition('mp4') }), (e: MontageApiError) => {
      const problems = e.problem.errors ?? [];
      return e.status === 422 && problems.some((p) => p.pointer.endsWith('/background') && /webm/.test(p.detail) && /mov/.test(p.detail));
    });
  });
});
