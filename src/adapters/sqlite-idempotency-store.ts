/** IdempotencyStore on the embedded SQLite database. See src/ports/idempotency-store.ts. */
import type { BeginResult, IdempotencyRecord, IdempotencyStore } from '../ports/idempotency-store.ts';
import type { SqliteDb } from './sqlite-database.ts';

interface Row { tenant: string; key: string; body_hash: string; state: string; response: string | null; created_at: string }

const toRecord = (r: Row): IdempotencyRecord => ({
  tenant: r.tenant,
  key: r.key,
  bodyHash: r.body_hash,
  state: r.state as IdempotencyRecord['state'],
  response: r.response === null ? null : JSON.parse(r.response) as IdempotencyRecord['response'],
  createdAt: r.created_at,
});

export function createSqliteIdempotencyStore(db: SqliteDb, opts: { readonly clock?: () => number } = {}): IdempotencyStore {
  const now = (): string => new Date((opts.clock ?? Date.now)()).toISOString();
  const select = db.prepare('SELECT tenant, key, body_hash, state, response, created_at FROM idempotency_keys WHERE tenant = ? AND key = ?');
  // Insert-or-conflict in one statement: a row older than the window is overwritten, a live one is kept.
  const claim = db.prepare(`INSERT INTO idempotency_keys (tenant, key, body_hash, state, response, created_at)
    VALUES (?, ?, ?, 'pending', NULL, ?)
    ON CONFLICT (tenant, key) DO UPDATE SET body_hash = excluded.body_hash, state = 'pending', response = NULL,
      created_at = excluded.created_at
    WHERE idempotency_keys.created_at < ?`);

  return {
    async begin(tenant, key, bodyHash, notBefore): Promise<BeginResult> {
      const r = claim.run(tenant, key, bodyHash, now(), notBefore);
      if (r.changes > 0) return { kind: 'started' };
      const row = select.get(tenant, key) as Row | undefined;
      // The row vanished between the two statements (abandoned): the caller may simply retry.
      if (!row) return this.begin(tenant, key, bodyHash, notBefore);
      return { kind: 'existing', record: toRecord(row) };
    },
    async complete(tenant, key, response) {
      db.prepare(`UPDATE idempotency_keys SET state = 'completed', response = ? WHERE tenant = ? AND key = ? AND state = 'pending'`)
        .run(JSON.stringify(response), tenant, key);
    },
    async abandon(tenant, key) {
      db.prepare(`DELETE FROM idempotency_keys WHERE tenant = ? AND key = ? AND state = 'pending'`).run(tenant, key);
    },
    async purgeBefore(before) {
      return db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?').run(before).changes;
    },
  };
}
