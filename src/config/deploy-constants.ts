/**
 * Names that live both in the code and in the deployment files (deploy/, Dockerfile,
 * docker-compose.yml): the tests under test/deploy import them from here, so a rename in one place
 * fails a test instead of silently breaking autoscaling or probes in a cluster.
 *
 * The BullMQ adapter (src/adapters/bullmq-job-queue.ts) uses the same values as its defaults;
 * test/deploy checks that, by enqueueing through the real adapter and counting the key that KEDA reads.
 */

/** BullMQ queue name of the render jobs (the adapter's default `queueName`). */
export const BULLMQ_QUEUE_NAME = 'montage-jobs';

/** Redis key prefix of the queue (the adapter's default `prefix`). */
export const BULLMQ_PREFIX = 'montage';

/**
 * The Redis keys BullMQ keeps a queue's runnable jobs in: `wait` is a list of jobs without a
 * priority, `prioritized` a sorted set of jobs with one (Montage gives every job a priority, 1–3, so
 * its waiting jobs are all there), `active` a list of the jobs that workers hold now.
 */
export const bullmqKey = (part: 'wait' | 'prioritized' | 'active', prefix = BULLMQ_PREFIX, queue = BULLMQ_QUEUE_NAME): string =>
  `${prefix}:${queue}:${part}`;

/** The HTTP routes that orchestrators probe; src/http/ops-routes.ts registers them. */
export const LIVENESS_PATH = '/healthz';
export const READINESS_PATH = '/readyz';
export const METRICS_PATH = '/metrics';
