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
const TENANT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** 1–100 letters, digits, ".", "_" or "-", starting with a letter or digit. */
export const isTenantName = (name: string): boolean => TENANT_NAME.test(name);

/** Whether a bearer credential has the shape of a Montage API key (anything else may be an access token). */
export const looksLikeApiKey = (credential: string): boolean => credential.startsWith('mk_');

export function createKeyUseCases(deps: { readonly keys: KeyStore }) {
  /** The tenant and public key id of a bearer key (the HTTP layer rate-limits per key). */
  const authenticateKey = async (key: string | undefined): Promise<{ readonly tenant: TenantRecord; readonly keyId: string }> => {
    if (key && KEY_SHAPE.test(key)) {
      const found = await deps.keys.findActiveKeyByHash(hashApiKey(key));
      if (found) return { tenant: found.tenant, keyId: found.key.id };
    }
    throw new MontageError('MONTAGE_E_UNAUTHORIZED', 'A valid API key is required: send Authorization: Bearer mk_...');
  };

  const ensureTenant = (name: string): Promise<TenantRecord> =>
    deps.keys.ensureTenant({ id: newId('ten'), name, webhookSecret: `whsec_${randomBytes(32).toString('base64')}` });

  /**
   * The tenant an OAuth access token's tenant claim names, created on first use exactly as
   * `montage keys create --tenant NAME` would: the trusted issuer vouches for the name. A name
   * that is not a valid tenant name is MONTAGE_E_UNAUTHORIZED.
   */
  const tenantNamed = async (name: string): Promise<TenantRecord> => {
    if (!TENANT_NAME.test(name)) {
      throw new MontageError('MONTAGE_E_UNAUTHORIZED', `The access token was refused: its tenant claim ${JSON.stringify(name.slice(0, 100))} is not a tenant name (1–100 letters, digits, ".", "_" or "-", starting with a letter or digit).`);
    }
    return (await deps.keys.findTenantByName(name)) ?? ensureTenant(name);
  };

  return {
    async createKey(tenantName: string): Promise<CreatedKey> {
      const name = tenantName.trim();
      if (!TENANT_NAME.test(name)) {
        throw new MontageError('MONTAGE_E_INVALID_REQUEST', 'A tenant name is 1–100 letters, digits, ".", "_" or "-", starting with a letter or digit.');
      }
      const tenant = await ensureTenant(name);
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
    tenantNamed,
  };
}

export type KeyUseCases = ReturnType<typeof createKeyUseCases>;
