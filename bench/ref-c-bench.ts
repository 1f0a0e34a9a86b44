/**
 * ref-c (../shared/bench/ref-c.json): 15 s of vertical 720×1280 social video using most of the
 * composition format's 1.1 fields, timed against its encode-only floor: the same encoder settings
 * (libx264 veryfast CRF 23, the same GOP, AAC 128k) on a still frame of the same size, rate and
 * length, measured alternately in the same run.
 *
 * ref-c is rendered whole: text, captions, svg and every 1.1 field. Should the validator refuse a
 * field (a build older than the contract), it is taken out and said so in the output (an unknown
 * transition kind becomes `fade`, `length: "end"` the seconds to the end, anything else dropped);
 * `removed` is empty on this build.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateComposition } from '../src/composition/validate-composition.ts';
import { MontageError } from '../src/errors/registry.ts';

type Obj = Record<string, any>;

/** ref-c as this build can render it, and the list of what was taken out. */
export const prepareRefC = (sharedBench: string, work: string): { path: string; removed: string[] } => {
  const c = JSON.parse(readFileSync(join(sharedBench, 'ref-c.json'), 'utf8')) as Obj;
  const removed: string[] = [];
  const duration = Number(c.output.duration);
  for (let round = 0; round < 10; round++) {
    let problems: readonly { pointer: string }[] = [];
    try { validateComposition(c); break; } catch (e) {
      if (!(e instanceof MontageError)) throw e;
      problems = e.problems;
    }
    if (problems.length === 0) throw new Error('ref-c is refused without a field to blame');
    for (const { pointer } of problems) {
      const keys = pointer.split('/').slice(1);
      const parent = keys.slice(0, -1).reduce<Obj | undefined>((o, k) => o?.[k], c);
      const key = keys[keys.length - 1];
      if (!parent || !(key in parent)) continue;
      if (key === 'length' && parent.length === 'end') { parent.length = duration - parent.start; removed.push(`${pointer}: "end" → ${parent.length} s`); }
      else if (keys.includes('transition') && (key === 'in' || key === 'out')) { removed.push(`${pointer}: ${parent[key]} → fade`); parent[key] = 'fade'; }
      else { removed.push(`${pointer} (${JSON.stringify(parent[key]).slice(0, 40)})`); delete parent[key]; }
    }
  }
  const path = join(work, 'ref-c.json');
  writeFileSync(path, `${JSON.stringify(c, null, 2)}\n`);
  return { path, removed };
};

/** The encode-only floor's arguments: a still of ref-c's first picture, looped in the graph, encoded as ref-c is. */
export const floorArgs = (assets: string, out: string): string[] => [
  '-hide_banner', '-nostdin', '-y', '-loglevel', 'error',
  '-i', join(assets, 'img2.jpg'), '-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=stereo',
  '-filter_complex', '[0:v]scale=720:1280:force_original_aspect_ratio=increase,crop=720:1280,setsar=1,format=yuv420p,loop=loop=449:size=1:start=0,fps=30[v]',
  '-map', '[v]', '-map', '1:a', '-t', '15',
  '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-profile:v', 'high', '-g', '60', '-keyint_min', '60', '-sc_threshold', '0',
  '-r', '30', '-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2', '-movflags', '+faststart', out,
];
