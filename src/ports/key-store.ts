/**
 * The KeyStore port: tenants and their API keys. Keys are stored only as a sha256 hash; the secret
 * is shown once at creation (API.md). Conventions: see render-store.ts.
 */

export interface TenantRecord {
  /** Opaque id carried by every other object (`tenant` fields). */
  readonly id: string;
  /** Unique, human-chosen (`montage keys create --tenant NAME`). */
  readonly name: string;
  /** Standard Webhooks signing secret: `whsec_` + base64 of ≥ 24 random bytes. */
  readonly webhookSecret: string;
  readonly createdAt: string;
}

export interface ApiKeyRecord {
  /** Public identifier (`key_…`), shown in listings and used to revoke. */
  readonly id: string;
  readonly tenant: string;
  /** Hex sha256 of the full secret key string. */
  readonly hash: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

export interface KeyStore {
  /**
   * Returns the tenant named `name`, creating it with `create` values when absent. Atomic: two
   * concurrent callers get the same tenant.
   */
  ensureTenant(create: { readonly id: string; readonly name: string; readonly webhookSecret: string }): Promise<TenantRecord>;
  getTenant(id: string): Promise<TenantRecord | null>;
  findTenantByName(name: string): Promise<TenantRecord | null>;
  /** Throws MONTAGE_E_CONFLICT on a duplicate id or hash. */
  createKey(input: { readonly id: string; readonly tenant: string; readonly hash: string; readonly createdAt?: string }): Promise<ApiKeyRecord>;
  /** The non-revoked key with this hash and its tenant, or null. */
  findActiveKeyByHash(hash: string): Promise<{ readonly key: ApiKeyRecord; readonly tenant: TenantRecord } | null>;
  /** Oldest first; every tenant when `tenant` is omitted (operator CLI only). */
  listKeys(tenant?: string): Promise<readonly ApiKeyRecord[]>;
  /** Marks the key revoked; idempotent. Returns the record, or null when no key has this id. */
  revokeKey(id: string): Promise<ApiKeyRecord | null>;
}
