/**
 * The I/O half of `radius` and `border`: after the timeline is built (so every clip's box size is
 * known), rasterize each clip's rounded-corner mask and border once into the work directory and
 * attach them to the clip's look for the planner.
 */
import { writeFile } from 'node:fs/promises';
import type { Timeline, TimelineClip } from '../timeline.ts';
import { clipBox } from './clip-box.ts';
import { borderPng, roundedMaskPng } from './rounded-box.ts';
import { workingPixels } from '../working-pixels.ts';

export const withLookRasters = async (tl: Timeline, workDir: string): Promise<Timeline> => {
  const clips: TimelineClip[] = [];
  for (const clip of tl.clips) {
    const look = clip.look;
    if (!look || (look.radius <= 0 && !look.border)) { clips.push(clip); continue; }
    const { B } = clipBox(clip, tl.frame, workingPixels(tl.format).evenGrid);
    const name = `${workDir}/look-${clip.id}`;
    let mask;
    let border;
    if (look.radius > 0) {
      await writeFile(`${name}-corners.png`, roundedMaskPng(B, look.radius));
      mask = { path: `${name}-corners.png`, width: B.w, height: B.h };
    }
    if (look.border) {
      await writeFile(`${name}-border.png`, borderPng(B, look.radius, look.border, `${clip.pointer}/border/color`));
      border = { path: `${name}-border.png`, width: B.w, height: B.h };
    }
    clips.push({ ...clip, look: { ...look, frame: { ...(mask ? { mask } : {}), ...(border ? { border } : {}) } } });
  }
  return { ...tl, clips };
};
