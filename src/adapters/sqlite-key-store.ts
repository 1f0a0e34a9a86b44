/** KeyStore (tenants and API keys) on the embedded SQLite database. See src/ports/key-store.ts. */
import { MontageError } from '../errors/registry.ts';
import type { ApiKeyRecord, KeyStore, TenantRecord } from '../ports/key-store.ts';
import { isConstraintError, type SqliteDb } from './sqlite-database.ts';

interface TenantRow { id: string; name: string; webhook_secret: string; created_at: string }
interface KeyRow { id: string; tenant: string; hash: string; created_at: string; revoked_at: string | null }

const toTenant = (r: TenantRow): TenantRecord => ({ id: r.id, name: r.name, webhookSecret: r.webhook_secret, createdAt: r.created_at });
const toKey = (r: KeyRow): ApiKeyRecord => ({ id: r.id, tenant: r.tenant, hash: r.hash, createdAt: r.created_at, revokedAt: r.revoked_at });

export function createSqliteKeyStore(db: SqliteDb, opts: { readonly clock?: () => number } = {}): KeyStore {
  const now = (): string => new Date((opts.clock ?? Date.now)()).toISOString();
  const tenantById = db.prepare('SELECT id, name, webhook_secret, created_at FROM tenants WHERE id = ?');
  const tenantByName = db.prepare('SELECT id, name, webhook_secret, created_at FROM tenants WHERE name = ?');
  const keyById = db.prepare('SELECT id, tenant, hash, created_at, revoked_at FROM api_keys WHERE id = ?');
  return {
    async ensureTenant(c) {
      db.prepare('INSERT INTO tenants (id, name, webhook_secret, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING')
        .run(c.id, c.name, c.webhookSecret, now());
      return toTenant(tenantByName.get(c.name) as TenantRow);
    },
    async getTenant(id) {
      const r = tenantById.get(id) as TenantRow | undefined;
      return r ? toTenant(r) : null;
    },
    async findTenantByName(name) {
      const r = tenantByName.get(name) as TenantRow | undefined;
      return r ? toTenant(r) : null;
    },
    async createKey(k) {
      try {
        db.prepare('INSERT INTO api_keys (id, tenant, hash, created_at) VALUES (?, ?, ?, ?)').run(k.id, k.tenant, k.hash, k.createdAt ?? now());
      } catch (e) {
        if (isConstraintError(e)) throw new MontageError('MONTAGE_E_CONFLICT', 'That API key id or hash already exists, or the tenant does not.', { cause: e });
        throw e;
      }
      return toKey(keyById.get(k.id) as KeyRow);
    },
    async findActiveKeyByHash(hash) {
      const r = db.prepare(`SELECT k.id, k.tenant, k.hash, k.created_at, k.revoked_at,
          t.name AS t_name, t.webhook_secret AS t_secret, t.created_at AS t_created
        FROM api_keys k JOIN tenants t ON t.id = k.tenant WHERE k.hash = ? AND k.revoked_at IS NULL`).get(hash) as
        (KeyRow & { t_name: string; t_secret: string; t_created: string }) | undefined;
      if (!r) return null;
      return { key: toKey(r), tenant: { id: r.tenant, name: r.t_name, webhookSecret: r.t_secret, createdAt: r.t_created } };
    },
    async listKeys(tenant) {
      const rows = tenant === undefined
        ? db.prepare('SELECT id, tenant, hash, created_at, revoked_at FROM api_keys ORDER BY created_at, id').all()
        : db.prepare('SELECT id, tenant, hash, created_at, revoked_at FROM api_keys WHERE tenant = ? ORDER BY created_at, id').all(tenant);
      return (rows as KeyRow[]).map(toKey);
    },
    async revokeKey(id) {
      db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now(), id);
      const r = keyById.get(id) as KeyRow | undefined;
      return r ? toKey(r) : null;
    },
  };
}
