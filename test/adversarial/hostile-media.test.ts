/**
 * Issue 7, hostile media: every file of the corpus is made by the generators, uploaded as an asset
 * to a real `montage serve` and used in a render. Each must be refused with a typed error within
 * 5 s, leak no byte of the canary into an output, a log line or an HTTP answer, open no outbound
 * connection, and keep every ffmpeg/ffprobe child under its memory cap.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCountingServer, watchConnectionAttempts, type CountingServer } from '../../src/assets/counting-server.ts';
import { FFMPEG_MAX_RSS, FFPROBE_MAX_RSS } from '../../src/assets/memory-cap.ts';
import { MontageApiError } from '../../src/http/montage-client.ts';
import * as gen from './support/hostile-media.ts';
import { watchChildMemory } from './support/child-memory.ts';
import { startAdversarialService, waitFinal, type AdversarialService } from './support/adversarial-service.ts';

interface Case {
  readonly name: string;
  readonly filename: string;
  readonly body: () => Buffer;
  readonly as: 'image' | 'video';
  readonly length: number | 'auto';
  /** The codes that count as the right refusal. */
  readonly codes: readonly string[];
}

/** Peak RSS any child may reach on this corpus: all of it must be refused long before decoding. */
const CORPUS_RSS_KIB = 256 * 1024;

