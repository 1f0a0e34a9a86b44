/**
 * Test support: the real `montage serve` (startServe) on an ephemeral loopback port with a fresh
 * temp data dir, API keys made through the real key use case, and every log line kept so tests
 * can assert on them. Nothing is faked; `stop()` drains like SIGTERM and removes the dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type ConfigVariable } from '../config/load-config.ts';
import { createSqliteKeyStore } from '../adapters/sqlite-key-store.ts';
import { openConfiguredSqlite } from '../cli/keys-command.ts';
import { createKeyUseCases, type CreatedKey } from '../jobs/manage-keys.ts';
import type { RenderEngine } from '../ports/render-engine.ts';
import { MontageClient } from '../http/montage-client.ts';
import { startServe, type RunningServe, type ServeOptions } from './serve.ts';

export interface TestService {
  readonly serve: RunningServe;
  readonly url: string;
  readonly dataDir: string;
  /** Every log line so far, parsed. */
  readonly logs: Record<string, unknown>[];
  /** Every log line so far, as written. */
  readonly rawLogs: string[];
  /** A new key (and tenant on first use) and a client using it. */
  createKey(tenant: string): Promise<CreatedKey & { readonly client: MontageClient }>;
  stop(): Promise<void>;
}

export async function startTestService(opts: {
  readonly engine: RenderEngine;
  readonly env?: Partial<Record<ConfigVariable, string>>;
  readonly webhookPollMs?: number;
  readonly traceExporter?: ServeOptions['traceExporter'];
}): Promise<TestService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'montage-serve-'));
  const config = loadConfig({
    MONTAGE_DATA_DIR: dataDir, MONTAGE_PORT: '0', MONTAGE_HOST: '127.0.0.1', MONTAGE_SHUTDOWN_GRACE: '5s', ...opts.env,
  });
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
  const serve = await startServe(config, { engine: opts.engine, logger: { level: 'debug', stream }, webhookPollMs: opts.webhookPollMs ?? 200, traceExporter: opts.traceExporter });
  let stopped = false;
  return {
    serve, url: serve.url, dataDir, logs, rawLogs,
    async createKey(tenant) {
      const db = openConfiguredSqlite(config);
      try {
        const k = await createKeyUseCases({ keys: createSqliteKeyStore(db) }).createKey(tenant);
        return { ...k, client: new MontageClient({ baseUrl: serve.url, apiKey: k.key }) };
      } finally {
        db.close();
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await serve.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
