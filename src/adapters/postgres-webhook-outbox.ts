/**
 * WebhookOutbox on PostgreSQL. See src/ports/webhook-outbox.ts.
 * A claim leases rows by pushing `next_attempt_at` forward by `leaseMs` in the UPDATE that picks
 * them; `FOR UPDATE SKIP LOCKED` lets concurrent dispatchers (several api/worker processes) each
 * take different rows instead of waiting on each other or taking the same ones.
 */
import type { DeliveryStatus, NewDelivery, WebhookDelivery, WebhookOutbox } from '../ports/webhook-outbox.ts';
import { iso, type PgPool, type PgQueryable } from './postgres-database.ts';

/** Inserts a pending delivery on `q` (the pool, or a transaction's client: the render store's final move). */
export async function insertPostgresDelivery(q: PgQueryable, d: NewDelivery, nowMs: number): Promise<void> {
  await q.query(`INSERT INTO webhook_deliveries (id, tenant, render_id, url, event_type, payload, attempts, next_attempt_at,
      status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, 'pending', $8, $8) ON CONFLICT (id) DO NOTHING`,
    [d.id, d.tenant, d.renderId, d.url, d.eventType, d.payload, d.nextAttemptAt ?? nowMs, new Date(nowMs).toISOString()]);
}

interface Row {
  id: string; tenant: string; render_id: string; url: string; event_type: string; payload: string;
  attempts: number; next_attempt_at: string; status: string; last_error: string | null; last_status: number | null;
  created_at: Date;
}

const COLUMNS = 'id, tenant, render_id, url, event_type, payload, attempts, next_attempt_at, status, last_error, last_status, created_at';

const toDelivery = (r: Row): WebhookDelivery => ({
  id: r.id, tenant: r.tenant, renderId: r.render_id, url: r.url, eventType: r.event_type, payload: r.payload,
  attempts: r.attempts, nextAttemptAt: Number(r.next_attempt_at), status: r.status as DeliveryStatus,
  lastError: r.last_error, lastStatus: r.last_status, createdAt: iso(r.created_at)!,
});

export function createPostgresWebhookOutbox(pool: PgPool, opts: { readonly clock?: () => number } = {}): WebhookOutbox {
  const clock = opts.clock ?? Date.now;
  const now = (): string => new Date(clock()).toISOString();
  return {
    async enqueue(d) {
      await insertPostgresDelivery(pool, d, clock());
    },
    async claimDue(at, limit, leaseMs) {
      const r = await pool.query<Row>(`UPDATE webhook_deliveries SET next_attempt_at = $1, updated_at = $2
        WHERE id IN (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $3
                     ORDER BY next_attempt_at, created_at LIMIT $4 FOR UPDATE SKIP LOCKED)
        RETURNING ${COLUMNS}`, [at + leaseMs, now(), at, Math.max(1, Math.trunc(limit))]);
      return r.rows.map(toDelivery).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    async markDelivered(id, httpStatus) {
      await pool.query(`UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status = $1, last_error = NULL,
        updated_at = $2 WHERE id = $3 AND status = 'pending'`, [httpStatus, now(), id]);
    },
    async reschedule(id, nextAttemptAt, error, httpStatus) {
      await pool.query(`UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2, last_status = $3,
        updated_at = $4 WHERE id = $5 AND status = 'pending'`, [nextAttemptAt, error, httpStatus, now(), id]);
    },
    async finish(id, status, error, httpStatus) {
      await pool.query(`UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, last_error = $2, last_status = $3,
        updated_at = $4 WHERE id = $5 AND status = 'pending'`, [status, error, httpStatus, now(), id]);
    },
    async get(id) {
      const r = (await pool.query<Row>(`SELECT ${COLUMNS} FROM webhook_deliveries WHERE id = $1`, [id])).rows[0];
      return r ? toDelivery(r) : null;
    },
    async listForRender(tenant, renderId) {
      const r = await pool.query<Row>(`SELECT ${COLUMNS} FROM webhook_deliveries WHERE tenant = $1 AND render_id = $2 ORDER BY created_at, id`,
        [tenant, renderId]);
      return r.rows.map(toDelivery);
    },
  };
}
