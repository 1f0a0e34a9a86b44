// Chaos for chunked renders (issue 16, part 3.3): kill -9 of the process holding a distributed
// render's work, at the five points of chaos.test.ts plus "during the join", against `montage serve`
// with two render slots (MONTAGE_WORKER_CONCURRENCY=2, so it splits) and the 2+2 cluster. Renders are
// split into ~1 s pieces (MONTAGE_CHUNK_SECONDS=1); the join has the same fault-injection points as a
// whole render. Each render is caught at its point by observing real state, then its holder is killed
// with its ffmpeg and started again:
//
// - during download: a piece's image is half sent by the slow asset server;
// - mid-render: an ffmpeg rendering one of its pieces (work dir `<id>-piece-N`) runs under the holder;
// - during the join: the join's ffmpeg (work dir `<id>-join`) runs under the holder;
// - during upload: the joined output is part-written (serve: a `.part`; cluster: half a PUT at S3);
// - after upload, before completion: the output is stored, the render still `finalizing`;
// - after completion, before the webhook: `succeeded`, and no webhook has come.
//
// Passing: every render succeeds with exactly one object under its prefix (`video.mp4`) once the
// piece retention (2 s here) has passed, so no piece is left behind; one signed webhook-id each; the
// queue ends with nothing active, waiting or dead. npm test: 1 render at each of two points (during
// the join, after completion) on serve and on the cluster where it can run; MONTAGE_CHUNKED_POINTS=all:
// 1 at each of the six; MONTAGE_SOAK=1: 10 at each of the six.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { MontageProcess } from '../cluster/support/montage-process.ts';
import { clusterSkipReason } from '../cluster/support/start-cluster.ts';
import { waitUntil } from '../cluster/support/wait-for-render.ts';
import { ffmpegWith, partUpload, renderCaughtAt, startChaos, stopChaos, type Chaos } from './support/chaos-rig.ts';

const SOAK = process.env.MONTAGE_SOAK === '1';
const PER_POINT = SOAK ? 10 : 1;
/** npm test kills at two points (the join, and after completion); the soak, or MONTAGE_CHUNKED_POINTS=all, at all six. */
const ALL_POINTS = SOAK || process.env.MONTAGE_CHUNKED_POINTS === 'all';
const SHORT_POINTS = new Set(['during the join', 'after completion, before the webhook']);
const HOLD_MS = 1_500;
const RETENTION_MS = 2_000;
const report = (line: string) => console.log(`# ${line}`);

/** Work dirs of this render on a renderer: `<id>-piece-N`, `<id>-join` (and `<id>` while it is planned). */
const workDirsOf = (c: Chaos, p: MontageProcess, id: string): string[] => {
  const root = join(c.dataDirOf(p), 'work');
  return existsSync(root) ? readdirSync(root).filter((d) => d === id || d.startsWith(`${id}-`)) : [];
};
const holderOf = (c: Chaos, id: string, dir?: (d: string) => boolean): MontageProcess | undefined =>
  c.t.renderers.find((p) => p.running && workDirsOf(c, p, id).some(dir ?? (() => true)));

/** Every object under the render's prefix, as a path below it (`video.mp4`, `pieces/part-0.mp4`). */
async function objectsUnder(c: Chaos, id: string): Promise<string[]> {
  if (c.t.serve) {
    const root = join(c.t.serve.dataDir, 'objects', 'renders');
    if (!existsSync(root)) return [];
    const files: string[] = [];
    const walk = (dir: string, base: string) => {
      for (const n of readdirSync(dir)) {
        const p = join(dir, n);
        if (statSync(p).isDirectory()) walk(p, base); else files.push(relative(base, p));
      }
    };
    for (const tenant of readdirSync(root)) if (existsSync(join(root, tenant, id))) walk(join(root, tenant, id), join(root, tenant, id));
    return files.sort();
  }
  const s3 = c.t.cluster!.s3!;
  const client = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  try {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'montage/renders/', ContinuationToken: token }));
      for (const o of page.Contents ?? []) if (o.Key?.includes(`/${id}/`)) keys.push(o.Key.slice(o.Key.indexOf(`/${id}/`) + id.length + 2));
      token = page.NextContinuationToken;
    } while (token);
    return keys.sort();
  } finally { client.destroy(); }
}

/** 4 s of colour at 64×64: long enough to be split into GOP-aligned pieces plus the audio piece, cheap. */
const tiny = (n: number) => ({
  output: { format: 'mp4', width: 64, height: 64, fps: 30, quality: 'draft' },
  tracks: [{ clips: [{ asset: { type: 'color', color: n % 2 ? '#2040a0' : '#a04020' }, start: 0, length: 4 }] }],
});

/** `seconds` of turning text at 320×180, 30 fps: each piece is a second or more of ffmpeg work. */
const slow = (seconds: number) => ({
  output: { format: 'mp4', width: 320, height: 180, fps: 30, quality: 'draft' },
  tracks: [{ clips: [
    { asset: { type: 'color', color: '#203040' }, start: 0, length: seconds },
    { asset: { type: 'text', text: 'chunks' }, start: 0, length: seconds, keyframes: { rotate: [{ time: 0, value: 0 }, { time: seconds, value: 360 }] } },
  ] }],
});

interface Point {
  readonly name: string;
  composition(c: Chaos, n: number): Record<string, unknown>;
  reached(c: Chaos, id: string, n: number): Promise<MontageProcess | undefined>;
}

const status = async (c: Chaos, id: string) => (await c.t.client.getRender(id)).status;

