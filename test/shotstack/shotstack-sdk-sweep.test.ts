/**
 * A sweep of Edits as a Shotstack user writes them (written for this test: a listing slideshow, a
 * social promo, a captioned clip with a callback, a looping-once GIF, a still, a podcast teaser in
 * MP3, a template with merge fields), each submitted through shotstack-sdk to montage serve and
 * its output decoded: the size, frame rate and length Shotstack's output fields ask for, the
 * picture where the Edit puts one, the sidecars it asks for. What Montage cannot draw (html) is
 * refused at its path, and the Edit with the suggested fix renders.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pollRender, renderToFile, saveOutput, sdkSuite, type Refusal } from './support/sdk-rig.ts';
import { segmentVideo, solidImage, toneWav } from '../support/media-fixtures.ts';
import { ffmpeg } from '../support/ffmpeg-tools.ts';
import { decodeFrames, decodePicture, frameAt, patch } from '../support/decoded-pictures.ts';
import { probeOutput, rate } from '../support/probe-output.ts';

const rig = sdkSuite('shotstack-sweep', async (dir) => {
  await segmentVideo(dir, 'drone.mp4', { width: 320, height: 180, fps: 25, colours: ['#2050a0', '#2060b0', '#2070c0', '#2080d0'], tone: 330 });
  await ffmpeg('-f', 'lavfi', '-i', 'color=c=#c08040:s=400x300,drawbox=x=150:y=100:w=100:h=100:color=white:t=fill', '-frames:v', '1', join(dir, 'kitchen.jpg'));
  await solidImage(dir, 'garden.png', 300, 400, '#30a040');
  await ffmpeg('-f', 'lavfi', '-i', 'color=c=#00ff00:s=200x200,drawbox=x=50:y=50:w=100:h=100:color=#ff00ff:t=fill', '-frames:v', '1', join(dir, 'greenscreen.png'));
  // A luma wipe as Shotstack's library has them: white sweeping in from the left over 1 s, ending all white.
  await ffmpeg('-f', 'lavfi', '-i', 'color=c=black:s=160x90:r=25:d=1[b];color=c=white:s=160x90:r=25:d=1[w];[b][w]overlay=x=\'-160+t*200\':eval=frame,format=gray',
    '-t', '1', '-pix_fmt', 'yuv420p', join(dir, 'wipe-luma.mp4'));
  await ffmpeg('-f', 'lavfi', '-i', 'color=c=white:s=120x40', '-frames:v', '1', join(dir, 'logo.png'));
  await toneWav(dir, 'music.wav', { freq: 220, seconds: 10, amplitude: 0.3 });
  await toneWav(dir, 'voice.wav', { freq: 660, seconds: 3, amplitude: 0.5 });
  writeFileSync(join(dir, 'subs.srt'), '1\n00:00:00,200 --> 00:00:01,800\nWelcome to the tour\n\n2\n00:00:02,000 --> 00:00:03,500\nThree bedrooms, one view\n');
}, { keepDir: !!process.env.KEEP_SWEEP_OUTPUTS });

const render = (edit: unknown, name: string) => renderToFile(rig.api, edit, join(rig.dir, name), 2400);

describe('a sweep of Shotstack Edits through shotstack-sdk against montage serve', () => {
  it('a listing slideshow: video, images with effects and transitions, a title with merge fields, a soundtrack, poster and thumbnail, 9:16 mobile', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const edit = {
      timeline: {
        background: '#000000',
        soundtrack: { src: `${rig.mediaUrl}/music.wav`, effect: 'fadeOut', volume: 0.6 },
        tracks: [
          { clips: [
            { asset: { type: 'title', text: '{{ ADDRESS }}', style: 'minimal', size: 'small', position: 'bottom' }, start: 0.2, length: 2.5, transition: { in: 'fade', out: 'fadeFast' } },
            { asset: { type: 'image', src: `${rig.mediaUrl}/logo.png` }, start: 0, length: 4, fit: 'none', scale: 0.5, position: 'topRight', offset: { x: -0.03, y: -0.02 }, opacity: 0.8 },
          ] },
          { clips: [
            { asset: { type: 'video', src: `${rig.mediaUrl}/drone.mp4`, trim: 0.5, volume: 0 }, start: 0, length: 1.5, transition: { out: 'fade' } },
            { asset: { type: 'image', src: `${rig.mediaUrl}/kitchen.jpg` }, start: 1.5, length: 1.5, effect: 'zoomInSlow', transition: { in: 'fade' }, filter: 'boost' },
            { asset: { type: 'image', src: `${rig.mediaUrl}/garden.png` }, start: 3, length: 1, effect: 'slideRight', transition: { in: 'slideLeft' } },
          ] },
        ],
      },
      output: { format: 'mp4', resolution: 'mobile', aspectRatio: '9:16', fps: 25, quality: 'high', poster: { capture: 2 }, thumbnail: { capture: 2, scale: 0.25 } },
      merge: [{ find: 'ADDRESS', replace: '12 Harbour Road' }],
    };
    const { id } = (await rig.api.postRender(edit)).response;
    const r = await pollRender(rig.api, id, { polls: 2400 });
    assert.equal(r.status, 'done', r.error);
    const path = await saveOutput(r.url!, join(rig.dir, 'listing.mp4'));
    const probed = await probeOutput(path);
    assert.deepEqual([probed.video?.width, probed.video?.height, rate(probed.video?.r_frame_rate)], [360, 640, 25]);
    assert.ok(Math.abs(Number(probed.format.duration) - 4) < 0.1 && r.duration === 4, `4 s: ${probed.format.duration}, ${r.duration}`);
    assert.ok(probed.audio, 'the soundtrack plays');
    for (const [kind, link, w] of [['poster', r.poster, 360], ['thumbnail', r.thumbnail, 90]] as const) {
      assert.ok(link, `${kind} link`);
      const file = await saveOutput(link, join(rig.dir, `listing.${kind}.jpg`));
      assert.equal((await probeOutput(file)).video?.width, w, `${kind} width`);
    }
    // At 2 s the kitchen (brown, a white square in its middle) fills the portrait frame.
    const f = frameAt(await decodeFrames(path), 25, 2.8); // after its 1 s fade in
    assert.ok(patch(f, 30, 320)[0] > 150 && patch(f, 30, 320)[2] < 120, `the kitchen's brown at the side: ${patch(f, 30, 320)}`);
  });

  it('a square social promo: rich text with an animation, a shape, a luma wipe, greyscale, a rotate tween, scaleTo preview', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const edit = {
      timeline: {
        background: '#101820',
        fonts: [],
        tracks: [
          { clips: [
            { asset: { type: 'rich-text', text: 'SUMMER SALE', font: { family: 'Montserrat', size: 48, weight: 800, color: '#ffffff' }, align: { horizontal: 'center', vertical: 'middle' }, animation: { preset: 'fadeIn', duration: 0.6 } }, start: 0, length: 3, offset: { x: 0, y: 0.2 } },
            { asset: { type: 'shape', shape: 'rectangle', rectangle: { width: 300, height: 60, cornerRadius: 12 }, fill: { color: '#ff3366', opacity: 1 } }, start: 0.5, length: 2.5, offset: { y: -0.25 }, transform: { rotate: { angle: [{ from: -5, to: 5, start: 0, length: 2.5, interpolation: 'bezier' }] } } },
          ] },
          { clips: [
            { asset: { type: 'luma', src: `${rig.mediaUrl}/wipe-luma.mp4` }, start: 0, length: 1 },
            { asset: { type: 'image', src: `${rig.mediaUrl}/kitchen.jpg` }, start: 0, length: 3, filter: 'greyscale' },
          ] },
        ],
      },
      output: { format: 'mp4', resolution: 'hd', aspectRatio: '1:1', scaleTo: 'preview', fps: 24, quality: 'medium' },
    };
    const path = await render(edit, 'promo.mp4');
    const probed = await probeOutput(path);
    // hd 1:1 is 720 × 720; scaleTo preview renders it at preview's width over hd's: 288 × 288.
    assert.deepEqual([probed.video?.width, probed.video?.height, rate(probed.video?.r_frame_rate)], [288, 288, 24]);
    const frames = await decodeFrames(path);
    // Half-way through the wipe the left of the kitchen shows and the right is still the background.
    const [left, right] = [patch(frameAt(frames, 24, 0.5), 20, 250), patch(frameAt(frames, 24, 0.5), 270, 250)];
    assert.ok(left[0] > 100 && right[0] < 40, `the luma wipe reveals from the left: ${left} vs ${right}`);
    // Once it is over, the whole kitchen shows, grey.
    const grey = patch(frameAt(frames, 24, 2), 30, 250);
    assert.ok(grey[0] > 100 && Math.abs(grey[0] - grey[2]) < 12, `greyscale kitchen, all of it: ${grey}`);
  });

  it('a captioned clip with a voice-over, a range and a callback: the callback is POSTed with the output link', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const edit = {
      timeline: { tracks: [
        { clips: [{ asset: { type: 'caption', src: `${rig.mediaUrl}/subs.srt`, font: { family: 'Open Sans', size: 18, color: '#ffffff' }, background: { color: '#000000', opacity: 0.6, padding: 8, borderRadius: 6 } }, start: 0, length: 4 }] },
        { clips: [{ asset: { type: 'audio', src: `${rig.mediaUrl}/voice.wav`, effect: 'fadeInFadeOut', volume: 0.9 }, start: 0.5, length: 3 }] },
        { clips: [{ asset: { type: 'video', src: `${rig.mediaUrl}/drone.mp4`, volumeEffect: 'fadeOut' }, start: 0, length: 4, fit: 'crop' }] },
      ] },
      output: { format: 'mp4', size: { width: 320, height: 180 }, fps: 25, range: { start: 1, length: 2 } },
      callback: `${rig.mediaUrl}/shotstack-callback`,
    };
    const path = await render(edit, 'captions.mp4');
    const probed = await probeOutput(path);
    assert.ok(Math.abs(Number(probed.format.duration) - 2) < 0.1, `the range's 2 s: ${probed.format.duration}`);
    for (let i = 0; i < 80 && !rig.callbacks.length; i++) await new Promise((res) => setTimeout(res, 250));
    assert.equal(rig.callbacks[0]?.body.status, 'done');
    assert.match(String(rig.callbacks[0]?.body.url), /^http:\/\//);
  });

  it('a GIF that plays once: chroma-keyed image over text with a background box', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const edit = {
      timeline: { background: '#ffffff', tracks: [
        { clips: [{ asset: { type: 'image', src: `${rig.mediaUrl}/greenscreen.png`, chromaKey: { color: '#00ff00', threshold: 150, halo: 50 } }, start: 0, length: 1.5, fit: 'none', position: 'left' }] },
        { clips: [{ asset: { type: 'text', text: 'NEW', font: { family: 'Roboto', size: 28, color: '#000000' }, alignment: { horizontal: 'right' }, background: { color: '#ffd400' } }, start: 0, length: 1.5, width: 160, height: 60, position: 'right' }] },
      ] },
      output: { format: 'gif', size: { width: 320, height: 180 }, fps: 12, repeat: false },
    };
    const path = await render(edit, 'badge.gif');
    const first = (await decodeFrames(path))[0];
    // The keyed green is gone (white shows), the magenta square stays.
    assert.ok(patch(first, 20, 90)[1] > 200 && patch(first, 20, 90)[0] > 200, `keyed out: ${patch(first, 20, 90)}`);
    assert.ok(patch(first, 100, 90)[1] < 80, `the magenta stays: ${patch(first, 100, 90)}`);
    assert.ok(patch(first, 172, 68)[2] < 80 && patch(first, 172, 68)[0] > 200, `the yellow box's corner (the box is 160 × 60 at the right): ${patch(first, 172, 68)}`);
  });

  it('a still: html is refused at its path with the fix; the Edit with rich-text instead renders as a jpg', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const still = (asset: object) => ({
      timeline: { tracks: [
        { clips: [{ asset, start: 0, length: 1 }] },
        { clips: [{ asset: { type: 'image', src: `${rig.mediaUrl}/garden.png` }, start: 0, length: 1 }] },
      ] },
      output: { format: 'jpg', resolution: 'preview', quality: 'high' },
    });
    await assert.rejects(rig.api.postRender(still({ type: 'html', html: '<p>Open house</p>', css: 'p { color: #fff; }', width: 300, height: 80 })), (e: Refusal) => {
      const d = e.response.body.response.details;
      assert.deepEqual(d.map((x) => x.path), ['/timeline/tracks/0/clips/0/asset/type']);
      assert.match(d[0].message, /use "rich-text"/);
      return true;
    });
    const p = await decodePicture(await render(still({ type: 'rich-text', text: 'Open house', font: { size: 32, color: '#ffffff' } }), 'still.jpg'));
    assert.deepEqual([p.width, p.height], [512, 288]);
    assert.ok(patch(p, 20, 20)[1] > 130 && patch(p, 20, 20)[0] < 90, `the garden fills the frame: ${patch(p, 20, 20)}`);
  });

  it('a podcast teaser in MP3: a soundtrack under a voice clip with volume tweens', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const edit = {
      timeline: {
        soundtrack: { src: `${rig.mediaUrl}/music.wav`, effect: 'fadeInFadeOut', volume: 0.4 },
        tracks: [{ clips: [{ asset: { type: 'audio', src: `${rig.mediaUrl}/voice.wav`, volume: [{ from: 0, to: 1, start: 0, length: 0.5 }, { from: 1, to: 1, start: 0.5, length: 2.5 }] }, start: 1, length: 3 }] }],
      },
      output: { format: 'mp3' },
    };
    const probed = await probeOutput(await render(edit, 'teaser.mp3'));
    assert.equal(probed.audio?.codec_name, 'mp3');
    assert.ok(!probed.video, 'audio only');
    assert.ok(Math.abs(Number(probed.format.duration) - 4) < 0.1, `4 s: ${probed.format.duration}`);
  });

  it('a saved template rendered with merge fields through the SDK\'s template calls', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const template = {
      name: 'agent intro',
      template: {
        timeline: { background: '{{ BRAND }}', tracks: [{ clips: [{ asset: { type: 'title', text: 'Hi {{ NAME }}', style: 'subtitle' }, start: 0, length: '{{ SECONDS }}' }] }] },
        output: { format: 'mp4', resolution: 'preview' },
        merge: [{ find: 'NAME', replace: 'there' }, { find: 'BRAND', replace: '#000000' }, { find: 'SECONDS', replace: 2 }],
      },
    };
    const { id: templateId } = (await rig.api.postTemplate(template)).response;
    const { id } = (await rig.api.postTemplateRender({ id: templateId, merge: [{ find: 'NAME', replace: 'Ana' }, { find: 'BRAND', replace: '#2040c0' }, { find: 'SECONDS', replace: 1.5 }] })).response;
    const r = await pollRender(rig.api, id, { polls: 400 });
    assert.equal(r.status, 'done', r.error);
    const path = await saveOutput(r.url!, join(rig.dir, 'template.mp4'));
    const probed = await probeOutput(path);
    assert.ok(Math.abs(Number(probed.format.duration) - 1.5) < 0.1, `the merged 1.5 s: ${probed.format.duration}`);
    const corner = patch((await decodeFrames(path))[5], 5, 5);
    assert.ok(corner[2] > 150 && corner[0] < 80, `the merged brand colour: ${corner}`);
  });
});
