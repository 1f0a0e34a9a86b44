/**
 * A chunked render (montage api + worker, MONTAGE_CHUNK_SECONDS) read through shotstack-sdk's
 * getRender: its `duration` is the rendered one, as an unchunked render's is, not the estimate made
 * at submission (which counts no clip whose length is "auto": the video's is known once probed).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRealEngine } from '../../src/jobs/load-real-engine.ts';
import type { RenderEngine } from '../../src/ports/render-engine.ts';
import { startSdkRig, type SdkRig } from './support/sdk-rig.ts';
import { segmentVideo, solidImage } from '../support/media-fixtures.ts';
import { ffprobe } from '../support/ffmpeg-tools.ts';

let engine: RenderEngine | undefined;
let skip: string | undefined;
let dir: string;
let rig: SdkRig;

before(async () => {
  const r = await loadRealEngine();
  if ('engine' in r) engine = r.engine; else { skip = r.skip; return; }
  dir = mkdtempSync(join(tmpdir(), 'montage-shotstack-chunked-'));
  await solidImage(dir, 'red.png', 160, 90, '#ff0000');
  await segmentVideo(dir, 'clip.mp4', { width: 160, height: 90, colours: ['#00ff00', '#0000ff', '#00ff00'] });
  rig = await startSdkRig(engine, dir, 'shotstack-chunked', { mode: 'scale-out', env: { MONTAGE_CHUNK_SECONDS: '1' } });
});
after(async () => { await rig?.close(); if (dir) rmSync(dir, { recursive: true, force: true }); });

describe('a chunked Shotstack render through shotstack-sdk', () => {
  it('reports the rendered duration in GET render, not the submission-time estimate', async (t) => {
    if (skip) return t.skip(skip);
    const edit = {
      timeline: { tracks: [{ clips: [
        { asset: { type: 'image', src: `${rig.mediaUrl}/red.png` }, start: 0, length: 1.5 },
        { asset: { type: 'video', src: `${rig.mediaUrl}/clip.mp4` }, start: 1.5, length: 'auto' },
      ] }] },
      output: { format: 'mp4', size: { width: 160, height: 90 }, fps: 10 },
    };
    const { id } = (await rig.api.postRender(edit)).response;
    let r = (await rig.api.getRender(id, { data: false })).response as { status: string; duration?: number; url?: string; error?: string };
    for (let i = 0; i < 800 && r.status !== 'done' && r.status !== 'failed'; i++) {
      await new Promise((res) => setTimeout(res, 250));
      r = (await rig.api.getRender(id, { data: false })).response as typeof r;
    }
    assert.equal(r.status, 'done', r.error);
    // The worker split it into pieces (its job log names each piece it took).
    assert.ok(rig.svc.logs.some((l) => l.kind === 'render-piece' && l.renderId === id), 'the render was chunked');
    const path = join(dir, 'out.mp4');
    writeFileSync(path, Buffer.from(await (await fetch(r.url!)).arrayBuffer()));
    const probed = Number(JSON.parse((await ffprobe('-show_entries', 'format=duration', '-of', 'json', path)).toString()).format.duration);
    assert.ok(Math.abs(probed - 4.5) < 0.05, `the file lasts 4.5 s: ${probed}`);
    assert.ok(Math.abs((r.duration ?? 0) - 4.5) < 1e-6, `GET render's duration is the rendered 4.5 s, not the submission estimate of 1.5 s: ${r.duration}`);
  });
});
