/**
 * Delivers webhooks from the outbox: signed per Standard Webhooks (the `standardwebhooks`
 * package) with the tenant's secret, the same `webhook-id` on every try, retried with exponential
 * backoff and jitter. The schedule lives in the outbox, so retries survive a restart and several
 * instances can dispatch without sending one delivery twice at once (claims are leases).
 *
 * Outcomes: 2xx → delivered; 410 Gone → stopped (the receiver asked us to); any other answer or a
 * network error → retried until `maxAttempts`, then failed; a refused address → failed at once
 * (it will not become allowed by waiting).
 */
import { Webhook } from 'standardwebhooks';
import { describeUrl } from '../assets/fetchable-url.ts';
import { isMontageError } from '../errors/registry.ts';
import type { KeyStore } from '../ports/key-store.ts';
import type { WebhookPoster } from '../ports/remote-fetcher.ts';
import type { WebhookDelivery, WebhookOutbox } from '../ports/webhook-outbox.ts';

export interface WebhookDispatcherOptions {
  readonly outbox: WebhookOutbox;
  readonly keys: Pick<KeyStore, 'getTenant'>;
  readonly poster: WebhookPoster;
  /** Tries before giving up (default 12: about a day with the default delays). */
  readonly maxAttempts?: number;
  /** Delay after the first failed try, ms (default 10 s); doubles each try. */
  readonly baseDelayMs?: number;
  /** Ceiling of one delay, ms (default 6 h). */
  readonly maxDelayMs?: number;
  /** Per request, ms (default 15 s). */
  readonly timeoutMs?: number;
  /** Deliveries per claim (default 20). */
  readonly batch?: number;
  readonly clock?: () => number;
  /** 0–1; injectable so tests can pin the jitter. */
  readonly random?: () => number;
  /** Told about every failed try (the roots log it at warn). Carries no secret and no query string. */
  readonly onFailedAttempt?: (f: FailedWebhookAttempt) => void;
}

/** One failed delivery try, safe to log: the URL without its query, never the signing secret. */
export interface FailedWebhookAttempt {
  readonly deliveryId: string;
  readonly renderId: string;
  readonly tenant: string;
  readonly event: string;
  /** Scheme, host and path only. */
  readonly url: string;
  /** 1 for the first try. */
  readonly attempt: number;
  readonly statusCode: number | null;
  readonly error: string;
  /** ISO time of the next try, or null when the delivery was given up. */
  readonly nextAttemptAt: string | null;
}

/** Exponential backoff with equal jitter: between half and all of base·2^(attempt−1), capped. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const full = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(full / 2 + (random() * full) / 2);
}

export function createWebhookDispatcher(o: WebhookDispatcherOptions) {
  const clock = o.clock ?? Date.now;
  const random = o.random ?? Math.random;
  const maxAttempts = o.maxAttempts ?? 12;
  const base = o.baseDelayMs ?? 10_000;
  const maxDelay = o.maxDelayMs ?? 6 * 3600_000;
  const timeoutMs = o.timeoutMs ?? 15_000;

  const deliver = async (d: WebhookDelivery): Promise<void> => {
    const tenant = await o.keys.getTenant(d.tenant);
    if (!tenant) { await o.outbox.finish(d.id, 'failed', 'The tenant no longer exists.', null); return; }
    const at = new Date(clock());
    const headers = {
      'webhook-id': d.id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(tenant.webhookSecret).sign(d.id, at, d.payload),
      'user-agent': 'Montage-Webhooks/1',
    };
    const attempt = d.attempts + 1;
    let status: number | null = null;
    let error: string;
    try {
      status = (await o.poster.post(d.url, headers, d.payload, { timeoutMs })).status;
      if (status >= 200 && status < 300) { await o.outbox.markDelivered(d.id, status); return; }
      if (status === 410) { await o.outbox.finish(d.id, 'stopped', 'The receiver answered 410 Gone.', status); return; }
      error = `The receiver answered ${status}.`;
    } catch (e) {
      if (isMontageError(e) && e.code === 'MONTAGE_E_FETCH_FORBIDDEN') {
        await o.outbox.finish(d.id, 'failed', e.message, null);
        report(d, attempt, null, e.message, null);
        return;
      }
      error = e instanceof Error ? e.message : String(e);
    }
    const next = attempt >= maxAttempts ? null : clock() + retryDelayMs(attempt, base, maxDelay, random);
    if (next === null) await o.outbox.finish(d.id, 'failed', error, status);
    else await o.outbox.reschedule(d.id, next, error, status);
    report(d, attempt, status, error, next);
  };

  const report = (d: WebhookDelivery, attempt: number, statusCode: number | null, error: string, next: number | null) => {
    let url = d.url;
    try { url = describeUrl(new URL(d.url)); } catch { /* kept as given: it was checked at submit */ }
    o.onFailedAttempt?.({
      deliveryId: d.id, renderId: d.renderId, tenant: d.tenant, event: d.eventType, url, attempt, statusCode, error,
      nextAttemptAt: next === null ? null : new Date(next).toISOString(),
    });
  };

  /** One pass: claims due deliveries and tries each. Returns how many were tried. */
  const runOnce = async (): Promise<number> => {
    const due = await o.outbox.claimDue(clock(), o.batch ?? 20, timeoutMs * 2 + 5_000);
    await Promise.all(due.map((d) => deliver(d).catch(() => { /* the lease runs out and it is tried again */ })));
    return due.length;
  };

  /** Polls every `intervalMs` (default 1 s) until `stop()`, which waits for the pass in flight. */
  const start = (intervalMs = 1_000) => {
    let stopped = false;
    let current: Promise<unknown> = Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const tick = () => {
      if (stopped) return;
      current = runOnce().catch(() => 0).then((n) => {
        if (!stopped) timer = setTimeout(tick, n > 0 ? 0 : intervalMs);
      });
    };
    tick();
    return {
      async stop() {
        stopped = true;
        clearTimeout(timer);
        await current;
      },
    };
  };

  return { runOnce, start, deliver };
}

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;
