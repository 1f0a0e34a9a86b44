// `montage api` and `montage worker` at start-up and while a store goes away: each refuses to start
// naming the store that does not answer (or is not migrated), /readyz turns 503 naming the store
// that stopped answering and 200 once it is back, and the process stays up. Real PostgreSQL and
// Redis behind a TCP proxy the test cuts; a real s3rver.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import pg from 'pg';
import { loadConfig, type ConfigVariable } from '../config/load-config.ts';
import { startTcpProxy } from '../../test/support/tcp-proxy.ts';
import { startApi } from './api.ts';
import { createKeyUseCases } from '../jobs/manage-keys.ts';
import { startScaleOutStores, type ScaleOutStores } from './test-service-stores.ts';

let stores: ScaleOutStores;
before(async () => { stores = await startScaleOutStores(); });
after(async () => { await stores?.close(); });

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

const configWith = (env: Partial<Record<ConfigVariable, string>>) => loadConfig({
  MONTAGE_PORT: '0', MONTAGE_HOST: '127.0.0.1', MONTAGE_DATA_DIR: '/tmp/montage-roles-test', ...stores.env, ...env,
});

describe('scale-out roles: start-up checks', () => {
  it('refuse to start, naming the store that does not answer (PostgreSQL, Redis, S3) and never its password', async () => {
    const port = await closedPort();
    const cases: Array<[Partial<Record<ConfigVariable, string>>, RegExp]> = [
      [{ DATABASE_URL: `postgres://montage:s3cret@127.0.0.1:${port}/montage` }, new RegExp(`^PostgreSQL \\(DATABASE_URL postgres://montage:\\*\\*\\*@127\\.0\\.0\\.1:${port}/montage\\) does not answer`)],
      [{ REDIS_URL: `redis://127.0.0.1:${port}` }, new RegExp(`^Redis \\(REDIS_URL redis://127\\.0\\.0\\.1:${port}\\) does not answer`)],
      [{ S3_ENDPOINT: `http://127.0.0.1:${port}` }, new RegExp(`^S3 storage \\(MONTAGE_STORAGE s3://.* at S3_ENDPOINT http://127\\.0\\.0\\.1:${port}\\) does not answer`)],
      // It answers, but the bucket is not there: say so, not "does not answer: UnknownError".
      [{ MONTAGE_STORAGE: 's3://montage-no-such-bucket/objects' }, /^S3 storage \(MONTAGE_STORAGE s3:\/\/montage-no-such-bucket\/objects at S3_ENDPOINT http:\/\/127\.0\.0\.1:\d+\) refuses: bucket "montage-no-such-bucket" does not exist: create it, or name an existing one in MONTAGE_STORAGE\.$/],
    ];
    for (const [env, named] of cases) {
      const t0 = Date.now();
      await assert.rejects(startApi(configWith(env), { logger: false }), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'MONTAGE_E_UNAVAILABLE');
        assert.match(e.message, named);
        assert.doesNotMatch(e.message, /s3cret/);
        return true;
      });
      assert.ok(Date.now() - t0 < 15_000, 'gave up within the start-up timeout');
    }
  });

  it('say why Redis refused: no password, a wrong password, nobody listening (not "Connection is closed")', async () => {
    const port = await closedPort();
    const guarded = await closedPort();
    const redis = spawn('redis-server', ['--port', String(guarded), '--bind', '127.0.0.1', '--requirepass', 'r1ght-pw', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    try {
      const ready = Date.now() + 10_000;
      for (;;) {
        const probe = await new Promise<boolean>((resolve) => {
          const s = connect(guarded, '127.0.0.1', () => { s.destroy(); resolve(true); });
          s.on('error', () => resolve(false));
        });
        if (probe) break;
        if (Date.now() > ready) throw new Error('redis-server did not start');
        await new Promise((r) => setTimeout(r, 50));
      }
      const cases: Array<[string, RegExp]> = [
        [`redis://127.0.0.1:${guarded}`, new RegExp(`^Redis \\(REDIS_URL redis://127\\.0\\.0\\.1:${guarded}\\) refuses: it requires a password, and REDIS_URL gives none`)],
        [`redis://:wr0ng-pw@127.0.0.1:${guarded}`, new RegExp(`^Redis \\(REDIS_URL redis://:\\*\\*\\*@127\\.0\\.0\\.1:${guarded}\\) refuses: it refuses the user name or password in REDIS_URL \\(WRONGPASS\\)`)],
        [`redis://127.0.0.1:${port}`, new RegExp(`^Redis \\(REDIS_URL redis://127\\.0\\.0\\.1:${port}\\) does not answer: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\.`)],
      ];
      for (const [url, said] of cases) {
        await assert.rejects(startApi(configWith({ REDIS_URL: url }), { logger: false }), (e: Error & { code?: string }) => {
          assert.equal(e.code, 'MONTAGE_E_UNAVAILABLE');
          assert.match(e.message, said);
          assert.doesNotMatch(e.message, /wr0ng-pw|Connection is closed/);
          return true;
        });
      }
    } finally { redis.kill('SIGKILL'); }
  });

  it('refuse a database that is not migrated when MONTAGE_AUTO_MIGRATE=false, naming `montage migrate`', async () => {
    const empty = `montage_t_empty_${process.pid}`;
    const admin = async (sql: string) => {
      const c = new pg.Client({ connectionString: stores.env.DATABASE_URL });
      await c.connect();
      try { await c.query(sql); } finally { await c.end(); }
    };
    await admin(`CREATE DATABASE ${empty}`);
    try {
      const url = new URL(stores.env.DATABASE_URL!);
      url.pathname = `/${empty}`;
      await assert.rejects(startApi(configWith({ MONTAGE_AUTO_MIGRATE: 'false', DATABASE_URL: url.toString() }), { logger: false }),
        (e: Error & { code?: string }) => e.code === 'MONTAGE_E_CONFIG_INVALID' && /schema version 0, this Montage needs \d+: run `montage migrate`/.test(e.message));
    } finally {
      await admin(`DROP DATABASE IF EXISTS ${empty} WITH (FORCE)`);
    }
  });

  it('refuse to start without DATABASE_URL or REDIS_URL, saying serve runs without them', async () => {
    const config = loadConfig({ MONTAGE_PORT: '0', MONTAGE_DATA_DIR: '/tmp/montage-roles-test' });
    await assert.rejects(startApi(config, { logger: false }), /need DATABASE_URL \(postgres:\/\/…\) and REDIS_URL \(redis:\/\/…\); `montage serve` runs without them/);
  });

  it('`montage worker` as a process exits 1 at once with the reason when Redis does not answer (no hang, no crash loop)', async () => {
    const port = await closedPort();
    const bin = new URL('../../bin/montage', import.meta.url).pathname;
    const proc = spawn(process.execPath, [bin, 'worker'], {
      env: { ...process.env, ...stores.env, REDIS_URL: `redis://127.0.0.1:${port}`, MONTAGE_PORT: '0', MONTAGE_DATA_DIR: '/tmp/montage-roles-test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => { proc.kill('SIGKILL'); resolve(-1); }, 30_000);
      proc.on('exit', (c) => { clearTimeout(timer); resolve(c); });
    });
    assert.equal(code, 1, stderr);
    assert.match(stderr, new RegExp(`montage worker could not start: Redis \\(REDIS_URL redis://127\\.0\\.0\\.1:${port}\\) does not answer`));
  });
});

describe('scale-out roles: a worker without MONTAGE_PUBLIC_URL', () => {
  it('says at start-up that the links in its webhooks will point at itself', async () => {
    // A worker knows no request: without MONTAGE_PUBLIC_URL the output links in the webhooks it
    // sends are http://localhost:<its own port>/v1/…, which reach no API. It used to start silently.
    const bin = new URL('../../bin/montage', import.meta.url).pathname;
    const env: NodeJS.ProcessEnv = { ...process.env, ...stores.env, MONTAGE_PORT: '0', MONTAGE_HOST: '127.0.0.1', MONTAGE_DATA_DIR: '/tmp/montage-roles-test' };
    delete env.MONTAGE_PUBLIC_URL;
    const proc = spawn(process.execPath, [bin, 'worker'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    proc.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    try {
      const end = Date.now() + 30_000;
      while (!out.includes('montage worker is ready') && proc.exitCode === null && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      assert.match(out, /montage worker is ready/, out);
      const warned = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: number; msg: string })
        .find((l) => l.level === 40 && /MONTAGE_PUBLIC_URL/.test(l.msg));
      assert.ok(warned, out);
      assert.match(warned.msg, /MONTAGE_PUBLIC_URL is not set: the links in webhook payloads will point at http:\/\/localhost:\d+, this worker, not the API/);
    } finally {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
    }
  });
});

describe('scale-out roles: /readyz tracks the stores', () => {
  it('turns 503 naming PostgreSQL, then Redis, while each is cut off, and 200 when it is back; the api keeps serving', async () => {
    const pg = new URL(stores.env.DATABASE_URL!);
    const redis = new URL(stores.env.REDIS_URL!);
    const pgProxy = await startTcpProxy({ host: pg.hostname, port: Number(pg.port || 5432) });
    const redisProxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
    pg.port = String(pgProxy.port);
    redis.port = String(redisProxy.port);
    const api = await startApi(configWith({ DATABASE_URL: pg.toString(), REDIS_URL: redis.toString() }), { logger: false });
    const ready = async () => {
      const res = await fetch(`${api.url}/readyz`);
      return { status: res.status, body: await res.json() as { detail?: string } };
    };
    const until = async (want: number) => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const r = await ready();
        if (r.status === want || Date.now() > deadline) return r;
        await new Promise((res) => setTimeout(res, 200));
      }
    };
    try {
      assert.equal((await ready()).status, 200);
      for (const [proxy, name] of [[pgProxy, /PostgreSQL \(DATABASE_URL/], [redisProxy, /Redis \(REDIS_URL/]] as const) {
        proxy.cut();
        const down = await until(503);
        assert.equal(down.status, 503);
        assert.match(down.body.detail ?? '', name);
        assert.equal((await fetch(`${api.url}/healthz`)).status, 200, 'still alive: no restart wanted');
        proxy.restore();
        const up = await until(200);
        assert.equal(up.status, 200, JSON.stringify(up.body));
      }
    } finally {
      await api.stop();
      await pgProxy.close();
      await redisProxy.close();
    }
  });
});

describe('scale-out roles: while Redis is away', () => {
  it('GET /v1/renders/{id}/events answers from the row at once instead of hanging, and a cancel answers 200 (not 500)', async () => {
    const redis = new URL(stores.env.REDIS_URL!);
    const redisProxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
    redis.port = String(redisProxy.port);
    const api = await startApi(configWith({ REDIS_URL: redis.toString() }), { logger: false });
    const opened = await stores.openStores();
    try {
      const { key } = await createKeyUseCases({ keys: opened.keys }).createKey('sse-redis-away');
      const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
      const composition = { output: { format: 'mp4', width: 160, height: 90, fps: 10 }, tracks: [{ clips: [{ asset: { type: 'color', color: '#123456' }, start: 0, length: 1 }] }] };
      const submitted = await fetch(`${api.url}/v1/renders`, { method: 'POST', headers, body: JSON.stringify({ composition }) });
      assert.equal(submitted.status, 202);
      const { id } = await submitted.json() as { id: string };

      redisProxy.cut();
      const t0 = Date.now();
      const res = await fetch(`${api.url}/v1/renders/${id}/events`, { headers, signal: AbortSignal.timeout(20_000) });
      assert.equal(res.status, 200);
      const reader = res.body!.getReader();
      let text = '';
      const readUntil = async (re: RegExp) => {
        while (!re.test(text)) {
          const { value, done } = await reader.read();
          if (done) break;
          text += Buffer.from(value).toString();
        }
      };
      await readUntil(/event: status\ndata: .*"queued"/);
      assert.ok(Date.now() - t0 < 5_000, `the first event took ${Date.now() - t0} ms`);
      // A cancel while Redis is away: the row is the truth (workers poll it), so the cancel is done
      // once it is written there; the status event it cannot publish is not the client's problem.
      const t1 = Date.now();
      const canceled = await fetch(`${api.url}/v1/renders/${id}/cancel`, { method: 'POST', headers: { authorization: headers.authorization }, signal: AbortSignal.timeout(20_000) });
      const body = await canceled.json() as { status?: string; code?: string };
      assert.deepEqual([canceled.status, body.status ?? body.code], [200, 'canceled']);
      assert.ok(Date.now() - t1 < 5_000, `the cancel took ${Date.now() - t1} ms`);
      // The stream learns the end from the row.
      await readUntil(/event: final\ndata: .*"canceled"/);
      assert.match(text, /event: final/);
      await reader.cancel();
    } finally {
      redisProxy.restore();
      await opened.close();
      await api.stop();
      await redisProxy.close();
    }
  });
});