const POINTS: readonly Point[] = [
  {
    name: 'during download',
    composition: (c, n) => ({
      output: { format: 'mp4', width: 64, height: 64, fps: 10, quality: 'draft' },
      tracks: [{ clips: [{ asset: { type: 'image', src: c.assets.urlOf(`/chunked/${c.t.kind}-${n}.png`) }, start: 0, length: 2 }] }],
    }),
    async reached(c, id, n) {
      if (!c.assets.inFlight.has(`/chunked/${c.t.kind}-${n}.png`)) return undefined;
      const holder = holderOf(c, id);
      return holder && ['preparing', 'rendering'].includes(await status(c, id)) ? holder : undefined;
    },
  },
  {
    name: 'mid-render (a piece)',
    composition: () => slow(4),
    async reached(c, id) {
      const f = ffmpegWith(`/work/${id}-piece-`);
      const holder = f && c.t.renderers.find((p) => p.pid === f.ppid);
      return holder && await status(c, id) === 'rendering' ? holder : undefined;
    },
  },
  {
    name: 'during the join',
    composition: () => slow(3),
    async reached(c, id) {
      const f = ffmpegWith(`/work/${id}-join/`);
      const holder = f && c.t.renderers.find((p) => p.pid === f.ppid);
      return holder ?? undefined;
    },
  },
  {
    name: 'during upload',
    composition: (_c, n) => tiny(n),
    async reached(c, id) {
      const holder = holderOf(c, id, (d) => d.endsWith('-join'));
      return holder && partUpload(c, holder, `/${id}/video`) && await status(c, id) === 'finalizing' ? holder : undefined;
    },
  },
  {
    name: 'after upload, before completion',
    composition: (_c, n) => tiny(n),
    async reached(c, id) {
      const holder = holderOf(c, id, (d) => d.endsWith('-join'));
      if (!holder || await status(c, id) !== 'finalizing') return undefined;
      return (await objectsUnder(c, id)).includes('video.mp4') ? holder : undefined;
    },
  },
  {
    name: 'after completion, before the webhook',
    composition: (_c, n) => tiny(n),
    async reached(c, id) {
      const holder = holderOf(c, id, (d) => d.endsWith('-join'));
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
  describe(`chaos on ${kind}, chunked renders: kill -9 at ${ALL_POINTS ? 'six' : 'two'} points, ${PER_POINT} render(s) each${SOAK ? ' (soak)' : ''}`, { skip: skip ?? false }, () => {
    let c: Chaos;
    before(async () => {
      const env = {
        MONTAGE_JOB_LEASE: '3s', MONTAGE_ALLOW_HOSTS: '127.0.0.1', MONTAGE_FETCH_CACHE_BYTES: '0',
        MONTAGE_CHUNK_SECONDS: '1', MONTAGE_PIECE_RETENTION: `${RETENTION_MS}ms`, MONTAGE_RECONCILE_INTERVAL: '1s',
        MONTAGE_FAULT_PAUSE: kind === 'serve' ? `upload=${HOLD_MS}ms,after-upload=${HOLD_MS}ms,before-notify=${HOLD_MS}ms` : `after-upload=${HOLD_MS}ms,before-notify=${HOLD_MS}ms`,
        ...(kind === 'serve' ? { MONTAGE_WORKER_CONCURRENCY: '2' } : {}),
      };
      c = await startChaos(kind, env, png, HOLD_MS);
    });
    after(() => stopChaos(c));

    for (const point of POINTS.filter((p) => ALL_POINTS || SHORT_POINTS.has(p.name))) {
      it(`${point.name}: every render succeeds with one output, one webhook-id, and no piece left after the retention`, async () => {
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
        if (missed) report(`${kind} chunked ${point.name}: the point was missed ${missed} time(s); those renders ran to the end unkilled`);

        const hooksFor = (id: string) => c.t.webhooks.verified(c.t.webhookSecret).filter((w) => w.data.id === id);
        await waitUntil(`a webhook for each of the ${ids.length} renders`, () => ids.every((id) => hooksFor(id).length > 0),
          { timeoutMs: (SOAK ? 900 : 240) * 1000, intervalMs: 250 });
        for (const id of ids) recoveries.push((hooksFor(id)[0]!.delivery.at - killedAt.get(id)!) / 1000);

        for (const id of ids) {
          const render = await c.t.client.getRender(id);
          assert.equal(render.status, 'succeeded', `${id}: ${JSON.stringify(render.error)}`);
          // Pieces go at the join's clean-up, or at the latest one sweep after the retention.
          const objects = await waitUntil(`${id}: only its output left`, async () => {
            const o = await objectsUnder(c, id);
            return o.length === 1 && o[0] === 'video.mp4' ? o : undefined;
          }, { timeoutMs: RETENTION_MS + 15_000, intervalMs: 250 }).catch(async () => objectsUnder(c, id));
          assert.deepEqual(objects, ['video.mp4'], `${id}: one output object and no piece left`);
        }
        await new Promise((r) => setTimeout(r, 1_000)); // room for a duplicate webhook to show up
        for (const id of ids) {
          const hooks = hooksFor(id);
          assert.equal(new Set(hooks.map((h) => h.id)).size, 1, `${id}: one webhook-id (${hooks.length} deliveries)`);
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
        report(`${kind} chunked ${point.name}: ${ids.length} kill(s); kill → webhook median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} s, max ${sorted.at(-1)!.toFixed(1)} s`);
      });
    }
  });
}
