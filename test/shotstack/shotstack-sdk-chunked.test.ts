/**
 * A chunked render (montage api + worker, MONTAGE_CHUNK_SECONDS) read through shotstack-sdk's
 * getRender: its `duration` is the rendered one, as an unchunked render's is, not the estimate made
 * at submission (which counts no clip whose length is "auto": the video's is known once probed).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pollRender, saveOutput, sdkSuite } from './support/sdk-rig.ts';
import { segmentVideo, solidImage } from '../support/media-fixtures.ts';
import { ffprobe } from '../support/ffmpeg-tools.ts';

const rig = sdkSuite('shotstack-chunked', async (dir) => {
  await solidImage(dir, 'red.png', 160, 90, '#ff0000');
  await segmentVideo(dir, 'clip.mp4', { width: 160, height: 90, colours: ['#00ff00', '#0000ff', '#00ff00'] });
}, { mode: 'scale-out', env: { MONTAGE_CHUNK_SECONDS: '1' } });

describe('a chunked Shotstack render through shotstack-sdk', () => {
  it('reports the rendered duration in GET render, not the submission-time estimate', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const edit = {
      timeline: { tracks: [{ clips: [
        { asset: { type: 'image', src: `${rig.mediaUrl}/red.png` }, start: 0, length: 1.5 },
        { asset: { type: 'video', src: `${rig.mediaUrl}/clip.mp4` }, start: 1.5, length: 'auto' },
      ] }] },
      output: { format: 'mp4', size: { width: 160, height: 90 }, fps: 10 },
    };
    const { id } = (await rig.api.postRender(edit)).response;
    const r = await pollRender(rig.api, id, { polls: 800 });
    assert.equal(r.status, 'done', r.error);
    // The worker split it into pieces (its job log names each piece it took).
    assert.ok(rig.svc.logs.some((l) => l.kind === 'render-piece' && l.renderId === id), 'the render was chunked');
    const path = await saveOutput(r.url!, join(rig.dir, 'out.mp4'));
    const probed = Number(JSON.parse((await ffprobe('-show_entries', 'format=duration', '-of', 'json', path)).toString()).format.duration);
    assert.ok(Math.abs(probed - 4.5) < 0.05, `the file lasts 4.5 s: ${probed}`);
    assert.ok(Math.abs((r.duration ?? 0) - 4.5) < 1e-6, `GET render's duration is the rendered 4.5 s, not the submission estimate of 1.5 s: ${r.duration}`);
  });
});
