/**
 * Gallery media as assets: each `media/NAME` source is uploaded once per API key (POST /v1/assets)
 * and replaced by its `asset:ID` in what is sent. The ids are kept in sessionStorage, under a
 * fingerprint of the key rather than the key itself, so a reload does not upload them again.
 */
import type { Api } from './api.ts';
import { GALLERY_MEDIA } from './examples.ts';

const fingerprint = (key: string): string => {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
};

export class GalleryMedia {
  private readonly pending = new Map<string, Promise<string>>();
  constructor(private readonly api: Api, private readonly key: () => string) {}

  private storeKey() { return `montage.studio.media.${fingerprint(this.key())}`; }
  private stored(): Record<string, string> {
    try { return JSON.parse(sessionStorage.getItem(this.storeKey()) ?? '{}') as Record<string, string>; } catch { return {}; }
  }

  /** Forgets the uploads (after the service said an asset is gone). */
  forget() { sessionStorage.removeItem(this.storeKey()); this.pending.clear(); }

  private assetFor(path: string): Promise<string> {
    const cacheKey = `${this.storeKey()}|${path}`;
    const known = this.stored()[path];
    if (known) return Promise.resolve(known);
    let p = this.pending.get(cacheKey);
    if (!p) {
      p = (async () => {
        const res = await fetch(GALLERY_MEDIA[path]);
        if (!res.ok) throw new Error(`Could not load the gallery file ${path}.`);
        const asset = await this.api.uploadAsset(await res.blob(), path.slice('media/'.length));
        const all = this.stored();
        all[path] = asset.src;
        sessionStorage.setItem(this.storeKey(), JSON.stringify(all));
        return asset.src;
      })();
      p.catch(() => this.pending.delete(cacheKey));
      this.pending.set(cacheKey, p);
    }
    return p;
  }

  /** A copy of `value` with every gallery `src` replaced by its asset; other values untouched. */
  async resolve(value: unknown): Promise<unknown> {
    if (Array.isArray(value)) return Promise.all(value.map((v) => this.resolve(v)));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        out[k] = k === 'src' && typeof v === 'string' && v in GALLERY_MEDIA ? await this.assetFor(v) : await this.resolve(v);
      }
      return out;
    }
    return value;
  }
}
