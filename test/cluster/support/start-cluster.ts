/**
 * The cluster harness: real `bin/montage api` and `bin/montage worker` processes behind nginx, on
 * stores of the run's own, for the cluster, load and chaos tests.
 *
 *   const c = await startCluster({ apis: 2, workers: 2 });        // throws if a prerequisite is missing;
 *   try {                                                          // clusterSkipReason() says which first
 *     const r = await c.client.createRender({ composition, webhook: { url: c.webhooks.url } });
 *     await c.workers[0].kill('SIGKILL');                          // kill -9 (with its ffmpeg children)
 *     await c.workers[0].restart();                                // same port, waits for /readyz 200
 *     await waitForRender(c.client, r.id, (x) => x.status === 'succeeded');
 *     c.webhooks.verified(c.webhookSecret);                        // signed deliveries, parsed
 *   } finally { await c.stop(); }                                  // always: kills, drops, removes
 *
 * Each run gets:
 *  - a PostgreSQL database `montage_cluster_<random>` (127.0.0.1:5432 or MONTAGE_TEST_POSTGRES_URL),
 *    migrated with `montage migrate`, dropped by stop();
 *  - Redis keys under `MONTAGE_REDIS_PREFIX=montage-cluster-<random>` on the machine's Redis
 *    (or `redisUrl`, e.g. a PrivateRedis), deleted by stop();
 *  - an s3rver bucket on a random port in this process (or `storage: 'files'`: one shared dir);
 *  - a temp dir with each process's data dir and log (`<dir>/logs/api-0.log`, …), nginx's
 *    configuration and logs, removed by stop() unless MONTAGE_KEEP_CLUSTER=1;
 *  - a tenant and its key (`montage keys create --json`), a webhook receiver whose host:port is in
 *    MONTAGE_ALLOW_HOSTS, and a MontageClient through the balancer.
 * Defaults suit tests (lease 3 s, reconciler every 1 s, webhook retries from 200 ms, no rate limit,
 * ffmpeg on 1 thread); `env` overrides any of them for every process, `envFor` per process.
 *
 * Processes: `c.apis[i]`, `c.workers[i]` (montage-process.ts): kill(SIGKILL | SIGTERM), start(),
 * restart(), running, pid, lines / records() (their JSON logs), get(path) on their own port
 * (workers serve /healthz /readyz /metrics), waitReadiness(status).
 * No process outlives the test: stop() kills what runs, and child-reaper.ts kills the rest when the
 * test process exits any other way.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MontageClient } from '../../../src/http/montage-client.ts';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from '../../../src/adapters/redis-test-keys.ts';
import { freePorts } from './free-port.ts';
import { createMontageProcess, MONTAGE_BIN, REPO_ROOT, type MontageProcess, type Role } from './montage-process.ts';
import { nginxMissing, startNginx, type NginxBalancer } from './nginx-balancer.ts';
import { startS3rverStorage, type S3rverStorage } from './s3rver-storage.ts';
import { createTempDatabase, type TempDatabase } from './temp-database.ts';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.ts';

export type { MontageProcess } from './montage-process.ts';
export type { WebhookReceiver } from './webhook-receiver.ts';

export interface ClusterOptions {
  /** `montage api` instances behind nginx (default 2). */
  readonly apis?: number;
  /** `montage worker` instances (default 2). */
  readonly workers?: number;
  /** false: the workers are created but not started (`c.workers[i].start()` later). Default true. */
  readonly startWorkers?: boolean;
  /** Environment for every process, over the harness's defaults. */
  readonly env?: Readonly<Record<string, string>>;
  /** Environment of one process, over `env`. */
  readonly envFor?: (role: Role, index: number) => Readonly<Record<string, string>> | undefined;
  /** A command prefix for one process, e.g. `['taskset', '-c', String(index)]`. */
  readonly wrapFor?: (role: Role, index: number) => readonly string[] | undefined;
  /** REDIS_URL (default: the machine's Redis, 127.0.0.1:6379 or MONTAGE_TEST_REDIS_URL). */
  readonly redisUrl?: string;
  /** 's3' (default): s3rver in this process; 'files': one directory all processes share. */
  readonly storage?: 's3' | 'files';
  /** The key's tenant (default `cluster`). */
  readonly tenant?: string;
  /** nginx worker processes (default 1). */
  readonly nginxWorkers?: number;
  /**
   * The DATABASE_URL the processes get, from the run's database URL (default: as is). A test puts a
   * proxy in between this way, to cut the processes off from PostgreSQL without stopping it.
   */
  readonly databaseUrlFor?: (url: string) => string | Promise<string>;
  /** The S3_ENDPOINT the processes get, from s3rver's (default: as is); as `databaseUrlFor`. */
  readonly s3EndpointFor?: (endpoint: string) => string | Promise<string>;
}

