import type { IdempotencyStore } from '../ports/idempotency-store.ts';

const HOUR = 3600_000;

/**
 * Forgets Idempotency-Key records older than 24 h (API.md), once an hour. Several API processes
 * may run it at once: deleting what is old is idempotent. Returns the stop function.
 */
export function startIdempotencyPurge(store: Pick<IdempotencyStore, 'purgeBefore'>, log: { warn(obj: object, msg: string): void }): () => void {
  const timer = setInterval(() => {
    store.purgeBefore(new Date(Date.now() - 24 * HOUR).toISOString()).catch((err) => log.warn({ err }, 'idempotency purge failed'));
  }, HOUR);
  timer.unref();
  return () => clearInterval(timer);
}