describe('hostile media corpus', () => {
  let t: AdversarialService;
  let dir: string;
  let canary: gen.Canary;
  let listener: CountingServer;
  let connections: ReturnType<typeof watchConnectionAttempts>;
  let memory: ReturnType<typeof watchChildMemory>;
  const results: { name: string; code?: string; ms: number }[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'montage-canary-'));
    canary = gen.makeCanary(dir);
    listener = await startCountingServer((_req, res) => res.end(canary.content));
    connections = watchConnectionAttempts();
    memory = watchChildMemory();
    t = await startAdversarialService();
  });
  after(async () => {
    memory?.stop();
    connections?.stop();
    await t?.svc.stop();
    await listener?.close();
    rmSync(dir, { recursive: true, force: true });
    console.log(`hostile media: ${results.map((r) => `${r.name} → ${r.code} in ${r.ms} ms`).join('; ')}`);
  });

  const local = () => `http://127.0.0.1:${listener.port}/`;
  const cases = (): Case[] => [
    { name: 'HLS playlist naming file:///…canary', filename: 'clip.m3u8', body: () => gen.m3u8ToFile(canary.path), as: 'video', length: 2, codes: ['MONTAGE_E_ASSET_UNREADABLE'] },
    { name: 'ffconcat list naming the canary', filename: 'list.ffconcat', body: () => gen.ffconcatNaming(canary.path), as: 'video', length: 2, codes: ['MONTAGE_E_ASSET_UNREADABLE'] },
    { name: 'AVI with a GAB2 subtitle holding HLS (CVE-2017-9993)', filename: 'movie.avi', body: () => gen.aviGab2Hls(canary.path), as: 'video', length: 2, codes: ['MONTAGE_E_ASSET_UNSUPPORTED', 'MONTAGE_E_ASSET_UNREADABLE'] },
    { name: 'HLS segment at http://169.254.169.254/', filename: 'live.m3u8', body: () => gen.m3u8ToUrl('http://169.254.169.254/'), as: 'video', length: 2, codes: ['MONTAGE_E_ASSET_UNREADABLE'] },
    { name: 'HLS segment at a loopback listener', filename: 'live2.m3u8', body: () => gen.m3u8ToUrl(local()), as: 'video', length: 2, codes: ['MONTAGE_E_ASSET_UNREADABLE'] },
    { name: 'PNG whose IHDR claims 100000×100000', filename: 'huge.png', body: () => gen.pngClaiming(100_000, 100_000), as: 'image', length: 2, codes: ['MONTAGE_E_ASSET_UNSUPPORTED'] },
    { name: 'video of 10 hours at one frame an hour', filename: 'slow.mkv', body: gen.tenHoursOneFramePerHour, as: 'video', length: 2, codes: ['MONTAGE_E_ASSET_UNSUPPORTED'] },
    { name: 'the same, length "auto"', filename: 'slow.mkv', body: gen.tenHoursOneFramePerHour, as: 'video', length: 'auto', codes: ['MONTAGE_E_ASSET_UNSUPPORTED', 'MONTAGE_E_LIMIT_EXCEEDED'] },
    { name: '2 s MKV whose header claims 10 hours, length "auto"', filename: 'liar.mkv', body: gen.mkvClaimingTenHours, as: 'video', length: 'auto', codes: ['MONTAGE_E_LIMIT_EXCEEDED'] },
    { name: 'PNG bomb: 6 MiB inflating to a 16000×16000 RGBA frame (1 GiB)', filename: 'holiday.png', body: () => gen.pngBomb(16_000, 16_000), as: 'image', length: 2, codes: ['MONTAGE_E_ASSET_UNSUPPORTED'] },
    { name: 'truncated MP4 (index cut off)', filename: 'cut.mp4', body: gen.truncatedMp4, as: 'video', length: 2, codes: ['MONTAGE_E_ASSET_UNREADABLE'] },
    { name: 'extension lies: an HLS playlist to the loopback named photo.jpg', filename: 'photo.jpg', body: () => gen.m3u8ToUrl(local()), as: 'image', length: 2, codes: ['MONTAGE_E_ASSET_UNREADABLE', 'MONTAGE_E_ASSET_UNSUPPORTED'] },
    { name: 'extension lies: the canary itself named clip.mp4', filename: 'clip.mp4', body: () => canary.content, as: 'video', length: 2, codes: ['MONTAGE_E_ASSET_UNREADABLE'] },
  ];

  for (const c of [...Array(13).keys()]) {
    it(`refuses case ${c + 1} with a typed error within 5 s`, async (ctx) => {
      const k = cases()[c]!;
      ctx.diagnostic(k.name);
      const start = Date.now();
      let code: string | undefined;
      try {
        // Uploads are probed with the same guards: most of these are refused right here (422).
        const asset = await t.client.uploadAsset(k.body(), { filename: k.filename, contentType: 'application/octet-stream' });
        const r = await t.client.createRender({
          composition: { output: { format: 'mp4', width: 320, height: 240, fps: 25 }, tracks: [{ clips: [{ asset: { type: k.as, src: asset.src }, start: 0, length: k.length }] }] },
        } as never);
        const { render } = await waitFinal(t.client, r.id, 10_000);
        assert.equal(render.status, 'failed', `${k.name}: ended ${render.status}`);
        code = render.error?.code;
        assert.ok(render.error?.message, 'the failure says why');
        assert.deepEqual(render.outputs, {}, 'a refused render has no outputs');
      } catch (e) {
        if (!(e instanceof MontageApiError)) throw e;
        assert.equal(e.status, 422);
        code = e.code;
      }
      const ms = Date.now() - start;
      results.push({ name: k.name, code, ms });
      assert.ok(k.codes.includes(code!), `${k.name}: refused with ${code}, expected one of ${k.codes.join(', ')}`);
      assert.ok(ms < 5_000, `${k.name}: took ${ms} ms to refuse`);
    });
  }

  it('leaked no canary byte into any output, log line or HTTP answer', () => {
    const needles = gen.canaryNeedles(canary);
    const hay: { where: string; data: Buffer }[] = [
      ...t.responses.map((r) => ({ where: `response ${r.status} ${r.url}`, data: r.body })),
      { where: 'service logs', data: Buffer.from(t.svc.rawLogs.join('\n')) },
    ];
    // Every file the service wrote (outputs, scratch) except the uploaded assets, which hold the
    // canary-naming playlists by design: only the canary's own bytes may not appear elsewhere.
    const walk = (d: string): string[] => readdirSync(d).flatMap((n) => {
      const p = join(d, n);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
    const written = walk(t.svc.dataDir).filter((p) => !p.includes(`${join('objects', 'assets')}`));
    for (const p of written) if (statSync(p).size < 64 << 20) hay.push({ where: p, data: readFileSync(p) });
    assert.ok(t.responses.length >= 13 && t.svc.rawLogs.length > 13, 'the search covered the answers and logs (most cases now stop at the upload: one answer each)');
    for (const h of hay) {
      for (const n of needles) assert.equal(h.data.indexOf(n), -1, `canary bytes in ${h.where}`);
    }
    // The only upload that holds the canary's bytes is the one that is the canary (case 13).
  });

  it('opened no outbound connection: nothing reached the loopback listener, nothing left this process', () => {
    assert.equal(listener.connections, 0, `the listener took ${listener.connections} connections: ${listener.paths.join(', ')}`);
    const offLoopback = connections.attempts.filter((a) => !/^(127\.|::1|::ffff:127\.)/.test(a));
    assert.deepEqual(offLoopback, []);
  });

  it('kept every ffmpeg/ffprobe child under its memory cap (and this corpus under 256 MiB)', () => {
    memory.stop();
    const kids = memory.children;
    assert.ok(kids.filter((k) => k.comm === 'ffprobe').length >= 10, `watched ${kids.length} children`);
    for (const k of kids) {
      const cap = (k.comm === 'ffprobe' ? FFPROBE_MAX_RSS : FFMPEG_MAX_RSS) / 1024;
      assert.ok(k.peakKiB < cap, `${k.comm} ${k.pid} peaked at ${k.peakKiB} KiB`);
      assert.ok(k.peakKiB < CORPUS_RSS_KIB, `${k.comm} ${k.pid} peaked at ${k.peakKiB} KiB on hostile input`);
    }
    console.log(`hostile media: ${kids.length} children, peak RSS ${Math.max(...kids.map((k) => k.peakKiB))} KiB`);
  });
});
