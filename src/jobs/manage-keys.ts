/**
 * API keys and tenants. A key is `mk_` + 192 random bits in base64url, shown once; only its
 * sha256 is stored, so a leaked database reveals no usable key. Tenants are created on their
 * first key, with a Standard Webhooks secret (`whsec_` + base64 of 32 random bytes).
 */
import { createHash, randomBytes } from 'node:crypto';
import { MontageError } from '../errors/registry.ts';
import type { ApiKeyRecord, KeyStore, TenantRecord } from '../ports/key-store.ts';
import { newId } from './new-id.ts';

export interface CreatedKey {
  readonly tenant: string;
  readonly tenantId: string;
  readonly keyId: string;
  /** The secret, shown this once. */
  readonly key: string;
  readonly webhookSecret: string;
}

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

const KEY_SHAPE = /^mk_[A-Za-z0-9_-]{22,}$/;

export function createKeyUseCases(deps: { readonly keys: KeyStore }) {
  /** The tenant and public key id of a bearer key (the HTTP layer rate-limits per key). */
  const authenticateKey = async (key: string | undefined): Promise<{ readonly tenant: TenantRecord; readonly keyId: string }> => {
    if (key && KEY_SHAPE.test(key)) {
      const found = await deps.keys.findActiveKeyByHash(hashApiKey(key));
      if (found) return { tenant: found.tenant, keyId: found.key.id };
    }
    throw new MontageError('MONTAGE_E_UNAUTHORIZED', 'A valid API key is required: send Authorization: Bearer mk_...');
  };

  return {
    async createKey(tenantName: string): Promise<CreatedKey> {
      const name = tenantName.trim();
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name)) {
        throw new MontageError('MONTAGE_E_INVALID_REQUEST', 'A tenant name is 1–100 letters, digits, ".", "_" or "-", starting with a letter or digit.');
      }
      const tenant = await deps.keys.ensureTenant({ id: newId('ten'), name, webhookSecret: `whsec_${randomBytes(32).toString('base64')}` });
      const key = `mk_${randomBytes(24).toString('base64url')}`;
      const rec = await deps.keys.createKey({ id: newId('key'), tenant: tenant.id, hash: hashApiKey(key) });
      return { tenant: tenant.name, tenantId: tenant.id, keyId: rec.id, key, webhookSecret: tenant.webhookSecret };
    },
    async listKeys(tenantName?: string): Promise<readonly (ApiKeyRecord & { readonly tenantName: string })[]> {
      let tenantId: string | undefined;
      if (tenantName !== undefined) {
        const t = await deps.keys.findTenantByName(tenantName);
        if (!t) return [];
        tenantId = t.id;
      }
      const keys = await deps.keys.listKeys(tenantId);
      const names = new Map<string, string>();
      for (const k of keys) {
        if (!names.has(k.tenant)) names.set(k.tenant, (await deps.keys.getTenant(k.tenant))?.name ?? k.tenant);
      }
      return keys.map((k) => ({ ...k, tenantName: names.get(k.tenant)! }));
    },
    async revokeKey(keyId: string): Promise<ApiKeyRecord> {
      const k = await deps.keys.revokeKey(keyId);
      if (!k) throw new MontageError('MONTAGE_E_NOT_FOUND', `No API key ${keyId}.`);
      return k;
    },
    /** The tenant of a bearer key, or MONTAGE_E_UNAUTHORIZED (same error for malformed, unknown, revoked). */
    async authenticate(key: string | undefined): Promise<TenantRecord> {
      return (await authenticateKey(key)).tenant;
    },
    authenticateKey,
  };
}

export type KeyUseCases = ReturnType<typeof createKeyUseCases>;
