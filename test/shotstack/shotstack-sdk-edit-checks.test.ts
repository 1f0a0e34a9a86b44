/**
 * Shotstack Edits as its users send them, through Shotstack's own `shotstack-sdk` against `montage
 * serve`, for what the mapping tests alone do not prove: smart clips (`length: "auto"` on an image
 * is Shotstack's 3 s, rendered and decoded; a video's `volumeEffect: fadeIn` with `length: "auto"`,
 * heard; its duration in getRender as rendered; text aligned left or right inside its box, where Shotstack puts it), and refusals by Montage's composition rules named at
 * their path in the Edit, not in the composition the Edit became (so is a failed render's error).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pollRender, renderToFile, saveOutput, sdkSuite, type Refusal } from './support/sdk-rig.ts';
import { segmentVideo, solidImage, toneWav } from '../support/media-fixtures.ts';
import { decodeAudio, rmsDb } from '../support/audio-levels.ts';
import { decodeFrames, extentOf, frameAt } from '../support/decoded-pictures.ts';
import { expectColour } from '../support/picture-asserts.ts';
import { probeOutput } from '../support/probe-output.ts';

const rig = sdkSuite('shotstack-checks', async (dir) => {
  await solidImage(dir, 'red.png', 160, 90, '#ff0000');
  await solidImage(dir, 'blue.png', 160, 90, '#0000ff');
  await toneWav(dir, 'music.wav', { freq: 440, seconds: 8, amplitude: 0.5 });
  await toneWav(dir, 'jingle.wav', { freq: 440, seconds: 1.5, amplitude: 0.5 });
  await segmentVideo(dir, 'tone.mp4', { width: 160, height: 90, colours: ['#ff0000', '#00ff00', '#0000ff'], tone: 440 });
});

const render = (edit: unknown, name: string) => renderToFile(rig.api, edit, join(rig.dir, name), 400);

describe('Shotstack Edits through shotstack-sdk against montage serve', () => {
  it('smart clips: an image with length "auto" lasts 3 s, and the next "auto" start follows it', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const path = await render({
      timeline: { tracks: [{ clips: [
        { asset: { type: 'image', src: `${rig.mediaUrl}/red.png` }, start: 0, length: 'auto' },
        { asset: { type: 'image', src: `${rig.mediaUrl}/blue.png` }, start: 'auto', length: 1 },
      ] }] },
      output: { format: 'mp4', size: { width: 160, height: 90 }, fps: 10 },
    }, 'auto.mp4');
    const probed = await probeOutput(path);
    assert.ok(Math.abs(Number(probed.format.duration) - 4) < 0.15, `3 s + 1 s: ${probed.format.duration}`);
    const frames = await decodeFrames(path);
    expectColour(frameAt(frames, 10, 2.8), 80, 45, '#ff0000', 'the image with length auto still shows at 2.8 s');
    expectColour(frameAt(frames, 10, 3.3), 80, 45, '#0000ff', 'the next clip starts at 3 s');
  });

  it('a video with length "auto" fades its sound in (volumeEffect fadeIn needs no length); fadeOut without one is refused with the fix', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const clip = (volumeEffect: string) => ({ asset: { type: 'video', src: `${rig.mediaUrl}/tone.mp4`, volumeEffect }, start: 0, length: 'auto' });
    const path = await render({ timeline: { tracks: [{ clips: [clip('fadeIn')] }] }, output: { format: 'mp4', size: { width: 160, height: 90 }, fps: 10 } }, 'fade-in-auto.mp4');
    assert.ok(Math.abs(Number((await probeOutput(path)).format.duration) - 3) < 0.15, 'the video\'s own 3 s');
    const audio = await decodeAudio(path);
    assert.ok(rmsDb(audio, 0, 0.2) < rmsDb(audio, 1.5, 2.5) - 10, `quiet at the start, full after the 1 s fade: ${rmsDb(audio, 0, 0.2)} vs ${rmsDb(audio, 1.5, 2.5)} dB`);
    await assert.rejects(rig.api.postRender({ timeline: { tracks: [{ clips: [clip('fadeOut')] }] }, output: { format: 'mp4', size: { width: 160, height: 90 } } }), (e: Refusal) => {
      assert.deepEqual(e.response.body.response.details.map((d) => d.path), ['/timeline/tracks/0/clips/0/asset/volumeEffect']);
      assert.match(e.response.body.response.details[0].message, /give the length, or use fadeIn/);
      return true;
    });
  });

  it('getRender\'s duration is the output\'s seconds when a length is "auto" (known once the media is probed, not 0)', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    // tone.mp4 is 3 s; trimmed by 1 and played at speed 2 it lasts 1 s.
    const { id } = (await rig.api.postRender({
      timeline: { tracks: [{ clips: [{ asset: { type: 'video', src: `${rig.mediaUrl}/tone.mp4`, trim: 1, speed: 2 }, start: 0, length: 'auto' }] }] },
      output: { format: 'mp4', size: { width: 160, height: 90 }, fps: 10 },
    })).response;
    const r = await pollRender(rig.api, id, { polls: 400 });
    assert.equal(r.status, 'done', r.error);
    const path = await saveOutput(r.url!, join(rig.dir, 'auto-duration.mp4'));
    const probed = Number((await probeOutput(path)).format.duration);
    assert.ok(Math.abs(probed - 1) < 0.15, `the video's 1 s: ${probed}`);
    assert.ok(Math.abs(r.duration! - probed) < 0.05, `getRender says ${r.duration} s; the output lasts ${probed} s`);
  });

  it('an audio clip\'s effect fades over 2 s, as Shotstack\'s (half the clip when shorter than 4 s)', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const path = await render({
      timeline: { tracks: [
        { clips: [{ asset: { type: 'audio', src: `${rig.mediaUrl}/music.wav`, effect: 'fadeInFadeOut' }, start: 0, length: 6 }] },
        { clips: [{ asset: { type: 'image', src: `${rig.mediaUrl}/red.png` }, start: 0, length: 6 }] },
      ] },
      output: { format: 'mp4', size: { width: 160, height: 90 }, fps: 10 },
    }, 'audio-effect.mp4');
    const audio = await decodeAudio(path);
    const full = rmsDb(audio, 2.5, 3.5);
    // Still rising at 1.3 s and still falling before 4.7 s: a one-second fade would be over by then.
    assert.ok(rmsDb(audio, 1.2, 1.4) < full - 2, `still fading in at 1.3 s: ${rmsDb(audio, 1.2, 1.4)} vs ${full} dB`);
    assert.ok(rmsDb(audio, 4.6, 4.8) < full - 2, `already fading out at 4.7 s: ${rmsDb(audio, 4.6, 4.8)} vs ${full} dB`);
    assert.ok(Math.abs(rmsDb(audio, 2.1, 2.3) - full) < 1, `full from 2 s: ${rmsDb(audio, 2.1, 2.3)} vs ${full} dB`);
  });

  it('a bad key is a 401 in Shotstack\'s envelope that says to send a Montage key as x-api-key', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    await assert.rejects(rig.editApi({ key: 'not-a-montage-key' }).getRender('rnd_x', { data: false }), (e: Refusal) => {
      assert.equal(e.status, 401);
      assert.equal(e.response.body.success, false);
      assert.equal(e.response.body.response.code, 'MONTAGE_E_UNAUTHORIZED');
      assert.match(e.response.body.response.error, /x-api-key header/);
      return true;
    });
  });

  it('a text asset\'s background fills its whole box, as Shotstack draws it (the frame when it has no width or height), not a box hugging the words', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const path = await render({
      timeline: { background: '#000000', tracks: [
        { clips: [{ asset: { type: 'text', text: 'Hi', width: 100, height: 40, font: { size: 16, color: '#ffffff' }, background: { color: '#0000ff' } }, start: 0, length: 1 }] },
        { clips: [{ asset: { type: 'text', text: 'Yo', font: { size: 16, color: '#ffffff' }, background: { color: '#ff0000', opacity: 0.5 } }, start: 1, length: 1, transition: { in: 'fade' } }] },
      ] },
      output: { format: 'mp4', size: { width: 160, height: 90 }, fps: 10 },
    }, 'text-box.mp4');
    const frames = await decodeFrames(path);
    const boxed = frameAt(frames, 10, 0.5);
    // The box is 100 × 40 in the middle: x 30–130, y 25–65.
    expectColour(boxed, 34, 29, '#0000ff', 'the box\'s top-left corner');
    expectColour(boxed, 126, 61, '#0000ff', 'the box\'s bottom-right corner');
    expectColour(boxed, 25, 45, '#000000', 'left of the box');
    expectColour(boxed, 80, 20, '#000000', 'above the box');
    // Without a width or height the box is the frame: half-opaque red all over, faded in with the clip.
    expectColour(frameAt(frames, 10, 1.9), 3, 3, '#800000', 'the frame\'s corner');
    expectColour(frameAt(frames, 10, 1.9), 156, 86, '#800000', 'the opposite corner');
  });

  it('a text asset\'s typewriter animation types its letters over its duration; ellipsis is refused at its path with the way out', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const path = await render({
      timeline: { background: '#000000', tracks: [{ clips: [{ asset: { type: 'text', text: 'WWWWWW', font: { size: 20, color: '#ffffff' }, animation: { preset: 'typewriter', duration: 1 } }, start: 0, length: 2 }] }] },
      output: { format: 'mp4', size: { width: 160, height: 90 }, fps: 10 },
    }, 'typewriter.mp4');
    const frames = await decodeFrames(path);
    const ink = (s: number) => {
      const f = frameAt(frames, 10, s);
      let n = 0;
      for (let i = 0; i < f.data.length; i += 3) if (f.data[i] > 128) n++;
      return n;
    };
    const [early, mid, done] = [ink(0.1), ink(0.5), ink(1.5)];
    assert.ok(done > 100, `the whole word is drawn at 1.5 s: ${done} px`);
    assert.ok(early < done * 0.3, `few letters at 0.1 s: ${early} of ${done} px`);
    assert.ok(mid > early && mid < done * 0.8, `about half the letters at 0.5 s: ${mid} of ${done} px`);
    await assert.rejects(rig.api.postRender({
      timeline: { tracks: [{ clips: [{ asset: { type: 'text', text: 'Long', ellipsis: '...' }, start: 0, length: 1 }] }] },
      output: { format: 'mp4', size: { width: 160, height: 90 } },
    }), (e: Refusal) => {
      assert.deepEqual(e.response.body.response.details.map((d) => d.path), ['/timeline/tracks/0/clips/0/asset/ellipsis']);
      assert.match(e.response.body.response.details[0].message, /remove it/);
      return true;
    });
  });

  it('"none", which Shotstack lists as a transition, a volumeEffect and an audio effect, is no transition and no fade', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const path = await render({
      timeline: { tracks: [
        { clips: [{ asset: { type: 'audio', src: `${rig.mediaUrl}/music.wav`, effect: 'none' }, start: 0, length: 2 }] },
        { clips: [{ asset: { type: 'video', src: `${rig.mediaUrl}/tone.mp4`, volumeEffect: 'none', volume: 0 }, start: 0, length: 2, transition: { in: 'none', out: 'none' } }] },
      ] },
      output: { format: 'mp4', size: { width: 160, height: 90 }, fps: 10 },
    }, 'none.mp4');
    const frames = await decodeFrames(path);
    expectColour(frameAt(frames, 10, 0), 80, 45, '#ff0000', 'the first frame, with no transition in');
    expectColour(frameAt(frames, 10, 1.9), 80, 45, '#00ff00', 'the last frame, with no transition out');
    const audio = await decodeAudio(path);
    assert.ok(Math.abs(rmsDb(audio, 0, 0.2) - rmsDb(audio, 1, 1.5)) < 1, `the music at full level from the start: ${rmsDb(audio, 0, 0.2)} vs ${rmsDb(audio, 1, 1.5)} dB`);
  });

  it('a soundtrack shorter than the video plays once, as Shotstack\'s does ("for the duration of the video or the length of the audio file, whichever is shortest"), not again from its start', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const path = await render({
      timeline: { soundtrack: { src: `${rig.mediaUrl}/jingle.wav` }, tracks: [{ clips: [{ asset: { type: 'image', src: `${rig.mediaUrl}/red.png` }, start: 0, length: 4 }] }] },
      output: { format: 'mp4', size: { width: 160, height: 90 }, fps: 10 },
    }, 'soundtrack-once.mp4');
    const audio = await decodeAudio(path);
    assert.ok(rmsDb(audio, 0.5, 1) > -20, `the jingle plays: ${rmsDb(audio, 0.5, 1)} dB`);
    assert.ok(rmsDb(audio, 2, 3.8) < -60, `then silence: ${rmsDb(audio, 2, 3.8)} dB`);
  });

  it('an image, video or audio asset generated from a prompt is refused at the prompt, saying Montage has no AI provider and to give src', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    await assert.rejects(rig.api.postRender({
      timeline: { tracks: [{ clips: [
        { asset: { type: 'image', prompt: 'a lake at sunrise', model: 'flux-schnell' }, start: 0, length: 1 },
        { asset: { type: 'audio', src: `${rig.mediaUrl}/music.wav`, prompt: 'Welcome' }, start: 0, length: 1 },
      ] }] },
      output: { format: 'mp4', size: { width: 160, height: 90 } },
    }), (e: Refusal) => {
      const details = e.response.body.response.details;
      assert.deepEqual(details.map((d) => d.path).sort(), [
        '/timeline/tracks/0/clips/0/asset/model', '/timeline/tracks/0/clips/0/asset/prompt', '/timeline/tracks/0/clips/0/asset/src', '/timeline/tracks/0/clips/1/asset/prompt',
      ]);
      for (const d of details.filter((x) => !x.path.endsWith('/src'))) assert.match(d.message, /no AI provider: generate it elsewhere and give its URL as "src"/);
      return true;
    });
  });

  it('the Edit\'s instance (Shotstack\'s render hardware) is accepted and changes nothing; an unknown instance type is refused at /instance', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const edit = (instance: string) => ({
      timeline: { tracks: [{ clips: [{ asset: { type: 'image', src: `${rig.mediaUrl}/red.png` }, start: 0, length: 1 }] }] },
      output: { format: 'jpg', size: { width: 160, height: 90 } }, instance,
    });
    const path = await render(edit('a1'), 'instance.jpg');
    expectColour((await decodeFrames(path))[0], 80, 45, '#ff0000', 'rendered as without it');
    await assert.rejects(rig.api.postRender(edit('gpu9')), (e: Refusal) => {
      assert.deepEqual(e.response.body.response.details.map((d) => d.path), ['/instance']);
      return true;
    });
  });

  it('a shape is centred in its canvas as Shotstack draws it: without width and height the canvas is the frame, so "position" leaves it in the middle; a canvas at topRight puts it at the canvas\'s centre', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const frames = await decodeFrames(await render({
      timeline: { background: '#000000', tracks: [{ clips: [
        { asset: { type: 'shape', shape: 'rectangle', rectangle: { width: 20, height: 10 }, fill: { color: '#ffffff' } }, start: 0, length: 1, position: 'bottomLeft' },
        { asset: { type: 'shape', shape: 'circle', circle: { radius: 5 }, fill: { color: '#ff0000' }, width: 60, height: 30 }, start: 0, length: 1, position: 'topRight' },
      ] }] },
      output: { format: 'mp4', size: { width: 160, height: 90 }, fps: 10 },
    }, 'shape-canvas.mp4'));
    const f = frameAt(frames, 10, 0.5);
    const white = extentOf(f, (c) => c[0] > 200 && c[1] > 200 && c[2] > 200)!;
    assert.ok(Math.abs(white.cx - 79.5) <= 1 && Math.abs(white.cy - 44.5) <= 1, `the rectangle in the middle of the frame: ${white.cx}, ${white.cy}`);
    // The 60 × 30 canvas at the top right spans x 100–160, y 0–30: the circle at its centre (130, 15).
    const red = extentOf(f, (c) => c[0] > 150 && c[1] < 80 && c[2] < 80)!;
    assert.ok(Math.abs(red.cx - 129.5) <= 1 && Math.abs(red.cy - 14.5) <= 1, `the circle at the canvas's centre: ${red.cx}, ${red.cy}`);
  });

  it('rich-text without a font size is drawn at Shotstack\'s default, 24 px (Montage\'s own default is 48)', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const frames = await decodeFrames(await render({
      timeline: { background: '#000000', tracks: [{ clips: [{ asset: { type: 'rich-text', text: 'HH', font: { color: '#ffffff' } }, start: 0, length: 1 }] }] },
      output: { format: 'mp4', size: { width: 320, height: 180 }, fps: 10 },
    }, 'rich-default-size.mp4'));
    const ink = extentOf(frameAt(frames, 10, 0.5), (c) => c[0] > 128)!;
    // A capital H is about 0.73 of the font size tall: 17–18 px at 24 px, 35 at 48.
    assert.ok(ink.height >= 14 && ink.height <= 21, `cap height ${ink.height} px`);
  });

  it('text and rich-text aligned left or right sit at that edge of their box, not in the middle of the frame', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const path = await render({
      timeline: { background: '#000000', tracks: [
        { clips: [{ asset: { type: 'text', text: 'Hi', width: 100, height: 40, font: { size: 24, color: '#ffff00' }, alignment: { horizontal: 'left', vertical: 'top' } }, start: 0, length: 1 }] },
        { clips: [{ asset: { type: 'rich-text', text: 'Hi', font: { size: 24, color: '#00ffff' }, align: { horizontal: 'right', vertical: 'bottom' } }, start: 0, length: 1, width: 100, height: 40, position: 'bottomLeft' }] },
      ] },
      output: { format: 'mp4', size: { width: 160, height: 90 }, fps: 10 },
    }, 'aligned.mp4');
    const f = frameAt(await decodeFrames(path), 10, 0.5);
    const inkX = (match: (r: number, g: number, b: number) => boolean) => {
      const xs: number[] = [];
      for (let y = 0; y < f.height; y++) for (let x = 0; x < f.width; x++) {
        const i = (y * f.width + x) * 3;
        if (match(f.data[i], f.data[i + 1], f.data[i + 2])) xs.push(x);
      }
      return { min: Math.min(...xs), max: Math.max(...xs) };
    };
    // The text box is 100 px wide, centred: x 30–130; its left-aligned line starts at 30.
    const yellow = inkX((r, g, b) => r > 150 && g > 150 && b < 100);
    assert.ok(yellow.min >= 28 && yellow.min <= 36, `left-aligned text starts at the box's left edge (30): ${yellow.min}`);
    // The rich-text box sits at the bottom left: x 0–100; its right-aligned line ends at 100.
    const cyan = inkX((r, g, b) => r < 100 && g > 150 && b > 150);
    assert.ok(cyan.max >= 92 && cyan.max <= 101, `right-aligned text ends at the box's right edge (100): ${cyan.max}`);
  });

  it('a render that fails on a source names the source\'s path in the Edit in getRender\'s error', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const { id } = (await rig.api.postRender({
      timeline: { tracks: [
        { clips: [{ asset: { type: 'image', src: `${rig.mediaUrl}/red.png` }, start: 0, length: 1 }] },
        { clips: [{ asset: { type: 'image', src: `${rig.mediaUrl}/missing.png` }, start: 0, length: 1 }] },
      ] },
      output: { format: 'mp4', size: { width: 160, height: 90 } },
    })).response;
    const r = await pollRender(rig.api, id, { polls: 400 });
    assert.equal(r.status, 'failed');
    // The second Edit track is Montage's first: the message begins with the Edit's path.
    assert.match(r.error!, /^\/timeline\/tracks\/1\/clips\/0\/asset\/src: .*404.*\(Montage's composition field \/tracks\/0\/clips\/0\/asset\/src\)$/);
  });

  it('a source refused at submit is named at its path in the Edit in the error sentence too, not at the composition\'s (tracks reversed)', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    await assert.rejects(rig.api.postRender({
      timeline: { tracks: [
        { clips: [{ asset: { type: 'image', src: `${rig.mediaUrl}/red.png` }, start: 0, length: 1 }] },
        { clips: [{ asset: { type: 'image', src: 'https://169.254.169.254/red.png' }, start: 0, length: 1 }] },
      ] },
      output: { format: 'mp4', size: { width: 160, height: 90 } },
    }), (e: Refusal) => {
      assert.equal(e.status, 422);
      const body = e.response.body.response;
      assert.equal(body.code, 'MONTAGE_E_FETCH_FORBIDDEN');
      assert.deepEqual(body.details.map((d) => d.path), ['/timeline/tracks/1/clips/0/asset/src']);
      // The sentence said "/tracks/0/clips/0/asset/src: …", which in the Edit is the first track's red.png.
      assert.match(body.error, /^\/timeline\/tracks\/1\/clips\/0\/asset\/src: Refused .*\(Montage's composition field \/tracks\/0\/clips\/0\/asset\/src\)$/);
      return true;
    });
  });

  it('a composition rule the import does not repeat is refused at its path in the Edit, with Montage\'s path in the message', async (t) => {
    if (rig.skip) return t.skip(rig.skip);
    const edit = {
      timeline: { tracks: [
        { clips: [{ asset: { type: 'image', src: `${rig.mediaUrl}/red.png` }, start: 0, length: 2 }] },
        { clips: [
          { asset: { type: 'luma', src: `${rig.mediaUrl}/blue.png` }, start: 0, length: 'end' },
          { asset: { type: 'image', src: `${rig.mediaUrl}/blue.png` }, start: 0, length: 'end' },
          { asset: { type: 'image', src: `${rig.mediaUrl}/red.png` }, start: 'auto', length: 1 },
        ] },
      ] },
      output: { format: 'mp4', size: { width: 161, height: 90 } },
    };
    await assert.rejects(rig.api.postRender(edit), (e: Refusal) => {
      assert.ok(e.status === 400 || e.status === 422, String(e.status));
      const body = e.response.body;
      assert.equal(body.success, false);
      const paths = body.response.details.map((d) => d.path).sort();
      // The second Edit track is Montage's first (tracks reversed), and its luma clip is a mask.
      assert.deepEqual(paths, ['/output/size/width', '/timeline/tracks/1/clips/2/start']);
      const why = (p: string) => body.response.details.find((d) => d.path === p)!.message;
      assert.match(why('/output/size/width'), /must be even .*\(Montage's composition field \/output\/width\)/);
      assert.match(why('/timeline/tracks/1/clips/2/start'), /\(Montage's composition field \/tracks\/0\/clips\/1\/start\)/);
      return true;
    });
  });
});
