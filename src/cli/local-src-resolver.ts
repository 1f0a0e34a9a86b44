/**
 * How the CLI (and only the CLI) turns a `src` into a local file: a path relative to the
 * composition file, or an https URL downloaded through the safe fetcher into the work directory.
 * `asset:ID` belongs to the service and is refused here with a sentence saying so.
 */
import { access } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { MontageError } from '../errors/registry.ts';
import { withPointer } from '../errors/with-pointer.ts';
import type { ResolveSrc } from '../ports/render-engine.ts';
import type { SafeFetcher } from '../assets/safe-fetcher.ts';

export const createLocalSrcResolver = (opts: { baseDir: string; workDir: string; fetcher: Pick<SafeFetcher, 'fetchToFile'> }): ResolveSrc => {
  const downloads = new Map<string, Promise<string>>();
  return async (src, pointer, signal) => {
    if (/^https?:\/\//i.test(src)) {
      let p = downloads.get(src);
      if (!p) {
        const dest = `${opts.workDir}/dl-${createHash('sha256').update(src).digest('hex').slice(0, 16)}`;
        p = opts.fetcher.fetchToFile(src, dest, { signal }).then(() => dest);
        downloads.set(src, p);
      }
      // The fetcher knows the URL, not the field: name it, so the message says which clip to fix.
      return p.catch((e: unknown) => { throw withPointer(e, pointer); });
    }
    if (/^asset:/i.test(src)) {
      throw new MontageError('MONTAGE_E_ASSET_NOT_FOUND', `${pointer}: "asset:" sources exist only in the service.`,
        { problems: [{ pointer, detail: 'uses an uploaded asset, which only the service can read: use a local path or an https URL with the CLI' }] });
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(src) && !/^[a-z]:[\\/]/i.test(src)) {
      throw new MontageError('MONTAGE_E_FETCH_FORBIDDEN', `${pointer}: the scheme of "${src}" is not supported.`,
        { problems: [{ pointer, detail: 'must be a local path or an https:// URL' }] });
    }
    const path = isAbsolute(src) ? src : resolve(opts.baseDir, src);
    try {
      await access(path);
    } catch {
      throw new MontageError('MONTAGE_E_ASSET_NOT_FOUND', `${pointer}: no file at ${path}.`,
        { problems: [{ pointer, detail: `names a file that does not exist (${path}): check the path, which is relative to the composition file` }] });
    }
    return path;
  };
};