export interface Cluster {
  /** The balancer: `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly apis: readonly MontageProcess[];
  readonly workers: readonly MontageProcess[];
  readonly nginx: NginxBalancer;
  readonly tenant: string;
  /** The tenant's API key and webhook secret. */
  readonly key: string;
  readonly webhookSecret: string;
  /** A client through the balancer, with the key. */
  readonly client: MontageClient;
  /** A client straight to one api instance, with the key. */
  clientFor(api: MontageProcess): MontageClient;
  readonly webhooks: WebhookReceiver;
  readonly db: TempDatabase;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  /** null with `storage: 'files'`. */
  readonly s3: S3rverStorage | null;
  /** The run's temp dir (logs under `logs/`). */
  readonly dir: string;
  /** The environment every process got (before `envFor`), e.g. to run `bin/montage` commands against it. */
  readonly env: Readonly<Record<string, string>>;
  /** Runs `bin/montage ARGS` with the cluster's environment; resolves with its stdout. */
  montage(args: readonly string[], env?: Readonly<Record<string, string>>): Promise<string>;
  /** Stops everything (SIGKILL: there is nothing to drain), drops the database, deletes the keys, removes the dir. Idempotent. */
  stop(): Promise<void>;
}

const execFileAsync = promisify(execFile);

/** Why the cluster tests cannot run here (a reason for `skip`), or null. */
export function clusterSkipReason(): string | null {
  return nginxMissing();
}

/** Deletes the run's keys; gives up at once if Redis does not answer (a private one may be stopped). */
async function deleteRunKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 2_000 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length) await redis.del(...keys);
    }
  } catch { /* gone with its server */ } finally { redis.disconnect(); }
}

/** The environment a montage process gets from this machine: nothing else of the test's leaks in. */
const machineEnv = (): Record<string, string> => {
  const pick = ['PATH', 'HOME', 'LANG', 'TZ', 'MONTAGE_FFMPEG', 'MONTAGE_FFPROBE'];
  return Object.fromEntries(pick.flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])));
};

