// `montage serve` end to end: a real render through HTTP (SSE to the final event, ffprobe of the
// downloaded output, a signed webhook to a loopback receiver), then the process itself as a child
// (`bin/montage serve`): SIGTERM drains and exits 0, a render past the grace period is handed
// back, and kill -9 mid-render loses nothing. Renders are tiny (160×90) but long enough (in
// timeline seconds) to be caught mid-render. Skipped, with the reason, until the engine loads.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Webhook } from 'standardwebhooks';
import { createSqliteKeyStore } from '../adapters/sqlite-key-store.ts';
import { createSqliteRenderStore } from '../adapters/sqlite-render-store.ts';
import { openConfiguredSqlite } from '../cli/keys-command.ts';
import type { Composition } from '../composition/schema.ts';
import { loadConfig } from '../config/load-config.ts';
import { MontageClient } from '../http/montage-client.ts';
import { loadRealEngine } from '../jobs/load-real-engine.ts';
import { createKeyUseCases } from '../jobs/manage-keys.ts';
import type { RenderEngine } from '../ports/render-engine.ts';
import { startTestService } from './start-test-service.ts';

let engine: RenderEngine | undefined;
let skip: string | undefined;
before(async () => {
  const r = await loadRealEngine();
  if ('engine' in r) engine = r.engine; else skip = r.skip;
});

/** A 160×90 render whose timeline lasts `seconds` (about 2 s of work per 100 s here). */
const slow = (seconds: number, output: Record<string, unknown> = {}): Composition => ({
  output: { format: 'mp4', width: 160, height: 90, fps: 30, ...output },
  tracks: [{ clips: [
    { asset: { type: 'color', color: '#203040' }, start: 0, length: seconds },
    { asset: { type: 'text', text: 'Montage' }, start: 0, length: seconds, effect: 'zoomIn', keyframes: { rotate: [{ time: 0, value: 0 }, { time: seconds, value: 360 }] } },
  ] }],
});

const ffprobe = (path: string) => JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', path]).toString()) as
  { streams: { codec_type: string; codec_name: string; width?: number; height?: number }[]; format: { duration: string } };

const waitFor = async <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000, intervalMs = 100): Promise<T> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
};

