/**
 * The KEDA triggers count the keys the real queue writes. A job is enqueued through the BullMQ
 * adapter with its default queue name and prefix (what `montage api` and `montage worker` use), on
 * a Redis database of its own, and the keys of deploy/k8s/base/worker-scaledobject.yaml are counted
 * with the same Lua script KEDA's redis scaler runs (ZCARD of a sorted set, LLEN of a list).
 * The ScaledObject's formula adds them: 1 while the job waits, still 1 while a worker holds it, 0
 * once it is done.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createBullmqJobQueue, type BullmqJobQueue } from '../../src/adapters/bullmq-job-queue.ts';
import { BULLMQ_PREFIX, BULLMQ_QUEUE_NAME, bullmqKey } from '../../src/config/deploy-constants.ts';
import { K8S, readYamlDocuments } from './deploy-files.ts';

// KEDA's redis scaler (pkg/scalers/redis_scaler.go): the count of whatever type the key holds.
const KEDA_LENGTH_SCRIPT = `
  local listName = KEYS[1]
  local listType = redis.call('type', listName).ok
  local cmd = { zset = 'zcard', set = 'scard', list = 'llen', hash = 'hlen', none = 'llen' }
  return redis.call(cmd[listType], listName)`;

// A database no other test uses, so the default (shared) prefix collides with nothing.
const DB = 13;
const URL = `redis://127.0.0.1:6379/${DB}`;

const scaledObject = readYamlDocuments(join(K8S, 'base/worker-scaledobject.yaml'))[0] as any;
const triggers = scaledObject.spec.triggers as Array<{ name: string; metadata: { listName: string; databaseIndex?: string } }>;

let redis: Redis | undefined;
let skip: string | false = false;
try {
  const probe = new Redis(URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  await probe.connect();
  await probe.quit();
} catch (e) {
  skip = `no Redis at 127.0.0.1:6379 (${(e as Error).message})`;
}

const dropQueueKeys = async () => {
  const keys = await redis!.keys(`${BULLMQ_PREFIX}:${BULLMQ_QUEUE_NAME}:*`);
  if (keys.length > 0) await redis!.del(...keys);
};

const scaledCount = async (): Promise<Record<string, number>> => {
  const counts: Record<string, number> = {};
  for (const t of triggers) counts[t.name] = Number(await redis!.eval(KEDA_LENGTH_SCRIPT, 1, t.metadata.listName));
  return counts;
};
const formulaValue = (c: Record<string, number>) =>
  (scaledObject.spec.advanced.scalingModifiers.formula as string).split('+').reduce((s, name) => s + c[name.trim()]!, 0);

describe('the KEDA trigger keys are the ones the BullMQ queue writes', { skip }, () => {
  let queue: BullmqJobQueue;
  before(async () => {
    redis = new Redis(URL);
    await dropQueueKeys();
    queue = createBullmqJobQueue({ url: URL }); // the defaults, as the roles run it
  });
  after(async () => {
    await queue?.close();
    await dropQueueKeys();
    await redis?.quit();
  });

  it('names the constants of src/config/deploy-constants.ts', () => {
    assert.deepEqual(triggers.map((t) => t.metadata.listName).sort(), [bullmqKey('active'), bullmqKey('prioritized'), bullmqKey('wait')].sort());
    for (const t of triggers) assert.equal(t.metadata.databaseIndex ?? '0', '0', 'the app uses database 0 (REDIS_URL without a path)');
  });

  it('counts a queued job, keeps counting it while a worker renders it, and drops it when done', async () => {
    assert.equal(formulaValue(await scaledCount()), 0);
    for (const priority of ['high', 'normal', 'low'] as const) {
      await queue.enqueue({ kind: 'render', v: 1, renderId: `rnd_keda_${priority}`, tenant: 't' }, { priority });
    }
    const waiting = await scaledCount();
    assert.equal(formulaValue(waiting), 3, `after 3 enqueues KEDA would see ${JSON.stringify(waiting)}`);
    assert.equal(waiting.prioritized, 3, 'prioritized jobs live in the sorted set');

    const job = await queue.lease({ workerId: 'keda-test', leaseMs: 30_000 });
    assert.ok(job);
    const running = await scaledCount();
    assert.equal(running.active, 1, `a leased job is in ${bullmqKey('active')}: ${JSON.stringify(running)}`);
    assert.equal(formulaValue(running), 3, 'a running render keeps its worker');

    assert.equal(await queue.ack(job), true);
    assert.equal(formulaValue(await scaledCount()), 2);
  });
});
