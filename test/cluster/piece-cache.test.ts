// Issue 17, the piece cache in scale-out: two distributed renders of one template that differ only
// in the name shown in the last 2 s. Worker 0 alone renders the first (every piece rendered and
// stored: index in PostgreSQL, bytes in S3); then worker 0 stops and worker 1 alone renders the
// second, reusing the three pieces worker 0 stored and rendering only the last. The Render object
// says so (`pieces`), the workers' logs name each piece's key and whether it was reused, worker 1's
// counters agree, and the output decodes to the right frames: the reused pieces exactly those of
// the first render, the whole matching a cold `montage render` of the second composition.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { ffmpeg, ffmpegLog } from '../support/ffmpeg-tools.ts';
import { probeOutput } from '../support/probe-output.ts';
import { metricValue } from './support/prometheus-text.ts';
import { clusterSkipReason, startCluster, type Cluster } from './support/start-cluster.ts';
import { waitForRender, waitUntil } from './support/wait-for-render.ts';

const skip = clusterSkipReason();
const SECONDS = 8;
const FPS = 15;

/** The template: a moving square over the whole timeline, a greeting early on, the name in seconds 6.2–7.8. */
const template = (name: string, soundtrack: string) => ({
  output: { format: 'mp4', width: 320, height: 180, fps: FPS, quality: 'draft' },
  soundtrack: { src: soundtrack, volume: 0.8 },
  tracks: [
    { clips: [{ asset: { type: 'color', color: '#1c2541' }, start: 0, length: SECONDS }] },
    { clips: [
      { asset: { type: 'shape', shape: 'rectangle', width: 40, height: 40, fill: '#ffcc00' }, start: 0, length: SECONDS,
        keyframes: { x: [{ time: 0, value: -0.35 }, { time: SECONDS, value: 0.35 }] } },
      { asset: { type: 'text', text: 'Hello', font: { size: 28, color: '#ffffff' } }, start: 0.5, length: 1.5, position: 'top' },
      { asset: { type: 'text', text: name, font: { size: 32, color: '#ffffff' } }, start: 6.2, length: 1.6, position: 'bottom' },
    ] },
  ],
});

