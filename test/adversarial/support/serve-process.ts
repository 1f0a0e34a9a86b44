/**
 * Test support: a real `bin/montage serve` as a child process (the cluster harness's
 * montage-process.ts with role `serve`) on a fixed loopback port and a temp data dir that outlives
 * restarts, with a tenant key made by `montage keys create`, a webhook receiver it may reach, and a
 * client. A child rather than startTestService in this process: the load tests measure its memory
 * apart from the load generator's, and the chaos tests kill -9 it.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MontageClient } from '../../../src/http/montage-client.ts';
import { freePort } from '../../cluster/support/free-port.ts';
import { createMontageProcess, MONTAGE_BIN, REPO_ROOT, type MontageProcess } from '../../cluster/support/montage-process.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../cluster/support/webhook-receiver.ts';

export interface ServeProcess {
  readonly proc: MontageProcess;
  readonly url: string;
  readonly dataDir: string;
  readonly key: string;
  readonly webhookSecret: string;
  readonly webhooks: WebhookReceiver;
  readonly client: MontageClient;
  /** Kills it if it runs, closes the receiver, removes the data dir. */
  stop(): Promise<void>;
}

const execFileAsync = promisify(execFile);

export async function startServeProcess(o: { readonly env?: Readonly<Record<string, string>>; readonly allowHosts?: readonly string[] } = {}): Promise<ServeProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'montage-serve-proc-'));
  const dataDir = join(dir, 'data');
  const logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const webhooks = await startWebhookReceiver();
  try {
    const base: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? dir, MONTAGE_DATA_DIR: dataDir,
      ...(process.env.MONTAGE_FFMPEG ? { MONTAGE_FFMPEG: process.env.MONTAGE_FFMPEG } : {}),
      ...(process.env.MONTAGE_FFPROBE ? { MONTAGE_FFPROBE: process.env.MONTAGE_FFPROBE } : {}),
    };
    const created = JSON.parse((await execFileAsync(process.execPath, [MONTAGE_BIN, 'keys', 'create', '--tenant', 'load', '--json'], { cwd: REPO_ROOT, env: base })).stdout) as
      { key: string; webhookSecret: string };
    const port = await freePort();
    const proc = createMontageProcess({
      role: 'serve', name: 'serve', port, logDir,
      env: {
        ...base, MONTAGE_HOST: '127.0.0.1', MONTAGE_RATE_LIMIT: '0', MONTAGE_FFMPEG_THREADS: '1', MONTAGE_WEBHOOK_RETRY_BASE: '200ms',
        MONTAGE_SHUTDOWN_GRACE: '5s', MONTAGE_ALLOW_HOSTS: [webhooks.hostPort, ...(o.allowHosts ?? [])].join(','), ...o.env,
      },
    });
    await proc.start();
    let stopped = false;
    return {
      proc, url: proc.url, dataDir, key: created.key, webhookSecret: created.webhookSecret, webhooks,
      client: new MontageClient({ baseUrl: proc.url, apiKey: created.key }),
      async stop() {
        if (stopped) return;
        stopped = true;
        await proc.dispose();
        await webhooks.close();
        if (process.env.MONTAGE_KEEP_CLUSTER === '1') console.error(`serve files kept in ${dir}`);
        else rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await webhooks.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
