/**
 * The TemplateStore port: stored compositions with `{{placeholders}}`, per tenant.
 * Conventions: see render-store.ts (async, tenant on every call, ISO times, caller-made ids).
 */
import type { Page } from './render-store.ts';

export interface TemplateRecord {
  readonly id: string;
  readonly tenant: string;
  readonly name: string;
  /** The raw composition with placeholders, as submitted (validated with its own `merge` on save). */
  readonly composition: unknown;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface NewTemplate {
  readonly id: string;
  readonly tenant: string;
  readonly name: string;
  readonly composition: unknown;
  readonly createdAt?: string;
}

export interface TemplateUpdate {
  readonly name?: string;
  readonly composition?: unknown;
}

export interface TemplateStore {
  /** Throws MONTAGE_E_CONFLICT on a duplicate id. */
  create(input: NewTemplate): Promise<TemplateRecord>;
  get(tenant: string, id: string): Promise<TemplateRecord | null>;
  /** Newest first, opaque cursor as in RenderStore.list. `limit` 1–100. */
  list(tenant: string, query: { readonly limit: number; readonly cursor?: string }): Promise<Page<TemplateRecord>>;
  /** Returns the updated record, or null when absent for this tenant. */
  update(tenant: string, id: string, patch: TemplateUpdate): Promise<TemplateRecord | null>;
  /** True when a record was deleted. */
  delete(tenant: string, id: string): Promise<boolean>;
}
