/**
 * The service's ResolveSrc: `asset:ID` → the tenant's uploaded file (a local path when the object
 * store is on this disk, else a copy in the job's work dir); `https://` (and `http://` where the
 * operator allows it) → the safe fetcher, once per distinct URL; anything else, above all a local
 * path, is refused: the service never reads its own disk on a composition's behalf.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { MontageError } from '../errors/registry.ts';
import { withPointer } from '../errors/with-pointer.ts';
import type { AssetStore } from '../ports/asset-store.ts';
import type { ObjectStore } from '../ports/object-store.ts';
import type { AssetFetcher } from '../ports/remote-fetcher.ts';
import type { ResolveSrc } from '../ports/render-engine.ts';

export interface ResolveDeps {
  readonly assets: AssetStore;
  readonly objects: ObjectStore;
  readonly fetcher: AssetFetcher;
}

export function createServiceSrcResolver(deps: ResolveDeps, tenant: string, workDir: string): ResolveSrc {
  const cache = new Map<string, Promise<string>>();
  const fileFor = (src: string) => join(workDir, `src-${createHash('sha256').update(src).digest('hex').slice(0, 24)}`);

  const resolveOnce = async (src: string, pointer: string, signal: AbortSignal): Promise<string> => {
    const asset = /^asset:([A-Za-z0-9_-]+)$/.exec(src);
    if (asset) {
      const rec = await deps.assets.get(tenant, asset[1]!);
      if (!rec) throw new MontageError('MONTAGE_E_ASSET_NOT_FOUND', `${pointer}: no uploaded asset ${asset[1]} belongs to this account.`, { problems: [{ pointer, detail: 'The asset was deleted or never existed.' }] });
      const local = await deps.objects.localPath?.(rec.objectKey);
      if (local) return local;
      const dest = fileFor(src);
      const { body } = await deps.objects.get(rec.objectKey);
      await pipeline(body, createWriteStream(dest), { signal });
      return dest;
    }
    if (/^https?:\/\//i.test(src)) {
      const dest = fileFor(src);
      try {
        await deps.fetcher.fetchToFile(src, dest, { signal });
      } catch (e) {
        throw withPointer(e, pointer); // the fetcher knows the URL, not the field
      }
      return dest;
    }
    throw new MontageError('MONTAGE_E_FETCH_FORBIDDEN', `${pointer}: the service reads only https:// URLs and uploaded assets, never a local path.`, {
      problems: [{ pointer, detail: 'Upload the file with POST /v1/assets and use "asset:ID".' }],
    });
  };

  return (src, pointer, signal) => {
    let p = cache.get(src);
    if (!p) {
      p = resolveOnce(src, pointer, signal);
      cache.set(src, p);
      p.catch(() => cache.delete(src));
    }
    return p;
  };
}
