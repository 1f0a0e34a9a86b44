/**
 * WebhookOutbox on the embedded SQLite database. See src/ports/webhook-outbox.ts.
 * A claim is a lease made by pushing `next_attempt_at` forward by `leaseMs` in the same UPDATE that
 * selects the rows: a dispatcher that dies mid-try leaves the delivery due again after the lease,
 * and no second dispatcher can pick it up meanwhile.
 */
import type { DeliveryStatus, NewDelivery, WebhookDelivery, WebhookOutbox } from '../ports/webhook-outbox.ts';
import type { SqliteDb } from './sqlite-database.ts';

/** Inserts a pending delivery (also inside the render store's final-move transaction). */
export function insertSqliteDelivery(db: SqliteDb, d: NewDelivery, nowMs: number): void {
  const at = new Date(nowMs).toISOString();
  db.prepare(`INSERT INTO webhook_deliveries (id, tenant, render_id, url, event_type, payload, attempts, next_attempt_at,
      status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, 'pending', ?, ?) ON CONFLICT (id) DO NOTHING`)
    .run(d.id, d.tenant, d.renderId, d.url, d.eventType, d.payload, d.nextAttemptAt ?? nowMs, at, at);
}

interface Row {
  id: string; tenant: string; render_id: string; url: string; event_type: string; payload: string;
  attempts: number; next_attempt_at: number; status: string; last_error: string | null; last_status: number | null;
  created_at: string;
}

const COLUMNS = 'id, tenant, render_id, url, event_type, payload, attempts, next_attempt_at, status, last_error, last_status, created_at';

const toDelivery = (r: Row): WebhookDelivery => ({
  id: r.id, tenant: r.tenant, renderId: r.render_id, url: r.url, eventType: r.event_type, payload: r.payload,
  attempts: r.attempts, nextAttemptAt: r.next_attempt_at, status: r.status as DeliveryStatus,
  lastError: r.last_error, lastStatus: r.last_status, createdAt: r.created_at,
});

export function createSqliteWebhookOutbox(db: SqliteDb, opts: { readonly clock?: () => number } = {}): WebhookOutbox {
  const clock = opts.clock ?? Date.now;
  const iso = (): string => new Date(clock()).toISOString();
  return {
    async enqueue(d) {
      insertSqliteDelivery(db, d, clock());
    },
    async claimDue(now, limit, leaseMs) {
      const rows = db.prepare(`UPDATE webhook_deliveries SET next_attempt_at = ?, updated_at = ?
        WHERE id IN (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?
                     ORDER BY next_attempt_at, created_at LIMIT ?)
        RETURNING ${COLUMNS}`).all(now + leaseMs, iso(), now, Math.max(1, Math.trunc(limit))) as Row[];
      return rows.map(toDelivery).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    async markDelivered(id, httpStatus) {
      db.prepare(`UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status = ?, last_error = NULL,
        updated_at = ? WHERE id = ? AND status = 'pending'`).run(httpStatus, iso(), id);
    },
    async reschedule(id, nextAttemptAt, error, httpStatus) {
      db.prepare(`UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, last_status = ?,
        updated_at = ? WHERE id = ? AND status = 'pending'`).run(nextAttemptAt, error, httpStatus, iso(), id);
    },
    async finish(id, status, error, httpStatus) {
      db.prepare(`UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, last_error = ?, last_status = ?,
        updated_at = ? WHERE id = ? AND status = 'pending'`).run(status, error, httpStatus, iso(), id);
    },
    async get(id) {
      const r = db.prepare(`SELECT ${COLUMNS} FROM webhook_deliveries WHERE id = ?`).get(id) as Row | undefined;
      return r ? toDelivery(r) : null;
    },
    async listForRender(tenant, renderId) {
      const rows = db.prepare(`SELECT ${COLUMNS} FROM webhook_deliveries WHERE tenant = ? AND render_id = ? ORDER BY created_at, id`)
        .all(tenant, renderId) as Row[];
      return rows.map(toDelivery);
    },
  };
}
