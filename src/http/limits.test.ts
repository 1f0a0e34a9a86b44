// Limits over real HTTP against a started serve: per-key rate limit (429 + Retry-After), uploads
// that stream without growing the heap, and uploads over the per-asset limit cut off with a 413.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { loadRealEngine } from '../jobs/load-real-engine.ts';
import type { RenderEngine } from '../ports/render-engine.ts';
import { startTestService, type TestService } from '../main/start-test-service.ts';

let engine: RenderEngine | undefined;
let skip: string | undefined;
const services: TestService[] = [];
before(async () => {
  const r = await loadRealEngine();
  if ('engine' in r) engine = r.engine; else skip = r.skip;
});
after(async () => { for (const s of services) await s.stop(); });

const start = async (env: Record<string, string>) => {
  const s = await startTestService({ engine: engine!, env: { MONTAGE_WORKER_CONCURRENCY: '0', ...env } });
  services.push(s);
  return s;
};

/** The first `chunkSize` bytes of such an upload of `total` bytes: the WAV header, then samples of 7. */
function wavHead(total: number, chunkSize: number): Buffer {
  const first = Buffer.alloc(chunkSize, 7);
  first.write('RIFF', 0); first.writeUInt32LE(total - 8, 4); first.write('WAVEfmt ', 8); first.writeUInt32LE(16, 16);
  first.writeUInt16LE(1, 20); first.writeUInt16LE(1, 22); first.writeUInt32LE(8000, 24); first.writeUInt32LE(8000, 28);
  first.writeUInt16LE(1, 32); first.writeUInt16LE(8, 34); first.write('data', 36); first.writeUInt32LE(total - 44, 40);
  return first;
}

/**
 * POSTs `chunks` chunks of `chunkSize` bytes (the same buffer over and over) as one upload. The
 * first chunk begins with a WAV header for the whole size (8-bit mono samples of value 7), so the
 * upload is real media: uploads are probed.
 */
function upload(url: string, key: string, chunks: number, chunkSize: number, headers: Record<string, string> = {}) {
  const chunk = Buffer.alloc(chunkSize, 7);
  const first = wavHead(chunks * chunkSize, chunkSize);
  let sent = 0;
  const body = new Readable({ read() { this.push(sent < chunks ? (sent++ === 0 ? first : chunk) : null); } });
  return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    const req = request(`${url}/v1/assets`, {
      method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'video/mp4', ...headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    body.pipe(req);
  });
}

describe('limits (real server)', () => {
  it('rate-limits per API key: the request past the limit is a 429 with Retry-After; other keys and ops routes are unaffected', async (t) => {
    if (skip) return t.skip(skip);
    const s = await start({ MONTAGE_RATE_LIMIT: '5' });
    const { client: a } = await s.createKey('a');
    const { client: b } = await s.createKey('b');
    for (let i = 0; i < 5; i++) assert.equal((await a.request('GET', '/v1/renders')).status, 200, `request ${i + 1}`);
    const limited = await a.request('GET', '/v1/renders');
    assert.equal(limited.status, 429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    const p = await limited.json() as { code: string; status: number };
    assert.deepEqual([p.status, p.code], [429, 'MONTAGE_E_RATE_LIMITED']);
    assert.equal((await a.request('POST', '/v1/renders', { body: {} })).status, 429, 'every route shares the key’s budget');
    assert.equal((await b.request('GET', '/v1/renders')).status, 200);
    for (let i = 0; i < 8; i++) assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
  });

  it('streams a 200 MiB upload to storage without the heap growing by anything near its size', async (t) => {
    if (skip) return t.skip(skip);
    const s = await start({});
    const { key, client } = await s.createKey('big');
    const mem = () => { const m = process.memoryUsage(); return m.heapUsed + m.external; };
    const baseline = mem();
    let peak = baseline;
    const sampler = setInterval(() => { peak = Math.max(peak, mem()); }, 10);
    const MiB = 1024 * 1024;
    const res = await upload(s.url, key, 200, MiB).finally(() => clearInterval(sampler));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.bytes, 200 * MiB);
    const expected = createHash('sha256');
    expected.update(wavHead(200 * MiB, MiB));
    for (let i = 1; i < 200; i++) expected.update(Buffer.alloc(MiB, 7));
    assert.equal(res.body.sha256, expected.digest('hex'));
    const growth = (peak - baseline) / MiB;
    t.diagnostic(`peak heap+external growth during a 200 MiB upload: ${growth.toFixed(1)} MiB`);
    assert.ok(growth < 64, `heap+external grew by ${growth.toFixed(1)} MiB`);
    assert.equal((await client.getAsset(res.body.id as string)).bytes, 200 * MiB);
  });

  it('refuses an upload over the per-asset limit: at once when declared, as soon as it passes when streamed', async (t) => {
    if (skip) return t.skip(skip);
    const s = await start({ MONTAGE_MAX_ASSET_BYTES: '4MiB' });
    const { key, client } = await s.createKey('small');
    const declared = await upload(s.url, key, 5, 1024 * 1024, { 'content-length': String(5 * 1024 * 1024) });
    assert.deepEqual([declared.status, declared.body.code], [413, 'MONTAGE_E_ASSET_TOO_LARGE']);
    const streamed = await upload(s.url, key, 6, 1024 * 1024, { 'transfer-encoding': 'chunked' });
    assert.deepEqual([streamed.status, streamed.body.code], [413, 'MONTAGE_E_ASSET_TOO_LARGE']);
    const ok = await upload(s.url, key, 4, 1024 * 1024);
    assert.equal(ok.status, 201);
    assert.equal((await client.getAsset(ok.body.id as string)).bytes, 4 * 1024 * 1024);
  });
});
