// A clip's mask is a source like any other on the service side: submission refuses a local path at
// the mask's pointer, and an uploaded asset (asset:ID) is fetched for the worker and applied.
// Real engine, real SQLite, real files and real ffmpeg, as `serve` wires them minus HTTP.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createEmbeddedJobQueue } from '../adapters/embedded-job-queue.ts';
import { createFileObjectStore } from '../adapters/file-object-store.ts';
import { createInProcessRenderEvents } from '../adapters/in-process-render-events.ts';
import { createSqliteAssetStore } from '../adapters/sqlite-asset-store.ts';
import { createSqliteIdempotencyStore } from '../adapters/sqlite-idempotency-store.ts';
import { createSqliteRenderStore } from '../adapters/sqlite-render-store.ts';
import { createSqliteTemplateStore } from '../adapters/sqlite-template-store.ts';
import { createSqliteWebhookOutbox } from '../adapters/sqlite-webhook-outbox.ts';
import { openTempSqlite } from '../adapters/sqlite-test-db.ts';
import { SafeFetcher } from '../assets/safe-fetcher.ts';
import { EMPTY_ALLOW_LIST } from '../assets/allow-list.ts';
import { loadConfig } from '../config/load-config.ts';
import { isMontageError } from '../errors/registry.ts';
import type { RenderEngine } from '../ports/render-engine.ts';
import { loadRealEngine } from './load-real-engine.ts';
import { createNotifyFinalStatus } from './notify-final-status.ts';
import { createProcessRenderJob } from './process-render-job.ts';
import { createSubmitRender } from './submit-render.ts';
import { createAssetUseCases } from './manage-assets.ts';

let engine: RenderEngine | undefined;
let skip: string | undefined;
before(async () => {
  const r = await loadRealEngine();
  if ('engine' in r) engine = r.engine; else skip = r.skip;
});

function service() {
  const t = openTempSqlite();
  const renders = createSqliteRenderStore(t.db);
  const queue = createEmbeddedJobQueue(t.db);
  const objects = createFileObjectStore(join(t.dir, 'objects'));
  const assets = createSqliteAssetStore(t.db);
  const notify = createNotifyFinalStatus({ outbox: createSqliteWebhookOutbox(t.db), events: createInProcessRenderEvents(), publicUrl: 'https://api.example.com' });
  const limits = loadConfig({}).limits;
  const submit = createSubmitRender({ engine: engine!, renders, queue, idempotency: createSqliteIdempotencyStore(t.db), templates: createSqliteTemplateStore(t.db), assets, limits });
  const process = createProcessRenderJob({
    renders, engine: engine!, events: createInProcessRenderEvents(), notify, objects, assets, workRoot: join(t.dir, 'work'),
    fetcher: new SafeFetcher({ allowList: EMPTY_ALLOW_LIST }), cancelPollMs: 200,
  });
  return { t, renders, queue, objects, submit, process, uploads: createAssetUseCases({ assets, objects, maxAssetBytes: 1 << 20 }) };
}

const masked = (src: string) => ({
  output: { format: 'png', width: 160, height: 90, frame: 0.5 },
  background: '#0000ff',
  tracks: [{ clips: [{ asset: { type: 'color', color: '#ff0000' }, start: 0, length: 1, mask: { src } }] }],
});

describe('a clip mask through the service', () => {
  it('refuses a local mask path at submission, at the mask’s pointer', async (t) => {
    if (skip) return t.skip(skip);
    const s = service();
    try {
      await assert.rejects(s.submit('t1', { composition: masked('/etc/hostname') }), (e: unknown) =>
        isMontageError(e) && e.problems.some((p) => p.pointer === '/tracks/0/clips/0/mask/src'));
    } finally { await s.t.close(); }
  });

  it('fetches an uploaded mask (asset:ID) and shows the clip only where it is light', async (t) => {
    if (skip) return t.skip(skip);
    const s = service();
    try {
      // A 32×18 PNG, white on its left half, black on its right.
      const png = execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=black:s=32x18,drawbox=x=0:y=0:w=16:h=18:color=white:t=fill',
        '-frames:v', '1', '-f', 'image2pipe', '-vcodec', 'png', '-']);
      const asset = await s.uploads.upload('t1', (async function* () { yield png; })(), { filename: 'mask.png', contentType: 'image/png' });
      const { render } = await s.submit('t1', { composition: masked(`asset:${asset.id}`) });
      const job = await s.queue.lease({ workerId: 'w', leaseMs: 60_000 });
      assert.deepEqual(await s.process(job!, new AbortController().signal), { kind: 'ack' });
      const done = await s.renders.get('t1', render.id);
      assert.equal(done?.status, 'succeeded', JSON.stringify(done?.error));
      const path = await s.objects.localPath!(done!.outputs.video!.key);
      const rgb = execFileSync('ffmpeg', ['-v', 'error', '-i', path!, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
      const at = (x: number, y: number) => [...rgb.subarray(3 * (y * 160 + x), 3 * (y * 160 + x) + 3)];
      assert.deepEqual(at(40, 45).map((v) => Math.round(v / 32)), [8, 0, 0], `left: the red clip, got ${at(40, 45)}`);
      assert.deepEqual(at(120, 45).map((v) => Math.round(v / 32)), [0, 0, 8], `right: the blue background, got ${at(120, 45)}`);
    } finally { await s.t.close(); }
  });
});
