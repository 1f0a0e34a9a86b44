/**
 * The IdempotencyStore port: remembers `Idempotency-Key` requests per tenant so that a retried
 * request returns the first response and creates nothing new (API.md). Conventions: see
 * render-store.ts (async, tenant on every call, ISO times).
 *
 * Protocol for a use case:
 *  1. `begin(tenant, key, bodyHash, notBefore)` inserts a `pending` record atomically
 *     (insert-or-conflict). Exactly one concurrent caller gets `{kind: 'started'}`.
 *  2. It does the work, then `complete(...)` stores the response; on failure `abandon(...)` deletes
 *     the pending record so the client may retry with the same key.
 *  3. A caller that gets `{kind: 'existing'}` answers: a different `bodyHash` → 422, `pending` →
 *     409 (a concurrent duplicate), `completed` → the stored response.
 */

/** The first response to a request, replayed verbatim to duplicates. */
export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface IdempotencyRecord {
  readonly tenant: string;
  readonly key: string;
  /** Hex sha256 of the canonical request body. */
  readonly bodyHash: string;
  readonly state: 'pending' | 'completed';
  readonly response: StoredResponse | null;
  readonly createdAt: string;
}

export type BeginResult =
  | { readonly kind: 'started' }
  | { readonly kind: 'existing'; readonly record: IdempotencyRecord };

export interface IdempotencyStore {
  /**
   * Claims `key` for this tenant. A record created before `notBefore` (ISO time; the start of the
   * 24 h window) counts as absent and is replaced. Atomic across processes.
   */
  begin(tenant: string, key: string, bodyHash: string, notBefore: string): Promise<BeginResult>;
  /** Stores the response of a `pending` record this caller started. */
  complete(tenant: string, key: string, response: StoredResponse): Promise<void>;
  /** Removes a `pending` record after the work failed, so the key can be retried. */
  abandon(tenant: string, key: string): Promise<void>;
  /** Deletes records created before `before`; returns how many. Housekeeping, any tenant. */
  purgeBefore(before: string): Promise<number>;
}
