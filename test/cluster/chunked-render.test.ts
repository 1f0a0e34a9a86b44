// Issue 4, distributed chunked render: with MONTAGE_CHUNK_SECONDS=4 a 20 s render is split into
// 4 s video parts plus the whole timeline's audio; both workers render pieces (their job logs name
// the pieces each one finished), one joins them. The joined output, downloaded through the
// balancer, matches the same composition rendered unchunked by `montage render` on this machine:
// same duration, same frame count, SSIM ≥ 0.98, and the audio is there for the whole length.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffmpeg, ffmpegLog } from '../support/ffmpeg-tools.ts';
import { probeOutput } from '../support/probe-output.ts';
import { clusterSkipReason, startCluster, type Cluster } from './support/start-cluster.ts';
import { scenesComposition } from './support/tiny-compositions.ts';
import { waitForRender, waitUntil } from './support/wait-for-render.ts';

const skip = clusterSkipReason();
const SECONDS = 20;

describe('cluster: one chunked render on both workers', { skip: skip ?? false }, () => {
  let c: Cluster;
  let tmp: string;
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'montage-cluster-chunks-'));
    c = await startCluster({ apis: 1, workers: 2, env: { MONTAGE_CHUNK_SECONDS: '4' } });
  });
  after(async () => {
    await c?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('splits a 20 s render into pieces both workers render; the joined output matches an unchunked render', async () => {
    const wav = join(tmp, 'tone.wav');
    await ffmpeg('-f', 'lavfi', '-i', `sine=frequency=330:duration=${SECONDS}`, '-ac', '1', '-ar', '44100', wav);
    const asset = await c.client.uploadAsset(readFileSync(wav), { contentType: 'audio/wav', filename: 'tone.wav' });
    // 640×360 at 30 fps: each piece is a second or two of work, so the second worker gets its share.
    const withSize = (o: Record<string, unknown>) => ({ ...o, output: { ...(o.output as object), width: 640, height: 360 } });
    const render = await c.client.createRender({ composition: withSize(scenesComposition(SECONDS, { fps: 30, soundtrack: asset.src })), webhook: { url: c.webhooks.url } } as never);
    const done = await waitForRender(c.client, render.id, undefined, { timeoutMs: 240_000, intervalMs: 500 });
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));

    // Who did what, from each worker's job log (the join's line comes just after the render is final).
    const joinLogged = () => c.workers.some((w) => w.records().some((l) => l.msg === 'job finished' && l.renderId === render.id && l.kind === 'join-render'));
    await waitUntil('the join job logged', joinLogged, { timeoutMs: 15_000 });
    const jobs = c.workers.map((w) => w.records().filter((l) => l.msg === 'job finished' && l.renderId === render.id && l.outcome === 'ack'));
    const pieces = jobs.map((js) => js.filter((l) => l.kind === 'render-piece').map((l) => String(l.piece)));
    console.log(c.workers.map((w, i) => `${w.name}: ${jobs[i]!.map((l) => (l.kind === 'render-piece' ? `piece ${l.piece}` : l.kind)).join(', ')}`).join('; '));
    assert.deepEqual(pieces.flat().sort(), ['0', '1', '2', '3', '4', 'audio'], 'every piece rendered once');
    assert.ok(pieces.every((p) => p.length > 0), `both workers rendered pieces: ${JSON.stringify(pieces)}`);
    assert.equal(jobs.flat().filter((l) => l.kind === 'join-render').length, 1, 'one join');
    assert.equal(jobs.flat().filter((l) => l.kind === 'render').length, 1, 'one coordinator');
    assert.deepEqual(await c.db.query('SELECT * FROM render_pieces'), [], 'the plan is removed after the join');

    const chunked = join(tmp, 'chunked.mp4');
    writeFileSync(chunked, await c.client.downloadOutput(render.id));
    // The same composition, unchunked, rendered by the CLI with the sound as a local file.
    const compFile = join(tmp, 'local.json');
    writeFileSync(compFile, JSON.stringify(withSize(scenesComposition(SECONDS, { fps: 30, soundtrack: wav }))));
    const local = join(tmp, 'local.mp4');
    await c.montage(['render', compFile, '-o', local, '--json']);

    const [a, b] = await Promise.all([probeOutput(chunked, { countFrames: true }), probeOutput(local, { countFrames: true })]);
    assert.equal(a.video?.nb_read_frames, b.video?.nb_read_frames, 'frame count');
    assert.equal(Number(a.video?.nb_read_frames), SECONDS * 30);
    assert.ok(Math.abs(Number(a.format.duration) - Number(b.format.duration)) < 0.05, `duration ${a.format.duration} vs ${b.format.duration}`);
    assert.ok(Math.abs(Number(a.audio?.duration) - SECONDS) < 0.1, `audio lasts ${a.audio?.duration} s`);
    const log = await ffmpegLog('-i', chunked, '-i', local, '-lavfi', '[0:v]setpts=PTS-STARTPTS[a];[1:v]setpts=PTS-STARTPTS[b];[a][b]ssim', '-f', 'null', '-');
    const ssim = Number(/SSIM .*All:([\d.]+)/.exec(log)?.[1]);
    console.log(`SSIM chunked vs unchunked: ${ssim}; frames ${a.video?.nb_read_frames}/${b.video?.nb_read_frames}; duration ${a.format.duration}/${b.format.duration} s`);
    assert.ok(ssim >= 0.98, `SSIM ${ssim}`);
  });
});