describe('cluster: the piece cache shared by the workers', { skip: skip ?? false }, () => {
  let c: Cluster;
  let tmp: string;
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'montage-cluster-pieces-'));
    // 2 s chunks: the piece grid of a distributed render is 2 s (its default length, at most the chunk length).
    c = await startCluster({ apis: 1, workers: 2, startWorkers: false, env: { MONTAGE_CHUNK_SECONDS: '2', MONTAGE_PIECE_CACHE: '1' } });
  });
  after(async () => {
    await c?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('a piece rendered by one worker is reused by the other, and the output decodes to the right frames', async () => {
    const [w0, w1] = c.workers as [typeof c.workers[0], typeof c.workers[0]];
    const wav = join(tmp, 'tone.wav');
    await ffmpeg('-f', 'lavfi', '-i', `sine=frequency=440:duration=${SECONDS}`, '-ac', '1', '-ar', '44100', wav);
    const asset = await c.client.uploadAsset(readFileSync(wav), { contentType: 'audio/wav', filename: 'tone.wav' });

    await w0.start();
    const a = await c.client.createRender({ composition: template('Ada', asset.src) } as never);
    const doneA = await waitForRender(c.client, a.id, undefined, { timeoutMs: 180_000, intervalMs: 300 });
    assert.equal(doneA.status, 'succeeded', JSON.stringify(doneA.error));
    assert.deepEqual(doneA.pieces, { total: 4, reused: 0 }, 'the first render renders all 4 pieces');
    await w0.kill('SIGTERM');

    await w1.start();
    const b = await c.client.createRender({ composition: template('Grace', asset.src) } as never);
    const doneB = await waitForRender(c.client, b.id, undefined, { timeoutMs: 180_000, intervalMs: 300 });
    assert.equal(doneB.status, 'succeeded', JSON.stringify(doneB.error));
    assert.deepEqual(doneB.pieces, { total: 4, reused: 3 }, 'only the piece showing the name is rendered again');
    assert.deepEqual((await c.client.listRenders()).data.find((r) => r.id === b.id)?.pieces, { total: 4, reused: 3 }, 'the list says so too');

    // The logs: worker 0 stored every piece of the first render; worker 1 reused three of them.
    type PieceLine = { renderId: string; piece: string; pieceKey: string; reused: boolean };
    const pieceLines = (w: typeof w0, renderId: string) => w.records().filter((l) => l.msg === 'render piece' && l.renderId === renderId) as unknown as PieceLine[];
    const storedBy0 = pieceLines(w0, a.id);
    assert.deepEqual(storedBy0.map((l) => [l.piece, l.reused]).sort(), [['0', false], ['1', false], ['2', false], ['3', false]]);
    const usedBy1 = pieceLines(w1, b.id);
    assert.deepEqual(usedBy1.map((l) => [l.piece, l.reused]).sort(), [['0', true], ['1', true], ['2', true], ['3', false]]);
    assert.deepEqual(pieceLines(w1, a.id), [], 'worker 1 did nothing for the first render');
    const keyOf = (lines: PieceLine[], piece: string) => lines.find((l) => l.piece === piece)!.pieceKey;
    for (const piece of ['0', '1', '2']) assert.equal(keyOf(usedBy1, piece), keyOf(storedBy0, piece), `piece ${piece}: reused the key worker 0 stored`);
    assert.notEqual(keyOf(usedBy1, '3'), keyOf(storedBy0, '3'), 'the piece with the name has another key');
    await waitUntil('worker 1 logs the render pieces', () => w1.records().some((l) => l.msg === 'render pieces' && l.renderId === b.id));
    const summary = w1.records().find((l) => l.msg === 'render pieces' && l.renderId === b.id) as { pieces: { total: number; reused: number; bytesReused: number } };
    assert.equal(summary.pieces.total, 4);
    assert.equal(summary.pieces.reused, 3);
    assert.ok(summary.pieces.bytesReused > 0);
    const metrics = (await w1.get('/metrics')).text;
    assert.equal(metricValue(metrics, 'montage_pieces_reused_total'), 3);
    assert.equal(metricValue(metrics, 'montage_pieces_rendered_total'), 1);
    assert.ok(metricValue(metrics, 'montage_piece_cache_served_bytes_total') > 0);

    // The index is in PostgreSQL and the pieces are in S3: five distinct pieces, all there.
    const indexed = (await c.db.query<{ key: string }>('SELECT key FROM piece_cache')).map((r) => r.key).sort();
    const keys = [...new Set([...storedBy0, ...usedBy1].map((l) => l.pieceKey))].sort();
    assert.equal(keys.length, 5);
    assert.deepEqual(indexed, keys);
    const s3 = new S3Client({ endpoint: c.s3!.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: c.s3!.bucket, Prefix: 'montage/piece-cache/' }));
    s3.destroy();
    const objects = (listed.Contents ?? []).map((o) => /([0-9a-f]{64})\.mp4$/.exec(o.Key ?? '')?.[1]).sort();
    assert.deepEqual(objects, keys, 'one object per indexed piece');

    // Decoded output: the second render has every frame, the whole length of sound, the reused
    // seconds 0–6 exactly as the first render's and the last two seconds not.
    const files = { a: join(tmp, 'a.mp4'), b: join(tmp, 'b.mp4') };
    writeFileSync(files.a, await c.client.downloadOutput(a.id));
    writeFileSync(files.b, await c.client.downloadOutput(b.id));
    const probed = await probeOutput(files.b, { countFrames: true });
    assert.equal(Number(probed.video?.nb_read_frames), SECONDS * FPS, 'frame count');
    assert.ok(Math.abs(Number(probed.format.duration) - SECONDS) < 0.1, `duration ${probed.format.duration}`);
    assert.ok(Math.abs(Number(probed.audio?.duration) - SECONDS) < 0.1, `audio lasts ${probed.audio?.duration} s`);
    const frames = async (file: string) => (await ffmpeg('-i', file, '-map', '0:v', '-f', 'framemd5', '-')).toString()
      .split('\n').filter((l) => /^\s*0,/.test(l)).map((l) => l.split(',').pop()!.trim());
    const [fa, fb] = [await frames(files.a), await frames(files.b)];
    assert.equal(fb.length, SECONDS * FPS);
    assert.deepEqual(fb.slice(0, 6 * FPS), fa.slice(0, 6 * FPS), 'the reused pieces decode to the first render’s frames');
    assert.notDeepEqual(fb.slice(6 * FPS), fa.slice(6 * FPS), 'the re-rendered piece shows the other name');

    // …and the whole matches the second composition rendered cold by `montage render`.
    const compFile = join(tmp, 'grace.json');
    writeFileSync(compFile, JSON.stringify(template('Grace', wav)));
    const local = join(tmp, 'local.mp4');
    await c.montage(['render', compFile, '-o', local, '--json']);
    const cold = await probeOutput(local, { countFrames: true });
    assert.equal(probed.video?.nb_read_frames, cold.video?.nb_read_frames, 'frame count against a cold render');
    const log = await ffmpegLog('-i', files.b, '-i', local, '-lavfi', '[0:v]setpts=PTS-STARTPTS[a];[1:v]setpts=PTS-STARTPTS[b];[a][b]ssim', '-f', 'null', '-');
    const ssim = Number(/SSIM .*All:([\d.]+)/.exec(log)?.[1]);
    const wall = (r: typeof doneA) => (Date.parse(r.finishedAt!) - Date.parse(r.startedAt!)) / 1000;
    console.log(`pieces ${JSON.stringify(doneB.pieces)}; SSIM against a cold render: ${ssim}; frames ${probed.video?.nb_read_frames}/${cold.video?.nb_read_frames}; started→finished: first ${wall(doneA)} s, second ${wall(doneB)} s`);
    assert.ok(ssim >= 0.98, `SSIM ${ssim}`);
  });
});
