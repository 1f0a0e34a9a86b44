/**
 * The AssetStore port: metadata of uploaded media files (`src: "asset:ID"`). The bytes live in the
 * ObjectStore under `objectKey`; this store only says who owns what.
 * Conventions: see render-store.ts (async, tenant on every call, ISO times, caller-made ids).
 */
import type { AssetProbe } from '../assets/inspect-upload.ts';

export interface AssetRecord {
  readonly id: string;
  readonly tenant: string;
  /** ObjectStore key of the bytes. */
  readonly objectKey: string;
  /** The client's file name, if it gave one (display only; never used as a path). */
  readonly filename: string | null;
  readonly contentType: string;
  /** Size in bytes. */
  readonly bytes: number;
  /** Hex sha256 of the bytes. */
  readonly sha256: string;
  /** What the file holds, probed at upload (null for assets stored before uploads were probed). */
  readonly probe: AssetProbe | null;
  readonly createdAt: string;
}

export type NewAsset = Omit<AssetRecord, 'createdAt' | 'probe'> & { readonly createdAt?: string; readonly probe?: AssetProbe | null };

export interface AssetStore {
  /** Throws MONTAGE_E_CONFLICT on a duplicate id. */
  create(input: NewAsset): Promise<AssetRecord>;
  get(tenant: string, id: string): Promise<AssetRecord | null>;
  /** Returns the deleted record (so its object can be removed), or null when absent. */
  delete(tenant: string, id: string): Promise<AssetRecord | null>;
}
