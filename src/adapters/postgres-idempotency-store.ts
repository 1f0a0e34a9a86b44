/** IdempotencyStore on PostgreSQL. See src/ports/idempotency-store.ts. */
import type { BeginResult, IdempotencyRecord, IdempotencyStore } from '../ports/idempotency-store.ts';
import { iso, type PgPool } from './postgres-database.ts';

interface Row { tenant: string; key: string; body_hash: string; state: string; response: IdempotencyRecord['response']; created_at: Date }

const toRecord = (r: Row): IdempotencyRecord => ({
  tenant: r.tenant, key: r.key, bodyHash: r.body_hash, state: r.state as IdempotencyRecord['state'],
  response: r.response, createdAt: iso(r.created_at)!,
});

export function createPostgresIdempotencyStore(pool: PgPool, opts: { readonly clock?: () => number } = {}): IdempotencyStore {
  const now = (): string => new Date((opts.clock ?? Date.now)()).toISOString();
  return {
    async begin(tenant, key, bodyHash, notBefore): Promise<BeginResult> {
      // Insert-or-conflict in one statement: concurrent callers queue on the unique index and only
      // the first inserts; a row older than the window is overwritten, a live one is kept.
      const claimed = await pool.query(`INSERT INTO idempotency_keys (tenant, key, body_hash, state, response, created_at)
        VALUES ($1, $2, $3, 'pending', NULL, $4)
        ON CONFLICT (tenant, key) DO UPDATE SET body_hash = excluded.body_hash, state = 'pending', response = NULL,
          created_at = excluded.created_at
        WHERE idempotency_keys.created_at < $5`, [tenant, key, bodyHash, now(), notBefore]);
      if ((claimed.rowCount ?? 0) > 0) return { kind: 'started' };
      const row = (await pool.query<Row>('SELECT tenant, key, body_hash, state, response, created_at FROM idempotency_keys WHERE tenant = $1 AND key = $2', [tenant, key])).rows[0];
      // The row vanished between the two statements (abandoned): try again.
      if (!row) return this.begin(tenant, key, bodyHash, notBefore);
      return { kind: 'existing', record: toRecord(row) };
    },
    async complete(tenant, key, response) {
      await pool.query(`UPDATE idempotency_keys SET state = 'completed', response = $1 WHERE tenant = $2 AND key = $3 AND state = 'pending'`,
        [JSON.stringify(response), tenant, key]);
    },
    async abandon(tenant, key) {
      await pool.query(`DELETE FROM idempotency_keys WHERE tenant = $1 AND key = $2 AND state = 'pending'`, [tenant, key]);
    },
    async purgeBefore(before) {
      return (await pool.query('DELETE FROM idempotency_keys WHERE created_at < $1', [before])).rowCount ?? 0;
    },
  };
}
