/**
 * Uploaded assets (POST/GET/DELETE /v1/assets): the body streams straight into the ObjectStore,
 * never held whole in memory, and is cut off as soon as it passes the per-asset limit.
 */
import { MontageError } from '../errors/registry.ts';
import type { AssetProbe } from '../assets/inspect-upload.ts';
import type { AssetRecord, AssetStore } from '../ports/asset-store.ts';
import type { ObjectStore } from '../ports/object-store.ts';
import { newId } from './new-id.ts';

export interface UploadOptions {
  readonly filename?: string;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
}

export const assetObjectKey = (tenant: string, id: string): string => `assets/${tenant}/${id}`;

/**
 * Looks at a stored upload and says what it holds, or throws why no render could use it
 * (src/assets/inspect-upload.ts on a local copy). Absent: uploads are stored unprobed.
 */
export type InspectStoredUpload = (objectKey: string, signal?: AbortSignal) => Promise<AssetProbe>;

export function createAssetUseCases(deps: { readonly assets: AssetStore; readonly objects: ObjectStore; readonly maxAssetBytes: number; readonly inspect?: InspectStoredUpload }) {
  return {
    async upload(tenant: string, body: AsyncIterable<Uint8Array>, opts: UploadOptions = {}): Promise<AssetRecord> {
      const id = newId('ast');
      const objectKey = assetObjectKey(tenant, id);
      const stored = await deps.objects.put(objectKey, body, { maxBytes: deps.maxAssetBytes, signal: opts.signal });
      if (stored.size === 0) {
        await deps.objects.delete(objectKey);
        throw new MontageError('MONTAGE_E_INVALID_REQUEST', 'The upload is empty: send the file\'s bytes as the request body.', { problems: [{ pointer: '', detail: 'Send the file\'s bytes as the body (curl --data-binary @FILE).' }] });
      }
      try {
        // Refused here, not in every render that would name it: the same guards as a render's probe.
        const probe = deps.inspect ? await deps.inspect(objectKey, opts.signal) : null;
        return await deps.assets.create({
          id, tenant, objectKey, filename: opts.filename?.slice(0, 255) ?? null,
          contentType: opts.contentType ?? 'application/octet-stream', bytes: stored.size, sha256: stored.sha256, probe,
        });
      } catch (e) {
        await deps.objects.delete(objectKey);
        throw e;
      }
    },
    async get(tenant: string, id: string): Promise<AssetRecord> {
      const a = await deps.assets.get(tenant, id);
      if (!a) throw new MontageError('MONTAGE_E_NOT_FOUND', `No asset ${id}.`);
      return a;
    },
    /** Renders already holding a copy keep working; queued ones that name it will fail to prepare. */
    async delete(tenant: string, id: string): Promise<void> {
      const a = await deps.assets.delete(tenant, id);
      if (!a) throw new MontageError('MONTAGE_E_NOT_FOUND', `No asset ${id}.`);
      await deps.objects.delete(a.objectKey);
    },
  };
}

export type AssetUseCases = ReturnType<typeof createAssetUseCases>;
