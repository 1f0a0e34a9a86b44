/**
 * InspectStoredUpload over an ObjectStore: the file is probed where it lies when the store is on
 * this disk, else from a copy in a scratch directory that is removed afterwards.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { inspectUpload } from '../assets/inspect-upload.ts';
import type { ObjectStore } from '../ports/object-store.ts';
import type { InspectStoredUpload } from './manage-assets.ts';

export function createInspectStoredUpload(deps: { readonly objects: ObjectStore; readonly ffprobePath: string; readonly workRoot: string }): InspectStoredUpload {
  return async (objectKey, signal) => {
    const local = await deps.objects.localPath?.(objectKey);
    if (local) return inspectUpload(local, { ffprobePath: deps.ffprobePath, signal });
    await mkdir(deps.workRoot, { recursive: true });
    const dir = await mkdtemp(join(deps.workRoot, 'upload-'));
    try {
      const copy = join(dir, 'upload');
      const { body } = await deps.objects.get(objectKey);
      await pipeline(body, createWriteStream(copy), { signal });
      return await inspectUpload(copy, { ffprobePath: deps.ffprobePath, signal });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}
