/**
 * The WebhookOutbox port: webhook deliveries persisted with their retry schedule, so retries
 * survive a restart (transactional-outbox style: the final status and the delivery are written by
 * the same party, the one that won the move to a final status). Conventions: see render-store.ts;
 * scheduling times here are epoch milliseconds because the dispatcher does arithmetic on them.
 */

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'stopped';

export interface WebhookDelivery {
  /** The Standard Webhooks `webhook-id` (`msg_…`): the same on every try. */
  readonly id: string;
  readonly tenant: string;
  readonly renderId: string;
  readonly url: string;
  /** `render.succeeded` | `render.failed` | `render.canceled`. */
  readonly eventType: string;
  /** The exact JSON body, fixed at enqueue time so every try sends identical bytes. */
  readonly payload: string;
  /** Tries made so far. */
  readonly attempts: number;
  /** Epoch ms before which no try is made. */
  readonly nextAttemptAt: number;
  readonly status: DeliveryStatus;
  readonly lastError: string | null;
  /** HTTP status of the last response, if any. */
  readonly lastStatus: number | null;
  readonly createdAt: string;
}

export interface NewDelivery {
  readonly id: string;
  readonly tenant: string;
  readonly renderId: string;
  readonly url: string;
  readonly eventType: string;
  readonly payload: string;
  /** Epoch ms; defaults to now. */
  readonly nextAttemptAt?: number;
}

export interface WebhookOutbox {
  /** Inserts a pending delivery. Idempotent on `id`: a second enqueue of the same id is ignored. */
  enqueue(d: NewDelivery): Promise<void>;
  /**
   * Leases up to `limit` pending deliveries due at `now` (epoch ms) for `leaseMs`: no other caller
   * gets them until the lease ends. A dispatcher that dies mid-try loses only its lease; the
   * delivery becomes due again at `now + leaseMs`. Oldest due first.
   */
  claimDue(now: number, limit: number, leaseMs: number): Promise<readonly WebhookDelivery[]>;
  /** Records a 2xx: final. */
  markDelivered(id: string, httpStatus: number): Promise<void>;
  /** Records a failed try (attempts + 1) and when to try again. */
  reschedule(id: string, nextAttemptAt: number, error: string, httpStatus: number | null): Promise<void>;
  /** Gives up: `failed` after the last try, `stopped` when the receiver answered 410 Gone. */
  finish(id: string, status: 'failed' | 'stopped', error: string, httpStatus: number | null): Promise<void>;
  get(id: string): Promise<WebhookDelivery | null>;
  /** Deliveries of one render, oldest first (for tests and support). */
  listForRender(tenant: string, renderId: string): Promise<readonly WebhookDelivery[]>;
}
