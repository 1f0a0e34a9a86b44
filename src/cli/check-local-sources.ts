/**
 * What `montage validate` and `montage render` know about a composition's sources without
 * downloading anything, all problems at once with their pointers: local files that are missing or
 * unreadable (relative to the composition file), `asset:` sources (service only), schemes the CLI
 * cannot read, and URLs the destination policy refuses or whose host name does not resolve.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { CheckDestination } from '../assets/check-destination.ts';
import { collectSrcs } from '../jobs/check-limits.ts';
import type { SourceProblem } from '../jobs/check-sources.ts';

export const isUrlSrc = (src: string): boolean => /^https?:\/\//i.test(src);
/** A scheme other than a Windows drive letter (C:\…). */
const hasScheme = (src: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(src) && !/^[a-z]:[\\/]/i.test(src);

export const localPathOf = (baseDir: string, src: string): string => (isAbsolute(src) ? src : resolve(baseDir, src));

export async function findLocalSourceProblems(
  composition: unknown,
  opts: { readonly baseDir: string; readonly checkDestination: CheckDestination },
): Promise<SourceProblem[]> {
  const verdicts = new Map<string, ReturnType<CheckDestination>>();
  const found = await Promise.all(collectSrcs(composition).map(async ({ pointer, src }): Promise<SourceProblem | null> => {
    if (isUrlSrc(src)) {
      let verdict = verdicts.get(src);
      if (!verdict) verdicts.set(src, verdict = opts.checkDestination(src));
      const p = await verdict;
      return p ? { pointer, kind: p.code === 'MONTAGE_E_FETCH_FORBIDDEN' ? 'forbidden' : 'unresolved', detail: p.detail } : null;
    }
    if (/^asset:/i.test(src)) {
      return { pointer, kind: 'forbidden', detail: 'Uses an uploaded asset, which only the service can read. Use a local path or an https URL with the CLI.' };
    }
    if (hasScheme(src)) {
      return { pointer, kind: 'forbidden', detail: `The scheme of "${src}" is not supported. Use a local path or an https URL.` };
    }
    const path = localPathOf(opts.baseDir, src);
    try {
      const st = await stat(path);
      if (!st.isFile()) {
        // A device (/dev/zero), a pipe or a socket never ends or never answers: only regular files are media.
        const what = st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a named pipe' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'a socket';
        return { pointer, kind: 'missing-file', detail: `${path} is ${what}, not a file: point src at a media file.` };
      }
      await access(path, constants.R_OK);
      return null;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return code === 'ENOENT' || code === 'ENOTDIR'
        ? { pointer, kind: 'missing-file', detail: `No file at ${path}. Paths are relative to the composition file.` }
        : { pointer, kind: 'missing-file', detail: `The file ${path} cannot be read: ${code ?? 'unknown error'}. Check its permissions.` };
    }
  }));
  return found.filter((p): p is SourceProblem => p !== null);
}
