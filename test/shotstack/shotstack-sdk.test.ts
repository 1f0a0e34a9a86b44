/**
 * The Shotstack-compatible Edit API driven by Shotstack's own Node SDK (`shotstack-sdk`), pointed at
 * a started Montage by changing only the host of its base path and the API key: submit an Edit,
 * poll its status through Shotstack's statuses to `done`, download the `url` and decode it;
 * templates with merge fields; refusals in Shotstack's error shape; the callback body. Runs against
 * `montage serve` and against `montage api` + worker (PostgreSQL, Redis, S3).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestMode } from '../../src/main/start-test-service.ts';
import { pollRender, saveOutput, sdkSuite, Shotstack, type Refusal, type SdkApi } from './support/sdk-rig.ts';
import { solidImage, toneWav } from '../support/media-fixtures.ts';
import { decodeFrames, frameAt } from '../support/decoded-pictures.ts';
import { expectColour } from '../support/picture-asserts.ts';
import { probeOutput } from '../support/probe-output.ts';
import { decodeAudio, rmsDb } from '../support/audio-levels.ts';
import { createOutputLinkSigner } from '../../src/shotstack/signed-output-links.ts';

/** The Edits' media, made for each mode's service. */
const makeMedia = async (dir: string) => {
  await solidImage(dir, 'red.png', 64, 64, '#ff0000');
  await solidImage(dir, 'green.png', 320, 180, '#00ff00');
  await toneWav(dir, 'music.wav', { freq: 440, seconds: 3, amplitude: 0.5 });
  await solidImage(dir, 'blue.png', 320, 180, '#0000ff');
  await solidImage(dir, 'presenter.png', 96, 96, '#00b140');
  // A matte: white on the left half, black on the right.
  writeFileSync(join(dir, 'matte.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180"><rect width="320" height="180" fill="black"/><rect width="160" height="180" fill="white"/></svg>');
  writeFileSync(join(dir, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="20" fill="#ff00ff"/></svg>');
  writeFileSync(join(dir, 'subs.srt'), '1\n00:00:00,000 --> 00:00:02,000\nhello there\n');
};

/** An Edit built with the SDK's models: a red square (top track) over a green picture, music that fades in. */
const squareOverGreen = (mediaUrl: string, callback?: string) => {
  const top = new Shotstack.Clip().setAsset(new Shotstack.ImageAsset().setSrc(`${mediaUrl}/red.png`))
    .setStart(0).setLength(2).setFit('none').setPosition('topLeft');
  const bottom = new Shotstack.Clip().setAsset(new Shotstack.ImageAsset().setSrc(`${mediaUrl}/green.png`))
    .setStart(0).setLength(2).setTransition(new Shotstack.Transition().setOut('fadeFast'));
  const timeline = new Shotstack.Timeline()
    .setBackground('#000000')
    .setSoundtrack(new Shotstack.Soundtrack().setSrc(`${mediaUrl}/music.wav`).setEffect('fadeIn'))
    .setTracks([new Shotstack.Track().setClips([top]), new Shotstack.Track().setClips([bottom])]);
  const output = new Shotstack.Output().setFormat('mp4').setSize(new Shotstack.Size().setWidth(320).setHeight(180)).setFps(25);
  const edit = new Shotstack.Edit().setTimeline(timeline).setOutput(output);
  if (callback) edit.setCallback(callback);
  return edit;
};

/** The api's and the worker's MONTAGE_URL_SECRET (serve without one keeps its own: tested below). */
const URL_SECRET = 'test-url-secret-0123456789abcdef0123456789';

type ShotstackError = { success: boolean; message: string; response: { error: string; code: string } };
const refusedLink = async (url: string, code: string, why: RegExp) => {
  const res = await fetch(url);
  const body = await res.json() as ShotstackError;
  assert.equal(res.status, code === 'MONTAGE_E_UNAUTHORIZED' ? 401 : 403, url);
  assert.equal(body.success, false);
  assert.equal(body.response.code, code);
  assert.match(body.response.error, why);
};

for (const mode of ['embedded', 'scale-out'] as TestMode[]) {
  describe(`Shotstack SDK against ${mode === 'embedded' ? 'montage serve' : 'montage api + worker'}`, () => {
    const rig = sdkSuite('shotstack-user', makeMedia, { mode, env: { MONTAGE_URL_SECRET: URL_SECRET }, webhookPollMs: 100 });
    /** The poll of a render every 100 ms, to see each status on the way. */
    const poll = (api: SdkApi, id: string) => pollRender(api, id, { polls: 600, everyMs: 100 });
    /** The URL's bytes, fetched as a browser or `curl URL` would. */
    const download = (url: string, name: string) => saveOutput(url, join(rig.dir, name));

    it('postRender, getRender through the statuses to done, and the url downloads the video', async (t) => {
      if (rig.skip) return t.skip(rig.skip);
      const { api } = rig;
      const queued = await api.postRender(squareOverGreen(rig.mediaUrl, `${rig.mediaUrl}/callback`));
      assert.equal(queued.success, true);
      assert.equal(queued.message, 'Created');
      assert.equal(queued.response.message, 'Render Successfully Queued');
      const done = await poll(api, queued.response.id);
      assert.equal(done.status, 'done', done.error);
      const order = ['queued', 'fetching', 'rendering', 'saving', 'done'];
      assert.ok(done.seen.every((s, i) => i === 0 || order.indexOf(s) > order.indexOf(done.seen[i - 1])), `statuses in order: ${done.seen.join(' → ')}`);

      const path = await download(done.url!, `${mode}-out.mp4`);
      const probed = await probeOutput(path);
      assert.equal(probed.video?.width, 320);
      assert.ok(Math.abs(Number(probed.format.duration) - 2) < 0.1, `duration ${probed.format.duration}`);
      const frames = await decodeFrames(path);
      // Shotstack's first track is the top layer: the red square covers the green picture's corner.
      expectColour(frameAt(frames, 25, 0.5), 20, 20, '#ff0000', 'top track (first in the Edit) at the top-left');
      expectColour(frameAt(frames, 25, 0.5), 200, 120, '#00ff00', 'bottom track elsewhere');
      // fadeFast out: the green picture is fading over the last 0.5 s.
      assert.ok(frameAt(frames, 25, 1.92).data[(120 * 320 + 200) * 3 + 1] < 128, 'fading out at the end');
      // The soundtrack fades in (two seconds): quieter at the start than at the end.
      const audio = await decodeAudio(path);
      assert.ok(rmsDb(audio, 0, 0.3) < rmsDb(audio, 1.6, 2) - 6, 'the soundtrack fades in');

      // The Edit's callback receives Shotstack's callback body.
      for (let i = 0; i < 100 && !rig.callbacks.some((c) => (c.body as { id?: string }).id === queued.response.id); i++) await new Promise((r) => setTimeout(r, 100));
      const cb = rig.callbacks.find((c) => (c.body as { id?: string }).id === queued.response.id);
      assert.ok(cb, 'the callback was called');
      assert.deepEqual(Object.keys(cb!.body as object).sort(), ['action', 'completed', 'error', 'id', 'owner', 'status', 'type', 'url']);
      assert.equal((cb!.body as { status: string }).status, 'done');
      assert.equal((cb!.body as { type: string }).type, 'edit');
      // Its url downloads the video without a key. (The worker of api + worker only knows the api's
      // address from MONTAGE_PUBLIC_URL, unset here as the api listens on a free port: the path and
      // the signed query are what is checked there.)
      const cbUrl = new URL((cb!.body as { url: string }).url);
      assert.match(cbUrl.search, /[?&]signature=/);
      const fromCallback = await probeOutput(await download(mode === 'embedded' ? cbUrl.href : `${rig.svc.url}${cbUrl.pathname}${cbUrl.search}`, `${mode}-callback.mp4`));
      assert.ok(Math.abs(Number(fromCallback.format.duration) - 2) < 0.1, `the callback's url is the video: ${fromCallback.format.duration}`);

      // The SDK's plain getRender(id) reads the status: `data` is left out unless asked for, since
      // shotstack-sdk 0.2.9 cannot deserialize an Edit with any asset (its Asset oneOf matches several).
      const plain = await rig.api.getRender(queued.response.id);
      assert.equal(plain.response.status, 'done');
      assert.equal(plain.response.data, undefined);
      // GET render's ?data=true is the Edit as submitted (read without the SDK's models, as above).
      const status = await (await fetch(`${rig.svc.url}/edit/v1/render/${queued.response.id}?data=true`, { headers: { 'x-api-key': rig.key } })).json() as
        { response: Record<string, unknown> & { data: unknown } };
      assert.deepEqual(status.response.data, JSON.parse(JSON.stringify(squareOverGreen(rig.mediaUrl, `${rig.mediaUrl}/callback`))));
      for (const f of ['id', 'owner', 'plan', 'status', 'duration', 'renderTime', 'url', 'created', 'updated']) assert.ok(status.response[f] !== undefined, `response.${f}`);
      assert.equal(status.response.duration, 2);
      assert.ok(Date.parse(status.response.updated as string) >= Date.parse(status.response.created as string));
      const lean = await (await fetch(`${rig.svc.url}/edit/v1/render/${queued.response.id}?data=false`, { headers: { 'x-api-key': rig.key } })).json() as { response: object };
      assert.ok(!('data' in lean.response), 'data=false leaves it out');
    });

    it('the url is a plain link that only its own render, kind, owner and expiry open', async (t) => {
      if (rig.skip) return t.skip(rig.skip);
      const { api } = rig;
      const edit = {
        timeline: { tracks: [{ clips: [{ asset: { type: 'image', src: `${rig.mediaUrl}/blue.png` }, start: 0, length: 0.6 }] }] },
        output: { format: 'mp4', size: { width: 160, height: 90 }, fps: 10, poster: { capture: 0.2 } },
      };
      const done = await poll(api, (await api.postRender(edit)).response.id);
      assert.equal(done.status, 'done', done.error);
      expectColour((await decodeFrames(await download(done.url!, `${mode}-plain.mp4`)))[2], 80, 45, '#0000ff', 'the plain link is the render');
      const status = await (await fetch(`${rig.svc.url}/edit/v1/render/${done.id}?data=false`, { headers: { 'x-api-key': rig.key } })).json() as { response: { poster: string } };
      assert.equal((await probeOutput(await download(status.response.poster, `${mode}-poster.jpg`))).video?.width, 160, 'the poster downloads without a key');
      if (mode !== 'embedded') {
        // S3 storage: S3's own presigned URLs, as before; the signed route links serve callbacks.
        assert.match(done.url!, /X-Amz-Signature=/);
        return;
      }
      const u = new URL(done.url!);
      assert.equal(`${u.origin}${u.pathname}`, `${rig.svc.url}/edit/v1/render/${done.id}/output`);
      const q = Object.fromEntries(u.searchParams);
      assert.ok(Number(q.expires) > Date.now() / 1000 + 23 * 3600 && Number(q.expires) <= Date.now() / 1000 + 24 * 3600, 'valid 24 hours');
      const link = (p: Record<string, string>) => `${rig.svc.url}/edit/v1/render/${done.id}/output?${new URLSearchParams(p)}`;
      const sig = q.signature!;
      await refusedLink(link({ ...q, signature: `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}` }), 'MONTAGE_E_LINK_INVALID', /does not match/);
      await refusedLink(link({ ...q, kind: 'poster' }), 'MONTAGE_E_LINK_INVALID', /does not match/);
      await refusedLink(link({ ...q, expires: String(Number(q.expires) + 3600) }), 'MONTAGE_E_LINK_INVALID', /does not match/);
      // Another tenant's name in the link: refused; and another tenant's own link opens only its own renders.
      const other = await rig.svc.createKey('shotstack-other');
      await refusedLink(link({ ...q, owner: other.tenantId }), 'MONTAGE_E_LINK_INVALID', /does not match/);
      const signer = createOutputLinkSigner(URL_SECRET);
      const forOther = `${rig.svc.url}/edit/v1/render/${done.id}/output${signer.query(other.tenantId, done.id, 'video', Date.now() / 1000 + 60)}`;
      assert.equal((await fetch(forOther)).status, 404, 'a valid link of another tenant does not reach this render');
      // Expired: made with the same secret, an hour ago.
      await refusedLink(`${rig.svc.url}/edit/v1/render/${done.id}/output${signer.query(q.owner!, done.id, 'video', Date.now() / 1000 - 3600)}`, 'MONTAGE_E_LINK_INVALID', /expired at/);
      // Without a signature the route still needs the key.
      await refusedLink(`${rig.svc.url}/edit/v1/render/${done.id}/output?kind=video`, 'MONTAGE_E_UNAUTHORIZED', /./);
      // A link is a credential: its signature never reaches the log, though the request does.
      const log = rig.svc.rawLogs.join('\n');
      assert.ok(log.includes(`/edit/v1/render/${done.id}/output?kind=video&owner=`), 'the request is logged');
      assert.ok(!log.includes(sig), 'the signature is not');
    });

    it('templates: postTemplate, getTemplates, getTemplate and postTemplateRender with merge fields', async (t) => {
      if (rig.skip) return t.skip(rig.skip);
      const api = rig.editApi({ stage: 'stage' });
      const edit = {
        timeline: { tracks: [{ clips: [{ asset: { type: 'image', src: `${rig.mediaUrl}/{{ PICTURE }}` }, start: 0, length: '{{ LENGTH }}' }] }] },
        output: { format: 'mp4', size: { width: 160, height: 90 }, fps: 10 },
      };
      const created = await api.postTemplate(new Shotstack.Template().setName('Promo').setTemplate(edit));
      assert.equal(created.response.message, 'Template Successfully Created');
      const list = await api.getTemplates();
      assert.ok(list.response.templates.some((x: { id: string; name: string }) => x.id === created.response.id && x.name === 'Promo'));
      // getTemplate is read without the SDK's models: shotstack-sdk 0.2.9 cannot deserialize any
      // image asset ("Multiple matches found constructing `Asset` with oneOf schemas"), whoever serves it.
      const got = await (await fetch(`${rig.svc.url}/edit/stage/templates/${created.response.id}`, { headers: { 'x-api-key': rig.key } })).json() as
        { success: boolean; response: { name: string; template: typeof edit } };
      assert.equal(got.success, true);
      assert.equal(got.response.name, 'Promo');
      assert.deepEqual(got.response.template, edit, 'the Edit comes back as saved');

      const render = new Shotstack.TemplateRender().setId(created.response.id).setMerge([
        new Shotstack.MergeField().setFind('PICTURE').setReplace('red.png'),
        new Shotstack.MergeField().setFind('LENGTH').setReplace(1.5),
      ]);
      const queued = await api.postTemplateRender(render);
      const done = await poll(api, queued.response.id);
      assert.equal(done.status, 'done', done.error);
      const path = await download(done.url!, `${mode}-template.mp4`);
      const probed = await probeOutput(path);
      assert.ok(Math.abs(Number(probed.format.duration) - 1.5) < 0.15, `LENGTH merged as a number: ${probed.format.duration}`);
      expectColour((await decodeFrames(path))[3], 80, 45, '#ff0000', 'PICTURE merged into the src');
      // data=true: the template's Edit with the render's merge fields; merged=true applies them.
      const data = async (q: string) => ((await (await fetch(`${rig.svc.url}/edit/stage/render/${queued.response.id}${q}`, { headers: { 'x-api-key': rig.key } })).json()) as { response: { data: typeof edit & { merge: unknown } } }).response.data;
      assert.deepEqual(await data('?data=true'), { ...edit, merge: [{ find: 'PICTURE', replace: 'red.png' }, { find: 'LENGTH', replace: 1.5 }] });
      const merged = await data('?data=true&merged=true');
      assert.equal(merged.timeline.tracks[0]!.clips[0]!.asset.src, `${rig.mediaUrl}/red.png`);
      assert.equal(merged.timeline.tracks[0]!.clips[0]!.length, 1.5);
    });

    it('maps the assets and motion Shotstack users send: luma, chroma key, shape, svg, rich-text, rich-caption, tweens', async (t) => {
      if (rig.skip) return t.skip(rig.skip);
      if (mode !== 'embedded') return t.skip('one mode is enough for the mapping; the service path is the same');
      const { api } = rig;
      const edit = {
        timeline: {
          background: '#000000',
          tracks: [
            { clips: [
              { asset: { type: 'rich-caption', src: `${rig.mediaUrl}/subs.srt`, font: { size: 20, color: '#ffffff' }, active: { font: { color: '#ffd400' } } }, start: 0, length: 2 },
              { asset: { type: 'svg', src: `${rig.mediaUrl}/logo.svg` }, start: 0, length: 2, fit: 'none', position: 'topRight' },
              // A canvas of the shape's own size: Shotstack places the canvas, so the shape sits at the corner.
              { asset: { type: 'shape', shape: 'rectangle', rectangle: { width: 40, height: 20 }, width: 40, height: 20, fill: { color: '#ffffff' } }, start: 0, length: 2, position: 'bottomLeft' },
            ] },
            { clips: [
              { asset: { type: 'image', src: `${rig.mediaUrl}/presenter.png`, chromaKey: { color: '#00b140' } }, start: 0, length: 2, fit: 'none', position: 'top',
                offset: { x: [{ from: -0.3, to: 0.3, start: 0, length: 2, interpolation: 'linear' }] } },
            ] },
            { clips: [
              { asset: { type: 'luma', src: `${rig.mediaUrl}/matte.svg` }, start: 0, length: 2 },
              { asset: { type: 'image', src: `${rig.mediaUrl}/blue.png` }, start: 0, length: 2 },
            ] },
          ],
        },
        output: { format: 'mp4', size: { width: 320, height: 180 }, fps: 10 },
      };
      const queued = await api.postRender(edit);
      const done = await poll(api, queued.response.id);
      assert.equal(done.status, 'done', done.error);
      const frames = await decodeFrames(await download(done.url!, 'mapped.mp4'));
      const f = frameAt(frames, 10, 1);
      expectColour(f, 80, 150, '#0000ff', 'luma: the blue picture shows where the matte is white');
      expectColour(f, 240, 150, '#000000', 'luma: hidden where the matte is black');
      expectColour(f, 176, 20, '#000000', 'chroma key: the presenter\'s green is gone (the matte hides the right, black beneath)');
      expectColour(f, 300, 20, '#ff00ff', 'svg logo at the top right');
      expectColour(f, 10, 170, '#ffffff', 'shape rectangle at the bottom left');
      const yellow = (p: typeof f) => { let n = 0; for (let i = 0; i < p.data.length; i += 3) if (p.data[i] > 200 && p.data[i + 1] > 170 && p.data[i + 2] < 90) n++; return n; };
      assert.ok(yellow(f) > 20, 'rich-caption: the active word is drawn in the active colour');
    });

    it('probe: the SDK\'s probe(url) fetches through the guarded fetcher and answers ffprobe-style metadata', async (t) => {
      if (rig.skip) return t.skip(rig.skip);
      const { api } = rig;
      const r = await api.probe(`${rig.mediaUrl}/music.wav`);
      assert.equal(r.success, true);
      const audio = r.response.metadata.streams.find((s: { codec_type: string }) => s.codec_type === 'audio');
      assert.equal(audio?.channels, 2);
      assert.ok(Math.abs(Number(r.response.metadata.format.duration) - 3) < 0.05, `duration ${r.response.metadata.format.duration}`);
      // A private address is refused like any source of a render.
      await assert.rejects(api.probe('http://10.1.2.3/x.mp4'), (e: { status: number; response: { body: { success: boolean; response: { code: string } } } }) =>
        e.status >= 400 && e.response.body.success === false && e.response.body.response.code === 'MONTAGE_E_FETCH_FORBIDDEN');
    });

    it('refuses what Montage cannot render with Shotstack\'s error shape, naming each path', async (t) => {
      if (rig.skip) return t.skip(rig.skip);
      const { api } = rig;
      const edit = {
        timeline: { tracks: [{ clips: [
          { asset: { type: 'html', html: '<p>Hi</p>' }, start: 0, length: 1 },
          { asset: { type: 'image', src: `${rig.mediaUrl}/red.png` }, start: 0, length: 1, transform: { skew: { x: 0.1 } } },
          { asset: { type: 'image', src: `${rig.mediaUrl}/red.png` }, start: 1, length: 1, filter: 'muted', transition: { in: 'shuffleTopRight', out: 'shuffleLeftBottomFast' } },
          { asset: { type: 'title', text: 'Hi' }, start: 2, length: 1, width: 200, height: 100 }, // a title has no clip box (an image's is drawn: clip-box-fit.ts)
        ] }] },
        output: { format: 'mp4', resolution: 'sd', destinations: [{ provider: 'mux' }] },
      };
      await assert.rejects(api.postRender(edit), (e: Refusal) => {
        assert.equal(e.status, 400);
        const body = e.response.body;
        assert.equal(body.success, false);
        assert.equal(body.response.code, 'MONTAGE_E_EDIT_UNSUPPORTED');
        const paths = body.response.details.map((d) => d.path);
        assert.deepEqual(paths.sort(), [
          '/output/destinations/0/provider', '/timeline/tracks/0/clips/0/asset/type', '/timeline/tracks/0/clips/1/transform/skew',
          '/timeline/tracks/0/clips/2/filter', '/timeline/tracks/0/clips/2/transition/in', '/timeline/tracks/0/clips/2/transition/out',
          '/timeline/tracks/0/clips/3/height', '/timeline/tracks/0/clips/3/width',
        ]);
        const why = (path: string) => body.response.details.find((d) => d.path === path)!.message;
        assert.match(why('/timeline/tracks/0/clips/0/asset/type'), /HTML assets need a browser/);
        assert.match(why('/timeline/tracks/0/clips/1/transform/skew'), /no skew \(shear\)/);
        assert.match(why('/timeline/tracks/0/clips/2/filter'), /"muted" is not supported: .*no saturation filter/);
        assert.match(why('/timeline/tracks/0/clips/2/transition/in'), /"shuffleTopRight" is not supported: .*no such transition/);
        assert.match(why('/timeline/tracks/0/clips/2/transition/out'), /"shuffleLeftBottomFast" is not supported/);
        assert.match(why('/timeline/tracks/0/clips/3/width'), /not supported on a title clip: Montage draws it at its own size/);
        assert.equal(body.message, 'The Shotstack Edit uses what Montage cannot render');
        return true;
      });
      // A wrong key is Shotstack's 401 shape too.
      const bad = rig.editApi({ key: 'mk_not-a-key' });
      await assert.rejects(bad.getRender('rnd_x', {}), (e: { status: number; response: { body: { success: boolean } } }) => e.status === 401 && e.response.body.success === false);
    });
  });
}
