import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MontageError } from '../errors/registry.ts';
import { loadConfig } from './load-config.ts';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const c = loadConfig({}, {}, '/srv/app');
    assert.equal(c.port, 8080);
    assert.equal(c.host, '0.0.0.0');
    assert.equal(c.dataDir, '/srv/app/.montage');
    assert.equal(c.paths.sqlite, '/srv/app/.montage/montage.db');
    assert.equal(c.databaseUrl, null);
    assert.equal(c.redisUrl, null);
    assert.equal(c.storage, null);
    assert.equal(c.workerConcurrency, 1);
    assert.equal(c.shutdownGraceMs, 30_000);
    assert.deepEqual(c.limits, {
      maxDurationSeconds: 600, maxLongSide: 3840, maxPixels: 3840 * 2160, maxFps: 60, maxAssets: 200,
      maxAssetBytes: 2 * 1024 ** 3, downloadStartTimeoutMs: 60_000, downloadStallTimeoutMs: 30_000, maxBodyBytes: 1024 ** 2, requestsPerMinute: 300,
    });
    assert.equal(c.ffmpegPath, 'ffmpeg');
    assert.equal(c.autoMigrate, true);
    assert.equal(c.fetchCacheBytes, 5 * 1024 ** 3);
    assert.equal(c.paths.fetchCache, '/srv/app/.montage/cache');
    assert.equal(c.webhookRetryBaseMs, 10_000);
  });

  it('reads the fetch cache size (0 turns it off) and the webhook retry base, and names bad ones', () => {
    const c = loadConfig({ MONTAGE_FETCH_CACHE_BYTES: '0', MONTAGE_WEBHOOK_RETRY_BASE: '250ms' });
    assert.deepEqual([c.fetchCacheBytes, c.webhookRetryBaseMs], [0, 250]);
    assert.equal(loadConfig({ MONTAGE_FETCH_CACHE_BYTES: '20GiB' }).fetchCacheBytes, 20 * 1024 ** 3);
    assert.deepEqual(loadConfig({}).pieceCache, { enabled: true, maxBytes: 10 * 1024 ** 3, maxAgeMs: 7 * 24 * 3600_000, pieceSeconds: 0 });
    assert.equal(loadConfig({ MONTAGE_PIECE_CACHE: 'on' }).pieceCache.enabled, true);
    assert.deepEqual(loadConfig({ MONTAGE_PIECE_CACHE: 'off', MONTAGE_PIECE_CACHE_MAX_BYTES: '0', MONTAGE_PIECE_CACHE_MAX_AGE: '12h' }).pieceCache,
      { enabled: false, maxBytes: 0, maxAgeMs: 12 * 3600_000, pieceSeconds: 0 });
    assert.throws(() => loadConfig({ MONTAGE_FETCH_CACHE_BYTES: 'lots', MONTAGE_WEBHOOK_RETRY_BASE: 'soon' }),
      (e: MontageError) => e.problems.map((p) => p.pointer).sort().join() === '/MONTAGE_FETCH_CACHE_BYTES,/MONTAGE_WEBHOOK_RETRY_BASE');
  });

  it('reads MONTAGE_RENDER_TIMEOUT: 5 min plus 20 s per second of output by default, a fixed duration, a duration plus a multiple, or off; names a bad one', () => {
    assert.deepEqual(loadConfig({}).renderTimeLimit, { baseMs: 300_000, msPerOutputSecond: 20_000, setting: 'MONTAGE_RENDER_TIMEOUT=5m+20x' });
    assert.deepEqual(loadConfig({ MONTAGE_RENDER_TIMEOUT: '45m' }).renderTimeLimit, { baseMs: 45 * 60_000, msPerOutputSecond: 0, setting: 'MONTAGE_RENDER_TIMEOUT=45m' });
    assert.deepEqual(loadConfig({ MONTAGE_RENDER_TIMEOUT: '90 + 2.5x' }).renderTimeLimit, { baseMs: 90_000, msPerOutputSecond: 2_500, setting: 'MONTAGE_RENDER_TIMEOUT=90 + 2.5x' });
    assert.equal(loadConfig({ MONTAGE_RENDER_TIMEOUT: '0' }).renderTimeLimit, null);
    assert.equal(loadConfig({ MONTAGE_RENDER_TIMEOUT: 'off' }).renderTimeLimit, null);
    for (const bad of ['soon', '5m+', '5m+x', '+20x', '5m+2000x', '-1']) {
      assert.throws(() => loadConfig({ MONTAGE_RENDER_TIMEOUT: bad }), (e: MontageError) =>
        e.problems.length === 1 && e.problems[0]!.pointer === '/MONTAGE_RENDER_TIMEOUT' && /expected a duration .*5m\+20x/.test(e.problems[0]!.detail), bad);
    }
  });

  it('reads every variable, with units, and lets flag overrides win', () => {
    const c = loadConfig({
      MONTAGE_PORT: '9000', MONTAGE_HOST: '127.0.0.1', MONTAGE_DATA_DIR: '/var/lib/montage',
      DATABASE_URL: 'postgres://u:p@db/montage', REDIS_URL: 'redis://cache:6379', MONTAGE_STORAGE: 's3://bucket/prefix',
      MONTAGE_PUBLIC_URL: 'https://video.example.com/', MONTAGE_WORKER_CONCURRENCY: '4', MONTAGE_SHUTDOWN_GRACE: '2m',
      MONTAGE_ALLOW_HOSTS: 'Media.Internal, 10.0.0.0/8,cdn.local:8080', MONTAGE_FFMPEG: '/opt/ffmpeg', MONTAGE_FFPROBE: '/opt/ffprobe',
      MONTAGE_MAX_DURATION: '120.5', MONTAGE_MAX_LONG_SIDE: '1920', MONTAGE_MAX_PIXELS: '2073600', MONTAGE_MAX_FPS: '30',
      MONTAGE_MAX_ASSETS: '10', MONTAGE_MAX_ASSET_BYTES: '512MiB', MONTAGE_DOWNLOAD_TIMEOUT: '1500ms', MONTAGE_DOWNLOAD_STALL_TIMEOUT: '5s',
      MONTAGE_MAX_BODY: '64KiB', MONTAGE_RATE_LIMIT: '60', MONTAGE_AUTO_MIGRATE: 'false',
    }, { MONTAGE_PORT: '9001' });
    assert.equal(c.port, 9001);
    assert.equal(c.dataDir, '/var/lib/montage');
    assert.equal(c.databaseUrl, 'postgres://u:p@db/montage');
    assert.equal(c.publicUrl, 'https://video.example.com');
    assert.equal(c.shutdownGraceMs, 120_000);
    assert.deepEqual(c.allowHosts.map((h) => h.toLowerCase()), ['media.internal', '10.0.0.0/8', 'cdn.local:8080']);
    assert.equal(c.limits.maxAssetBytes, 512 * 1024 ** 2);
    assert.equal(c.limits.downloadStartTimeoutMs, 1500);
    assert.equal(c.limits.downloadStallTimeoutMs, 5_000);
    assert.equal(c.limits.maxBodyBytes, 65_536);
    assert.equal(c.limits.maxDurationSeconds, 120.5);
    assert.deepEqual([c.limits.maxLongSide, c.limits.maxPixels], [1920, 2_073_600]);
    assert.equal(c.autoMigrate, false);
  });

  it('stops on the retired MONTAGE_MAX_WIDTH and MONTAGE_MAX_HEIGHT, naming what replaced them', () => {
    assert.throws(() => loadConfig({ MONTAGE_MAX_WIDTH: '1920', MONTAGE_MAX_HEIGHT: '1080' }), (e: { code: string; problems: { pointer: string; detail: string }[] }) => {
      assert.equal(e.code, 'MONTAGE_E_CONFIG_INVALID');
      assert.deepEqual(e.problems.map((p) => p.pointer), ['/MONTAGE_MAX_WIDTH', '/MONTAGE_MAX_HEIGHT']);
      for (const p of e.problems) assert.match(p.detail, /is no longer read: .*MONTAGE_MAX_LONG_SIDE and MONTAGE_MAX_PIXELS/);
      return true;
    });
  });

  it('reads the fault-injection pauses (off unless set) and names a bad point or duration', () => {
    assert.deepEqual(loadConfig({}).faultPauseMs, { upload: 0, afterUpload: 0, beforeNotify: 0 });
    assert.deepEqual(loadConfig({ MONTAGE_FAULT_PAUSE: 'upload=20s, after-upload=1500ms' }).faultPauseMs, { upload: 20_000, afterUpload: 1500, beforeNotify: 0 });
    assert.equal(loadConfig({ MONTAGE_FAULT_PAUSE: 'before-notify=2' }).faultPauseMs.beforeNotify, 2000);
    for (const bad of ['download=1s', 'upload', 'upload=soon', 'upload=2h']) {
      assert.throws(() => loadConfig({ MONTAGE_FAULT_PAUSE: bad }), (e: MontageError) => e.problems[0]?.pointer === '/MONTAGE_FAULT_PAUSE', bad);
    }
  });

  it('returns a deeply frozen object', () => {
    const c = loadConfig({});
    assert.ok(Object.isFrozen(c) && Object.isFrozen(c.limits) && Object.isFrozen(c.allowHosts));
    assert.throws(() => { (c as { port: number }).port = 1; });
  });

  it('stops with one error that names every bad variable', () => {
    let err: unknown;
    try {
      loadConfig({
        MONTAGE_PORT: 'eighty', MONTAGE_WORKER_CONCURRENCY: '-1', DATABASE_URL: 'mysql://x', REDIS_URL: 'nope',
        MONTAGE_STORAGE: 'gs://b', MONTAGE_MAX_FPS: '0', MONTAGE_MAX_ASSET_BYTES: '2 parsecs', MONTAGE_SHUTDOWN_GRACE: 'soon',
        MONTAGE_ALLOW_HOSTS: 'ok.com,bad host', MONTAGE_AUTO_MIGRATE: 'maybe', MONTAGE_PUBLIC_URL: 'ftp://x',
      });
    } catch (e) { err = e; }
    assert.ok(err instanceof MontageError);
    assert.equal(err.code, 'MONTAGE_E_CONFIG_INVALID');
    const names = err.problems.map((p) => p.pointer).sort();
    assert.deepEqual(names, [
      '/DATABASE_URL', '/MONTAGE_ALLOW_HOSTS', '/MONTAGE_AUTO_MIGRATE', '/MONTAGE_MAX_ASSET_BYTES', '/MONTAGE_MAX_FPS',
      '/MONTAGE_PORT', '/MONTAGE_PUBLIC_URL', '/MONTAGE_SHUTDOWN_GRACE', '/MONTAGE_STORAGE', '/MONTAGE_WORKER_CONCURRENCY', '/REDIS_URL',
    ]);
    for (const n of names) assert.match(err.message, new RegExp(n.slice(1)));
  });
  it('reads the S3 endpoint and region, and reports bad ones with the rest', () => {
    const c = loadConfig({ MONTAGE_STORAGE: 's3://media/montage', S3_ENDPOINT: 'http://127.0.0.1:9000/', AWS_DEFAULT_REGION: 'eu-west-1' });
    assert.equal(c.s3Endpoint, 'http://127.0.0.1:9000');
    assert.equal(c.awsRegion, 'eu-west-1');
    assert.equal(loadConfig({ AWS_REGION: 'us-east-2', AWS_DEFAULT_REGION: 'eu-west-1' }).awsRegion, 'us-east-2');
    assert.equal(loadConfig({}).s3Endpoint, null);
    let err: unknown;
    try { loadConfig({ S3_ENDPOINT: 'minio:9000', AWS_REGION: 'Europe West', MONTAGE_PORT: 'x' }); } catch (e) { err = e; }
    assert.ok(err instanceof MontageError);
    assert.deepEqual(err.problems.map((p) => p.pointer).sort(), ['/AWS_REGION', '/MONTAGE_PORT', '/S3_ENDPOINT']);
  });
});
