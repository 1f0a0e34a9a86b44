// Chaos (issue 7): kill -9 of the process that holds a render, at five points of its life, against
// `montage serve` (one process: it is killed and started again on the same data dir) and against the
// 2+2 cluster (the worker holding the render is killed with its ffmpeg and started again; the other
// worker goes on). Each render is caught at its point by observing real state, then killed once:
//
// - during download: the asset server (slow-asset-server.ts) has sent half the body;
// - mid-render: an ffmpeg whose command line names the render's work dir runs under the holder,
//   and the API says `rendering`;
// - during upload: serve: a part-written `.part` of the file store (MONTAGE_FAULT_PAUSE=upload);
//   cluster: half the output's PUT has reached S3 (stalling-s3-proxy.ts);
// - after upload, before completion: the output object is in storage and the render is still
//   `finalizing` (MONTAGE_FAULT_PAUSE=after-upload);
// - after completion, before the webhook is queued: the API says `succeeded` and no webhook has
//   come (MONTAGE_FAULT_PAUSE=before-notify).
//
// Passing: every render succeeds; one output object per render and nothing else under its prefix
// (no part file left); one webhook-id per render, signed; the queue ends with nothing active,
// waiting or dead. npm test: 1 render per point; MONTAGE_SOAK=1: 20.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { MontageProcess } from '../cluster/support/montage-process.ts';
import { clusterSkipReason } from '../cluster/support/start-cluster.ts';
import { waitUntil } from '../cluster/support/wait-for-render.ts';
import { ffmpegWith, partUpload, renderCaughtAt, startChaos, stopChaos, type Chaos } from './support/chaos-rig.ts';

const SOAK = process.env.MONTAGE_SOAK === '1';
const PER_POINT = SOAK ? 20 : 1;
const HOLD_MS = 1_500;
const report = (line: string) => console.log(`# ${line}`);

/** The running renderer whose work dir for this render exists: the one holding it. */
const holderOf = (c: Chaos, id: string): MontageProcess | undefined =>
  c.t.renderers.find((p) => p.running && existsSync(join(c.dataDirOf(p), 'work', id)));

/** Keys of the objects stored under the render's prefix (`renders/<tenant>/<id>/`), by name. */
async function outputObjects(c: Chaos, id: string): Promise<string[]> {
  if (c.t.serve) {
    const root = join(c.t.serve.dataDir, 'objects', 'renders');
    if (!existsSync(root)) return [];
    return readdirSync(root).flatMap((tenant) => {
      const dir = join(root, tenant, id);
      return existsSync(dir) ? readdirSync(dir) : [];
    });
  }
  const s3 = c.t.cluster!.s3!;
  const client = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  try {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'montage/renders/', ContinuationToken: token }));
      for (const o of page.Contents ?? []) if (o.Key?.includes(`/${id}/`)) keys.push(o.Key.split('/').pop()!);
      token = page.NextContinuationToken;
    } while (token);
    return keys;
  } finally { client.destroy(); }
}

const tiny = (n: number) => ({
  output: { format: 'mp4', width: 64, height: 64, fps: 10, quality: 'draft' },
  tracks: [{ clips: [{ asset: { type: 'color', color: n % 2 ? '#2040a0' : '#a04020' }, start: 0, length: 0.5 }] }],
});

/**
 * 320×180, 30 fps, `seconds` of turning text: a second or more of ffmpeg work. Under
 * MONTAGE_CHUNK_SECONDS (30), so the cluster renders it whole rather than in pieces.
 */
const slow = (seconds: number) => ({
  output: { format: 'mp4', width: 320, height: 180, fps: 30, quality: 'draft' },
  tracks: [{ clips: [
    { asset: { type: 'color', color: '#203040' }, start: 0, length: seconds },
    { asset: { type: 'text', text: 'chaos' }, start: 0, length: seconds, keyframes: { rotate: [{ time: 0, value: 0 }, { time: seconds, value: 360 }] } },
  ] }],
});

interface Point {
  readonly name: string;
  composition(c: Chaos, n: number): Record<string, unknown>;
  /** The holder when the render is at the point, else undefined. */
  reached(c: Chaos, id: string, n: number): Promise<MontageProcess | undefined>;
}

const status = async (c: Chaos, id: string) => (await c.t.client.getRender(id)).status;