export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const skip = clusterSkipReason();
  if (skip) throw new Error(`The cluster harness cannot run: ${skip}`);
  const nApis = opts.apis ?? 2;
  const nWorkers = opts.workers ?? 2;
  const tenant = opts.tenant ?? 'cluster';
  const dir = mkdtempSync(join(tmpdir(), 'montage-cluster-'));
  const logDir = join(dir, 'logs');
  mkdirSync(logDir);
  const redisUrl = opts.redisUrl ?? TEST_REDIS_URL;
  const redisPrefix = `montage-cluster-${randomBytes(6).toString('hex')}`;

  const cleanups: Array<() => Promise<unknown>> = [];
  const processes: MontageProcess[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.allSettled(processes.map((p) => p.dispose()));
    for (const c of cleanups.reverse()) await c().catch((e) => console.error(`cluster clean-up: ${(e as Error).message}`));
    if (process.env.MONTAGE_KEEP_CLUSTER === '1') console.error(`cluster files kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  };

  try {
    const db = await createTempDatabase();
    cleanups.push(() => db.drop());
    cleanups.push(() => deleteRunKeys(redisUrl, redisPrefix));
    const webhooks = await startWebhookReceiver();
    cleanups.push(() => webhooks.close());
    let s3: S3rverStorage | null = null;
    if ((opts.storage ?? 's3') === 's3') {
      const storage = await startS3rverStorage(join(dir, 's3rver'));
      s3 = storage;
      cleanups.push(() => storage.stop());
    }

    const [lbPort, ...ports] = await freePorts(1 + nApis + nWorkers);
    const url = `http://127.0.0.1:${lbPort}`;
    const env: Record<string, string> = {
      ...machineEnv(),
      DATABASE_URL: opts.databaseUrlFor ? await opts.databaseUrlFor(db.url) : db.url,
      REDIS_URL: redisUrl,
      MONTAGE_REDIS_PREFIX: redisPrefix,
      ...(s3 ? s3.env : {}),
      ...(s3 && opts.s3EndpointFor ? { S3_ENDPOINT: await opts.s3EndpointFor(s3.endpoint) } : {}),
      MONTAGE_HOST: '127.0.0.1',
      MONTAGE_PUBLIC_URL: url,
      MONTAGE_JOB_LEASE: '3s',
      MONTAGE_RECONCILE_INTERVAL: '1s',
      MONTAGE_SHUTDOWN_GRACE: '5s',
      MONTAGE_WEBHOOK_RETRY_BASE: '200ms',
      MONTAGE_RATE_LIMIT: '0',
      MONTAGE_FFMPEG_THREADS: '1',
      MONTAGE_ALLOW_HOSTS: webhooks.hostPort,
      ...opts.env,
    };
    const montage = async (args: readonly string[], extra: Readonly<Record<string, string>> = {}) => {
      const dataDir = join(dir, 'cli');
      const r = await execFileAsync(process.execPath, [MONTAGE_BIN, ...args], {
        cwd: REPO_ROOT, env: { MONTAGE_DATA_DIR: dataDir, ...env, ...extra }, maxBuffer: 16 * 1024 * 1024,
      }).catch((e: Error & { stderr?: string }) => { throw new Error(`montage ${args.join(' ')} failed: ${e.message}\n${e.stderr ?? ''}`); });
      return r.stdout;
    };

    await montage(['migrate']);
    const created = JSON.parse(await montage(['keys', 'create', '--tenant', tenant, '--json'])) as { key: string; webhookSecret: string };

    const make = (role: Role, index: number, port: number) => {
      const name = `${role}-${index}`;
      // Files storage: MONTAGE_DATA_DIR is the volume every process shares; otherwise each has its own.
      const dataDir = s3 ? join(dir, 'data', name) : join(dir, 'shared');
      const p = createMontageProcess({
        role, name, port, logDir, wrap: opts.wrapFor?.(role, index),
        env: { MONTAGE_DATA_DIR: dataDir, ...env, ...opts.envFor?.(role, index) },
      });
      processes.push(p);
      return p;
    };
    const apis = Array.from({ length: nApis }, (_, i) => make('api', i, ports[i]!));
    const workers = Array.from({ length: nWorkers }, (_, i) => make('worker', i, ports[nApis + i]!));
    await Promise.all([...apis, ...(opts.startWorkers === false ? [] : workers)].map((p) => p.start()));

    const nginx = await startNginx({ port: lbPort!, upstreamPorts: apis.map((a) => a.port), dir: join(dir, 'nginx'), workers: opts.nginxWorkers });
    cleanups.push(() => nginx.stop());

    return {
      url, apis, workers, nginx, tenant, key: created.key, webhookSecret: created.webhookSecret,
      client: new MontageClient({ baseUrl: url, apiKey: created.key }),
      clientFor: (api) => new MontageClient({ baseUrl: api.url, apiKey: created.key }),
      webhooks, db, redisUrl, redisPrefix, s3, dir, env, montage, stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
