/**
 * Animated WebPs become PNGs of their first frame before planning (ffmpeg 5.1 cannot decode them:
 * src/assets/animated-webp.ts). The media entry keeps its probed size and alpha, and points at the PNG.
 */
import { writeFile } from 'node:fs/promises';
import type { MediaInfo } from '../assets/media-info.ts';
import { ANIMATED_WEBP, firstWebpFrame } from '../assets/animated-webp.ts';

export async function decodeAnimatedWebpMedia(
  media: Map<string, MediaInfo>, workDir: string, pointers: ReadonlyMap<string, string>,
): Promise<void> {
  let n = 0;
  for (const [src, info] of media) {
    if (info.container !== ANIMATED_WEBP || !info.video) continue;
    const png = `${workDir}/webp-${n++}.png`;
    await writeFile(png, firstWebpFrame(info.path, pointers.get(src) ?? ''));
    media.set(src, { ...info, path: png, container: 'png_pipe', video: { ...info.video, codec: 'png' } });
  }
}
