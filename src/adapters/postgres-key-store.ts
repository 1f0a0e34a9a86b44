/** KeyStore (tenants and API keys) on PostgreSQL. See src/ports/key-store.ts. */
import { MontageError } from '../errors/registry.ts';
import type { ApiKeyRecord, KeyStore, TenantRecord } from '../ports/key-store.ts';
import { isConstraintViolation, iso, type PgPool } from './postgres-database.ts';

interface TenantRow { id: string; name: string; webhook_secret: string; created_at: Date }
interface KeyRow { id: string; tenant: string; hash: string; created_at: Date; revoked_at: Date | null }

const toTenant = (r: TenantRow): TenantRecord => ({ id: r.id, name: r.name, webhookSecret: r.webhook_secret, createdAt: iso(r.created_at)! });
const toKey = (r: KeyRow): ApiKeyRecord => ({ id: r.id, tenant: r.tenant, hash: r.hash, createdAt: iso(r.created_at)!, revokedAt: iso(r.revoked_at) });

const TENANT = 'id, name, webhook_secret, created_at';
const KEY = 'id, tenant, hash, created_at, revoked_at';

export function createPostgresKeyStore(pool: PgPool, opts: { readonly clock?: () => number } = {}): KeyStore {
  const now = (): string => new Date((opts.clock ?? Date.now)()).toISOString();
  const tenantWhere = async (where: string, v: string) => {
    const r = (await pool.query<TenantRow>(`SELECT ${TENANT} FROM tenants WHERE ${where} = $1`, [v])).rows[0];
    return r ? toTenant(r) : null;
  };
  return {
    async ensureTenant(c) {
      // Two concurrent callers: one inserts, the other's insert waits on the unique name and does nothing.
      await pool.query(`INSERT INTO tenants (${TENANT}) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING`,
        [c.id, c.name, c.webhookSecret, now()]);
      return (await tenantWhere('name', c.name))!;
    },
    getTenant: (id) => tenantWhere('id', id),
    findTenantByName: (name) => tenantWhere('name', name),
    async createKey(k) {
      try {
        const r = await pool.query<KeyRow>(`INSERT INTO api_keys (id, tenant, hash, created_at) VALUES ($1, $2, $3, $4) RETURNING ${KEY}`,
          [k.id, k.tenant, k.hash, k.createdAt ?? now()]);
        return toKey(r.rows[0]!);
      } catch (e) {
        if (isConstraintViolation(e)) throw new MontageError('MONTAGE_E_CONFLICT', 'That API key id or hash already exists, or the tenant does not.', { cause: e });
        throw e;
      }
    },
    async findActiveKeyByHash(hash) {
      const r = (await pool.query<KeyRow & { t_name: string; t_secret: string; t_created: Date }>(`SELECT k.id, k.tenant, k.hash,
          k.created_at, k.revoked_at, t.name AS t_name, t.webhook_secret AS t_secret, t.created_at AS t_created
        FROM api_keys k JOIN tenants t ON t.id = k.tenant WHERE k.hash = $1 AND k.revoked_at IS NULL`, [hash])).rows[0];
      if (!r) return null;
      return { key: toKey(r), tenant: { id: r.tenant, name: r.t_name, webhookSecret: r.t_secret, createdAt: iso(r.t_created)! } };
    },
    async listKeys(tenant) {
      const r = tenant === undefined
        ? await pool.query<KeyRow>(`SELECT ${KEY} FROM api_keys ORDER BY created_at, id`)
        : await pool.query<KeyRow>(`SELECT ${KEY} FROM api_keys WHERE tenant = $1 ORDER BY created_at, id`, [tenant]);
      return r.rows.map(toKey);
    },
    async revokeKey(id) {
      // coalesce keeps the first revocation time: revoking twice changes nothing.
      const r = (await pool.query<KeyRow>(`UPDATE api_keys SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2 RETURNING ${KEY}`,
        [now(), id])).rows[0];
      return r ? toKey(r) : null;
    },
  };
}