describe('end to end, embedded (montage serve) and scale-out (montage api + worker on PostgreSQL, Redis, s3rver)', () => {
  for (const mode of ['embedded', 'scale-out'] as const) it(`${mode}: renders through HTTP: SSE to the final event, a playable download with Range, poster and thumbnail, a signed webhook, metrics`, async (t) => {
    if (skip) return t.skip(skip);
    const hooks: { headers: IncomingHttpHeaders; body: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => { body += d.toString(); });
      req.on('end', () => { hooks.push({ headers: req.headers, body }); res.writeHead(204).end(); });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    // In scale-out the 80 s render is also split into 30 s pieces (MONTAGE_CHUNK_SECONDS), joined by the worker.
    const svc = await startTestService({ mode, engine: engine!, env: { MONTAGE_WORKER_CONCURRENCY: '1', MONTAGE_ALLOW_HOSTS: '127.0.0.1' } });
    const dir = mkdtempSync(join(tmpdir(), 'montage-e2e-'));
    try {
      const { client, webhookSecret, key } = await svc.createKey('e2e');
      const render = await client.createRender({
        composition: slow(80, { poster: { time: 1 }, thumbnail: { time: 1, width: 80 } }), webhook: { url: hookUrl }, metadata: { job: 'e2e' },
      });
      const events: { event: string; data: { status?: string; progress?: number } }[] = [];
      for await (const e of client.renderEvents(render.id)) events.push(e as (typeof events)[number]);
      const names = events.map((e) => e.event);
      assert.equal(names.at(-1), 'final', names.join());
      assert.equal(names.filter((n) => n === 'final').length, 1);
      const statuses = events.filter((e) => e.event === 'status').map((e) => e.data.status);
      assert.equal(statuses.at(-1), 'succeeded', statuses.join());
      const order = ['queued', 'preparing', 'rendering', 'finalizing', 'succeeded'];
      assert.ok(statuses.every((st, i) => i === 0 || order.indexOf(st!) > order.indexOf(statuses[i - 1]!)), `statuses in lifecycle order: ${statuses.join()}`);
      assert.ok(statuses.includes('rendering'), statuses.join());
      const progress = events.filter((e) => e.event === 'progress').map((e) => e.data.progress!);
      assert.ok(progress.some((p) => p > 0 && p < 1), `progress events while rendering: ${progress.join()}`);
      assert.ok(progress.every((p, i) => p >= 0 && p <= 1 && (i === 0 || p >= progress[i - 1]!)), progress.join());
      const final = events.at(-1)!.data as { status: string; outputs: Record<string, { bytes: number; contentType: string }> };
      assert.equal(final.status, 'succeeded');

      const video = await client.downloadOutput(render.id);
      assert.equal(video.length, final.outputs.video!.bytes);
      writeFileSync(join(dir, 'out.mp4'), video);
      const probe = ffprobe(join(dir, 'out.mp4'));
      const v = probe.streams.find((s) => s.codec_type === 'video');
      assert.deepEqual([v?.codec_name, v?.width, v?.height], ['h264', 160, 90]);
      assert.ok(Math.abs(Number(probe.format.duration) - 80) < 0.2, probe.format.duration);

      const part = await client.request('GET', `/v1/renders/${render.id}/output`, { headers: { range: 'bytes=4-11' } });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get('content-range'), `bytes 4-11/${video.length}`);
      assert.deepEqual(new Uint8Array(await part.arrayBuffer()), video.subarray(4, 12));
      assert.equal(Buffer.from(video.subarray(4, 8)).toString('latin1'), 'ftyp');
      // Scale-out redirects to a short-lived signed S3 URL. s3rver ignores the suffix form
      // (`bytes=-5`) that S3 and MinIO serve, so there the same tail is asked for explicitly.
      const tailRange = mode === 'embedded' ? 'bytes=-5' : `bytes=${video.length - 5}-${video.length - 1}`;
      const tail = await client.request('GET', `/v1/renders/${render.id}/output`, { headers: { range: tailRange } });
      assert.deepEqual(new Uint8Array(await tail.arrayBuffer()), video.subarray(video.length - 5));

      if (mode === 'scale-out') {
        const redirect = await fetch(`${svc.url}/v1/renders/${render.id}/output`, { redirect: 'manual', headers: { authorization: `Bearer ${key}` } });
        assert.equal(redirect.status, 302);
        assert.match(redirect.headers.get('location') ?? '', /X-Amz-Signature=.*|X-Amz-Expires=300/);
      }
      for (const kind of ['poster', 'thumbnail'] as const) {
        const jpg = await client.downloadOutput(render.id, kind);
        writeFileSync(join(dir, `${kind}.jpg`), jpg);
        const s = ffprobe(join(dir, `${kind}.jpg`)).streams[0]!;
        assert.deepEqual([s.codec_name, s.width], ['mjpeg', kind === 'poster' ? 160 : 80]);
      }

      const hook = await waitFor('the webhook', async () => hooks[0], 15_000);
      const payload = new Webhook(webhookSecret).verify(hook.body, {
        'webhook-id': String(hook.headers['webhook-id']), 'webhook-timestamp': String(hook.headers['webhook-timestamp']),
        'webhook-signature': String(hook.headers['webhook-signature']),
      }) as { type: string; data: { id: string; status: string; metadata: unknown } };
      assert.deepEqual([payload.type, payload.data.id, payload.data.status, payload.data.metadata], ['render.succeeded', render.id, 'succeeded', { job: 'e2e' }]);

      // Renders and webhooks are counted where they happen: serve, or the worker.
      const metrics = await (await fetch(`${(svc.worker ?? svc.serve).url}/metrics`)).text();
      assert.match(metrics, /montage_renders_total\{status="succeeded"\} 1\b/);
      assert.match(metrics, /montage_render_duration_seconds_count\{status="succeeded"\} 1\b/);
      assert.match(metrics, /montage_webhook_deliveries_total\{outcome="delivered"\} 1\b/);
    } finally {
      await svc.stop();
      await new Promise((r) => receiver.close(r));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

interface Child {
  readonly proc: ChildProcess;
  readonly url: string;
  readonly exited: Promise<number | null>;
}

const BIN = new URL('../../bin/montage', import.meta.url).pathname;

async function spawnServe(dataDir: string, env: Record<string, string>): Promise<Child> {
  const proc = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, MONTAGE_DATA_DIR: dataDir, MONTAGE_PORT: '0', MONTAGE_HOST: '127.0.0.1', MONTAGE_WORKER_CONCURRENCY: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout! });
    lines.on('line', (line) => {
      try {
        const l = JSON.parse(line) as { msg?: string; url?: string };
        if (l.msg === 'montage serve is ready' && l.url) resolve(l.url);
      } catch { /* not a log line */ }
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code} before it was ready: ${stderr}`)));
  });
  return { proc, url, exited };
}

/** A fresh data dir with one API key, and a way to read a render's status while no serve runs. */
async function dataDirWithKey() {
  const dataDir = mkdtempSync(join(tmpdir(), 'montage-proc-'));
  const config = loadConfig({ MONTAGE_DATA_DIR: dataDir });
  const db = openConfiguredSqlite(config);
  const k = await createKeyUseCases({ keys: createSqliteKeyStore(db) }).createKey('proc').finally(() => db.close());
  return {
    dataDir, key: k.key,
    async status(id: string): Promise<string | undefined> {
      const read = openConfiguredSqlite(config);
      try { return (await createSqliteRenderStore(read).get(k.tenantId, id))?.status; } finally { read.close(); }
    },
    cleanup() { rmSync(dataDir, { recursive: true, force: true }); },
  };
}

describe('montage serve as a process', () => {
  const dirs: { cleanup(): void }[] = [];
  const children: ChildProcess[] = [];
  after(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const d of dirs) d.cleanup();
  });

  const renderingIn = async (client: MontageClient, seconds: number) => {
    const r = await client.createRender({ composition: slow(seconds) });
    const seen: string[] = [];
    await waitFor('the render to be rendering', async () => {
      const { status } = await client.getRender(r.id);
      if (seen.at(-1) !== status) seen.push(status);
      if (status === 'succeeded' || status === 'failed' || status === 'canceled') throw new Error(`the render went ${seen.join(' → ')} before the test could act on it`);
      return status === 'rendering';
    // Every 250 ms: under the API key's 300 requests a minute even when preparing (probe, plan,
    // text) takes a minute on a 2-core machine shared with three other test files.
    }, 90_000, 250);
    return r.id;
  };

  it('SIGTERM: /readyz turns 503, the running render finishes within the grace period, exit 0', async (t) => {
    if (skip) return t.skip(skip);
    const d = await dataDirWithKey();
    dirs.push(d);
    const child = await spawnServe(d.dataDir, { MONTAGE_SHUTDOWN_GRACE: '60s' });
    children.push(child.proc);
    const client = new MontageClient({ baseUrl: child.url, apiKey: d.key });
    const id = await renderingIn(client, 200);
    assert.equal((await fetch(`${child.url}/readyz`)).status, 200);
    child.proc.kill('SIGTERM');
    const ready = await waitFor('/readyz 503', async () => {
      const res = await fetch(`${child.url}/readyz`).catch(() => null);
      return res?.status === 503 ? res : undefined;
    }, 5_000);
    assert.equal((await ready.json() as { code: string }).code, 'MONTAGE_E_UNAVAILABLE');
    assert.equal((await fetch(`${child.url}/healthz`)).status, 200, 'still alive while draining');
    assert.equal(await child.exited, 0);
    assert.equal(await d.status(id), 'succeeded', 'the render in progress was finished, not dropped');
  });

  it('SIGTERM with a render longer than the grace period: it is handed back (queued), exit 0, and the next start finishes it', async (t) => {
    if (skip) return t.skip(skip);
    const d = await dataDirWithKey();
    dirs.push(d);
    const first = await spawnServe(d.dataDir, { MONTAGE_SHUTDOWN_GRACE: '200ms' });
    children.push(first.proc);
    const id = await renderingIn(new MontageClient({ baseUrl: first.url, apiKey: d.key }), 200);
    first.proc.kill('SIGTERM');
    assert.equal(await first.exited, 0);
    assert.equal(await d.status(id), 'queued');
    const second = await spawnServe(d.dataDir, {});
    children.push(second.proc);
    const client = new MontageClient({ baseUrl: second.url, apiKey: d.key });
    await waitFor('the handed-back render to succeed', async () => (await client.getRender(id)).status === 'succeeded', 120_000, 250);
    second.proc.kill('SIGTERM');
    assert.equal(await second.exited, 0);
  });

  it('kill -9 mid-render, then a restart: the render is taken up again and succeeds', async (t) => {
    if (skip) return t.skip(skip);
    const d = await dataDirWithKey();
    dirs.push(d);
    // Short, so the restart takes the render up soon; 3 s (a heartbeat each second) so a busy
    // 2-core machine running other test files beside this one does not lose the lease by itself.
    const env = { MONTAGE_JOB_LEASE: '3s' };
    const first = await spawnServe(d.dataDir, env);
    children.push(first.proc);
    const id = await renderingIn(new MontageClient({ baseUrl: first.url, apiKey: d.key }), 150);
    first.proc.kill('SIGKILL');
    await first.exited;
    assert.equal(await d.status(id), 'rendering', 'the row still says rendering: nobody recorded the crash');
    const second = await spawnServe(d.dataDir, env);
    children.push(second.proc);
    const client = new MontageClient({ baseUrl: second.url, apiKey: d.key });
    await waitFor('the render to succeed after the restart', async () => (await client.getRender(id)).status === 'succeeded', 120_000, 250);
    const dir = mkdtempSync(join(tmpdir(), 'montage-k9-'));
    try {
      writeFileSync(join(dir, 'out.mp4'), await client.downloadOutput(id));
      assert.ok(Math.abs(Number(ffprobe(join(dir, 'out.mp4')).format.duration) - 150) < 0.5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    second.proc.kill('SIGTERM');
    assert.equal(await second.exited, 0);
  });
});
