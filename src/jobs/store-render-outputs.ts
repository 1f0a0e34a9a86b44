/** Where a render's finished files go in the ObjectStore, and how they get there (streamed). */
import { createReadStream } from 'node:fs';
import type { ObjectStore } from '../ports/object-store.ts';
import type { RenderedFile } from '../ports/render-engine.ts';
import type { RenderOutputsRecord, RenderRecord, StoredOutput } from '../ports/render-store.ts';

/** File extension of the main output by `output.format`. */
export const OUTPUT_EXT: Readonly<Record<string, string>> = { mp4: 'mp4', webm: 'webm', mov: 'mov', gif: 'gif', mp3: 'mp3', wav: 'wav', png: 'png', jpg: 'jpg' };

/** `renders/<tenant>/<renderId>`: every object of one render lives under this prefix. */
export const renderPrefix = (render: Pick<RenderRecord, 'tenant' | 'id'>): string => `renders/${render.tenant}/${render.id}`;

export async function storeRenderOutputs(
  objects: ObjectStore, render: RenderRecord, outputs: { video: RenderedFile; poster?: RenderedFile; thumbnail?: RenderedFile },
): Promise<RenderOutputsRecord> {
  const put = async (file: RenderedFile, name: string): Promise<StoredOutput> => {
    const key = `${renderPrefix(render)}/${name}`;
    // The type travels with the object: a signed URL (S3) serves it with the store's Content-Type.
    const info = await objects.put(key, createReadStream(file.path), { contentType: file.contentType });
    return { key, contentType: file.contentType, bytes: info.size };
  };
  return {
    video: await put(outputs.video, `video.${OUTPUT_EXT[render.format] ?? 'bin'}`),
    ...(outputs.poster ? { poster: await put(outputs.poster, 'poster.jpg') } : {}),
    ...(outputs.thumbnail ? { thumbnail: await put(outputs.thumbnail, 'thumbnail.jpg') } : {}),
  };
}

export async function removeRenderOutputs(objects: ObjectStore, o: RenderOutputsRecord): Promise<void> {
  for (const x of [o.video, o.poster, o.thumbnail]) if (x) await objects.delete(x.key).catch(() => false);
}