const POINTS: readonly Point[] = [
  {
    name: 'during download',
    composition: (c, n) => ({
      output: { format: 'mp4', width: 64, height: 64, fps: 10, quality: 'draft' },
      tracks: [{ clips: [{ asset: { type: 'image', src: c.assets.urlOf(`/chaos/${c.t.kind}-${n}.png`) }, start: 0, length: 0.5 }] }],
    }),
    async reached(c, id, n) {
      if (!c.assets.inFlight.has(`/chaos/${c.t.kind}-${n}.png`)) return undefined;
      const holder = holderOf(c, id);
      return holder && await status(c, id) === 'preparing' ? holder : undefined;
    },
  },
  {
    name: 'mid-render',
    composition: () => slow(25),
    async reached(c, id) {
      const f = ffmpegWith(`/work/${id}/`);
      if (!f) return undefined;
      const holder = c.t.renderers.find((p) => p.pid === f.ppid);
      return holder && await status(c, id) === 'rendering' ? holder : undefined;
    },
  },
  {
    name: 'during upload',
    composition: (_c, n) => tiny(n),
    async reached(c, id) {
      const holder = holderOf(c, id);
      return holder && partUpload(c, holder, `/${id}/`) && await status(c, id) === 'finalizing' ? holder : undefined;
    },
  },
  {
    name: 'after upload, before completion',
    composition: (_c, n) => tiny(n),
    async reached(c, id) {
      const holder = holderOf(c, id);
      if (!holder || await status(c, id) !== 'finalizing') return undefined;
      return (await outputObjects(c, id)).length > 0 ? holder : undefined;
    },
  },
  {
    name: 'after completion, before the webhook is queued',
    composition: (_c, n) => tiny(n),
    async reached(c, id) {
      const holder = holderOf(c, id);
      if (!holder || await status(c, id) !== 'succeeded') return undefined;
      return c.t.webhooks.deliveries.some((d) => d.body.includes(id)) ? undefined : holder;
    },
  },
];

const png = execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=1', '-frames:v', '1', '-f', 'image2pipe', '-vcodec', 'png', '-']);

const targets = [
  { kind: 'serve', skip: null as string | null },
  { kind: 'the 2+2 cluster', skip: clusterSkipReason() },
] as const;

for (const { kind, skip } of targets) {
  describe(`chaos on ${kind}: kill -9 at five points, ${PER_POINT} render(s) each${SOAK ? ' (soak)' : ''}`, { skip: skip ?? false }, () => {
    let c: Chaos;
    before(async () => {
      const env = {
        MONTAGE_JOB_LEASE: '3s', MONTAGE_ALLOW_HOSTS: '127.0.0.1', MONTAGE_FETCH_CACHE_BYTES: '64MiB',
        MONTAGE_FAULT_PAUSE: kind === 'serve' ? `upload=${HOLD_MS}ms,after-upload=${HOLD_MS}ms,before-notify=${HOLD_MS}ms` : `after-upload=${HOLD_MS}ms,before-notify=${HOLD_MS}ms`,
      };
      c = await startChaos(kind, env, png, HOLD_MS);
    });
    after(() => stopChaos(c));

    for (const point of POINTS) {
      it(`${point.name}: every render succeeds with one output object and one webhook-id, nothing left active`, async () => {
        const ids: string[] = [];
        const recoveries: number[] = [];
        const killedAt = new Map<string, number>();
        let missed = 0;
        for (let n = 0; n < PER_POINT; n++) {
          const { id, holder } = await renderCaughtAt(c, point.name, () => point.composition(c, n), (id) => point.reached(c, id, n), () => missed++);
          ids.push(id);
          await holder.kill('SIGKILL');
          killedAt.set(id, Date.now());
          await holder.start();
        }
        if (missed) report(`${kind} ${point.name}: the point was missed ${missed} time(s); those renders ran to the end unkilled`);

        const hooksFor = (id: string) => c.t.webhooks.verified(c.t.webhookSecret).filter((w) => w.data.id === id);
        await waitUntil(`a webhook for each of the ${ids.length} renders`, () => ids.every((id) => hooksFor(id).length > 0),
          { timeoutMs: (SOAK ? 900 : 180) * 1000, intervalMs: 250 });
        for (const id of ids) recoveries.push((hooksFor(id)[0]!.delivery.at - killedAt.get(id)!) / 1000);
        await new Promise((r) => setTimeout(r, 1_000)); // room for a duplicate to show up

        for (const id of ids) {
          const render = await c.t.client.getRender(id);
          assert.equal(render.status, 'succeeded', `${id}: ${JSON.stringify(render.error)}`);
          assert.deepEqual(await outputObjects(c, id), ['video.mp4'], `${id}: one output object`);
          const hooks = hooksFor(id);
          assert.deepEqual([...new Set(hooks.map((h) => h.id))].length, 1, `${id}: one webhook-id (${hooks.length} deliveries)`);
          assert.ok(hooks.every((h) => h.type === 'render.succeeded'));
        }
        const depth = await waitUntil('an empty queue', async () => {
          const d = await c.t.queueDepth();
          return d.active === 0 && d.waiting === 0 ? d : undefined;
        }, { timeoutMs: 30_000, intervalMs: 250 });
        assert.equal(depth.dead, 0);
        if (c.t.serve) {
          const tmp = join(c.t.serve.dataDir, 'objects', '.tmp');
          assert.deepEqual(existsSync(tmp) ? readdirSync(tmp) : [], [], 'no part-written object left');
        }
        const sorted = [...recoveries].sort((a, b) => a - b);
        report(`${kind} ${point.name}: ${ids.length} kill(s); kill → webhook median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} s, max ${sorted.at(-1)!.toFixed(1)} s`);
      });
    }
  });
}
