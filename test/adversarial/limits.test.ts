/**
 * Issue 7, limits at their edge: every limit of API.md accepted exactly at the limit and refused
 * just past it, with a message that names the field and the limit. Against a real `montage serve`
 * (no worker, so accepted renders stay queued) with small configured values where the default
 * would be slow to reach (asset size, download start, rate).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.ts';
import { parseAllowList } from '../../src/assets/allow-list.ts';
import { SafeFetcher } from '../../src/assets/safe-fetcher.ts';
import { startCountingServer } from '../../src/assets/counting-server.ts';
import { startAdversarialService, type AdversarialService } from './support/adversarial-service.ts';

const color = (length: number) => ({ asset: { type: 'color', color: '#204060' }, start: 0, length });
const comp = (output: Record<string, unknown>, clips: unknown[] = [color(1)]) => ({ output: { format: 'mp4', ...output }, tracks: [{ clips }] });

/** A silent 16-bit mono 8 kHz WAV file of exactly `total` bytes (44-byte header + samples). */
const wavOfBytes = (total: number): Uint8Array => {
  const b = Buffer.alloc(total);
  b.write('RIFF', 0); b.writeUInt32LE(total - 8, 4); b.write('WAVE', 8); b.write('fmt ', 12);
  b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22); b.writeUInt32LE(8000, 24);
  b.writeUInt32LE(16000, 28); b.writeUInt16LE(2, 32); b.writeUInt16LE(16, 34); b.write('data', 36); b.writeUInt32LE(total - 44, 40);
  return new Uint8Array(b);
};

interface Answer { status: number; body: { code?: string; detail?: string; errors?: { pointer: string; detail: string }[] }; headers: Headers }

