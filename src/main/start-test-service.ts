/**
 * Test support: a real Montage service on an ephemeral loopback port, in either mode:
 *
 * - `embedded` (default): `montage serve` (startServe) on a fresh temp data dir;
 * - `scale-out`: `montage api` (startApi) plus, unless MONTAGE_WORKER_CONCURRENCY=0, one
 *   `montage worker` (startWorker), in this process, on a fresh PostgreSQL database, a Redis key
 *   prefix of their own and an s3rver bucket (test/… never share state between runs).
 *
 * MONTAGE_TEST_MODE=scale-out makes scale-out the default, so any suite built on this can run
 * against both. API keys are made through the real key use case; every log line is kept so tests
 * can assert on them. Nothing is faked; `stop()` drains like SIGTERM and removes what it made.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type Config, type ConfigVariable } from '../config/load-config.ts';
import { createKeyUseCases, type CreatedKey } from '../jobs/manage-keys.ts';
import type { OpenedStores } from './test-service-stores.ts';
import type { RenderEngine } from '../ports/render-engine.ts';
import { MontageClient } from '../http/montage-client.ts';
import { startServe, type RunningServe, type ServeOptions } from './serve.ts';

export type TestMode = 'embedded' | 'scale-out';

export interface TestService {
  readonly mode: TestMode;
  /** The process answering HTTP: serve, or the api in scale-out mode. */
  readonly serve: RunningServe;
  /** The scale-out worker, when one runs. */
  readonly worker?: RunningServe;
  readonly url: string;
  readonly dataDir: string;
  readonly config: Config;
  /** Every log line so far, parsed. */
  readonly logs: Record<string, unknown>[];
  /** Every log line so far, as written. */
  readonly rawLogs: string[];
  /** A new key (and tenant on first use) and a client using it. */
  createKey(tenant: string): Promise<CreatedKey & { readonly client: MontageClient }>;
  /** The service's own stores, for tests that set up a state no route can make. */
  openStores(): Promise<OpenedStores>;
  stop(): Promise<void>;
}

export const defaultTestMode = (): TestMode => (process.env.MONTAGE_TEST_MODE === 'scale-out' ? 'scale-out' : 'embedded');

export async function startTestService(opts: {
  readonly engine: RenderEngine;
  readonly env?: Partial<Record<ConfigVariable, string>>;
  readonly webhookPollMs?: number;
  readonly traceExporter?: ServeOptions['traceExporter'];
  readonly mode?: TestMode;
}): Promise<TestService> {
  const mode = opts.mode ?? defaultTestMode();
  const dataDir = mkdtempSync(join(tmpdir(), `montage-${mode}-`));
  const cleanups: Array<() => Promise<unknown>> = [async () => rmSync(dataDir, { recursive: true, force: true })];
  const rawLogs: string[] = [];
  const logs: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        rawLogs.push(line);
        try { logs.push(JSON.parse(line) as Record<string, unknown>); } catch { /* kept raw */ }
      }
      cb();
    },
  });
  const logger = { level: 'debug', stream };
  const base = { MONTAGE_DATA_DIR: dataDir, MONTAGE_PORT: '0', MONTAGE_HOST: '127.0.0.1', MONTAGE_SHUTDOWN_GRACE: '5s' };
  const cleanUp = async () => { for (const c of cleanups.reverse()) await c().catch(() => {}); };

  try {
    if (mode === 'embedded') {
      const config = loadConfig({ ...base, ...opts.env });
      const serve = await startServe(config, { engine: opts.engine, logger, webhookPollMs: opts.webhookPollMs ?? 200, traceExporter: opts.traceExporter });
      const { openEmbeddedStores } = await import('./test-service-stores.ts');
      return handle(mode, serve, undefined, config, () => openEmbeddedStores(config));
    }
    const { startScaleOutStores } = await import('./test-service-stores.ts');
    const shared = await startScaleOutStores();
    cleanups.push(shared.close);
    const config = loadConfig({ ...base, ...shared.env, ...opts.env });
    const { startApi } = await import('./api.ts');
    const api = await startApi(config, { engine: opts.engine, logger, traceExporter: opts.traceExporter });
    let worker: RunningServe | undefined;
    if (config.workerConcurrency > 0) {
      const { startWorker } = await import('./worker.ts');
      worker = await startWorker(config, { engine: opts.engine, logger, webhookPollMs: opts.webhookPollMs ?? 200, traceExporter: opts.traceExporter })
        .catch(async (e: unknown) => { await api.stop(); throw e; });
    }
    return handle(mode, api, worker, config, () => shared.openStores());
  } catch (e) {
    await cleanUp();
    throw e;
  }

  function handle(m: TestMode, serve: RunningServe, worker: RunningServe | undefined, config: Config,
    openStores: TestService['openStores']): TestService {
    let stopped = false;
    return {
      mode: m, serve, worker, url: serve.url, dataDir, config, logs, rawLogs, openStores,
      async createKey(tenant) {
        const s = await openStores();
        try {
          const k = await createKeyUseCases({ keys: s.keys }).createKey(tenant);
          return { ...k, client: new MontageClient({ baseUrl: serve.url, apiKey: k.key }) };
        } finally {
          await s.close();
        }
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        await worker?.stop();
        await serve.stop();
        await cleanUp();
      },
    };
  }
}