describe('limits at their edge (API.md)', () => {
  let t: AdversarialService;
  const ASSET_LIMIT = 64 * 1024;
  before(async () => { t = await startAdversarialService({ MONTAGE_WORKER_CONCURRENCY: '0', MONTAGE_MAX_ASSET_BYTES: String(ASSET_LIMIT) }); });
  after(async () => { await t?.svc.stop(); });

  const post = async (path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await t.client.request('POST', path, { body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
    return { status: res.status, body: await res.json() as Answer['body'], headers: res.headers };
  };
  /** At the limit: validates (200) and submits (202). Past it: 422 naming `pointer`, with `words` in the detail. */
  const edge = async (at: unknown, past: unknown, pointer: string, words: RegExp) => {
    const ok = await post('/v1/validate', { composition: at });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal((await post('/v1/renders', { composition: at })).status, 202);
    for (const path of ['/v1/validate', '/v1/renders']) {
      const no = await post(path, { composition: past });
      assert.equal(no.status, 422, `${path}: ${JSON.stringify(no.body)}`);
      const p = no.body.errors?.find((e) => e.pointer === pointer);
      assert.ok(p, `${path}: no problem at ${pointer}: ${JSON.stringify(no.body.errors)}`);
      assert.match(p.detail, words);
    }
  };

  it('duration: 600 s accepted, 600.01 s refused at /output/duration naming 600 s', () =>
    edge(comp({ width: 320, height: 240 }, [color(600)]), comp({ width: 320, height: 240 }, [color(600.01)]), '/output/duration', /600/));

  it('frame: the long side and the area are limited, not width and height apart: 3840×2160 and vertical 2160×3840 accepted, a side past 3840 or an area past 3840×2160 refused naming the limit', async () => {
    // A side past 3840 is the format's own limit (the schema); the service's long-side limit, when
    // set lower, is checked in src/jobs/submit-render.test.ts.
    await edge(comp({ width: 2160, height: 3840 }), comp({ width: 2162, height: 3840 }), '/output', /8294400 pixels \(MONTAGE_MAX_PIXELS/);
    await edge(comp({ width: 3840, height: 2160 }), comp({ width: 3840, height: 2162 }), '/output', /8294400 pixels \(MONTAGE_MAX_PIXELS/);
  });

  it('fps: 60 accepted, 60.5 refused at /output/fps naming 60', () =>
    edge(comp({ fps: 60 }), comp({ fps: 60.5 }), '/output/fps', /60/));

  it('assets: 200 distinct sources accepted, 201 refused naming 200', () => {
    const images = (n: number) => Array.from({ length: n }, (_, i) => ({ asset: { type: 'image', src: `https://93.184.216.34/${i}.png` }, start: i * 0.01, length: 1 }));
    return edge(comp({}, images(200)), comp({}, images(201)), '/tracks', /200/);
  });

  it(`asset size (MONTAGE_MAX_ASSET_BYTES=${ASSET_LIMIT}): an upload of exactly the limit is stored, one byte more is a 413 naming the limit`, async () => {
    // Exactly the limit, and real media (uploads are probed): a 16-bit mono WAV of ASSET_LIMIT bytes, header included.
    const at = await t.client.request('POST', '/v1/assets', { body: wavOfBytes(ASSET_LIMIT), query: { filename: 'at.wav' }, headers: { 'content-type': 'audio/wav' } });
    assert.equal(at.status, 201, await at.text());
    for (const chunked of [false, true]) {
      const body = new Uint8Array(ASSET_LIMIT + 1);
      const res = await t.client.request('POST', '/v1/assets', {
        body: chunked ? new ReadableStream({ start(c) { c.enqueue(body); c.close(); } }) : body,
        query: { filename: 'past.bin' }, headers: { 'content-type': 'application/octet-stream' },
      });
      const p = await res.json() as Answer['body'];
      assert.deepEqual([res.status, p.code], [413, 'MONTAGE_E_ASSET_TOO_LARGE'], chunked ? 'streamed' : 'declared');
      assert.match(p.detail!, new RegExp(String(ASSET_LIMIT)));
    }
  });

  it('request body: exactly 1 MiB of JSON is read, one byte more is a 413 naming the limit', async () => {
    const base = JSON.stringify({ composition: comp({}) });
    const exact = base.slice(0, -1) + ' '.repeat(1024 ** 2 - base.length) + '}';
    assert.equal(Buffer.byteLength(exact), 1024 ** 2);
    assert.equal((await post('/v1/validate', exact)).status, 200);
    const past = await post('/v1/validate', exact.slice(0, -1) + ' }');
    assert.deepEqual([past.status, past.body.code], [413, 'MONTAGE_E_PAYLOAD_TOO_LARGE'], JSON.stringify(past.body));
    assert.match(past.body.detail ?? '', /larger than this service accepts.*1 MiB \(1048576 bytes\)/);
  });

  it('requests per key (MONTAGE_RATE_LIMIT=20): the 20th request in a minute is answered, the 21st is a 429 with Retry-After', async () => {
    const r = await startAdversarialService({ MONTAGE_WORKER_CONCURRENCY: '0', MONTAGE_RATE_LIMIT: '20' });
    try {
      for (let i = 1; i <= 20; i++) assert.equal((await r.client.request('GET', '/v1/renders')).status, 200, `request ${i}`);
      const res = await r.client.request('GET', '/v1/renders');
      const p = await res.json() as Answer['body'];
      assert.deepEqual([res.status, p.code], [429, 'MONTAGE_E_RATE_LIMITED']);
      assert.ok(Number(res.headers.get('retry-after')) >= 1);
      assert.match(p.detail!, /20 requests a minute/);
    } finally { await r.svc.stop(); }
  });

  it('download start (MONTAGE_DOWNLOAD_TIMEOUT=400ms): headers after 100 ms are taken, after 1.5 s the fetch is refused naming the limit', async () => {
    const config = loadConfig({ MONTAGE_DOWNLOAD_TIMEOUT: '400ms', MONTAGE_DATA_DIR: tmpdir() });
    assert.equal(config.limits.downloadStartTimeoutMs, 400);
    const server = await startCountingServer((req, res) => {
      setTimeout(() => res.end('x'.repeat(100)), req.url === '/slow' ? 1_500 : 100);
    }, []);
    const allow = parseAllowList(`127.0.0.1:${server.port}`);
    assert.ok(allow.ok);
    // The fetcher serve builds from the same config (src/main/serve.ts).
    const fetcher = new SafeFetcher({ allowList: allow.allowList, limits: { maxBytes: config.limits.maxAssetBytes, startTimeoutMs: config.limits.downloadStartTimeoutMs } });
    const dir = mkdtempSync(join(tmpdir(), 'montage-limits-'));
    try {
      const got = await fetcher.fetchToFile(`http://127.0.0.1:${server.port}/fast`, join(dir, 'a'));
      assert.equal(got.bytes, 100);
      const t0 = Date.now();
      await assert.rejects(fetcher.fetchToFile(`http://127.0.0.1:${server.port}/slow`, join(dir, 'b')),
        (e: { code?: string; message?: string }) => e.code === 'MONTAGE_E_FETCH_TIMEOUT' && /400 ms/.test(e.message ?? ''));
      assert.ok(Date.now() - t0 < 1_400, `gave up after ${Date.now() - t0} ms`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await server.close();
    }
  });
});
