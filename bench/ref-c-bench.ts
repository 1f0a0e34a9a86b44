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

/** ref-c's x264 and AAC settings, the same in the floor, the bound and the render. */
const ENCODER = [
  '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-profile:v', 'high', '-g', '60', '-keyint_min', '60', '-sc_threshold', '0',
  '-r', '30', '-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2', '-movflags', '+faststart',
];

/** The encode-only floor's arguments: a still of ref-c's first picture, looped in the graph, encoded as ref-c is. */
export const floorArgs = (assets: string, out: string): string[] => [
  '-hide_banner', '-nostdin', '-y', '-loglevel', 'error',
  '-i', join(assets, 'img2.jpg'), '-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=stereo',
  '-filter_complex', '[0:v]scale=720:1280:force_original_aspect_ratio=increase,crop=720:1280,setsar=1,format=yuv420p,loop=loop=449:size=1:start=0,fps=30[v]',
  '-map', '[v]', '-map', '1:a', '-t', '15', ...ENCODER, out,
];

/** The source ranges of ref-c's video clips, in seconds of the source: what any renderer must decode. */
export const videoWindows = (refC: string): { src: string; from: number; seconds: number }[] => {
  const c = JSON.parse(readFileSync(refC, 'utf8')) as Obj;
  const duration = Number(c.output.duration);
  const out: { src: string; from: number; seconds: number }[] = [];
  for (const track of c.tracks as Obj[]) {
    for (const clip of track.clips as Obj[]) {
      if (clip.asset?.type !== 'video') continue;
      const shown = clip.length === 'end' ? duration - Number(clip.start) : Number(clip.length);
      out.push({ src: String(clip.asset.src), from: Number(clip.asset.trim ?? 0), seconds: shown * Number(clip.asset.speed ?? 1) });
    }
  }
  return out;
};

/**
 * The floor of the floor: what ANY renderer of ref-c must do with these encoder settings, in one
 * ffmpeg process: encode ref-c's finished picture (its frames, decoded beforehand into raw yuv420p
 * that the page cache holds, and its audio as PCM), and decode the source video that ref-c shows
 * (to nothing). No compositing, no filter at all. `frames` and `audio` come from
 * `rawFramesArgs` on Montage's own output of the same round.
 */
export const boundArgs = (work: string, frames: string, audio: string, out: string): string[] => {
  const windows = videoWindows(join(work, 'ref-c.json'));
  return [
    '-hide_banner', '-nostdin', '-y', '-loglevel', 'error',
    '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', '720x1280', '-r', '30', '-i', frames, '-i', audio,
    ...windows.flatMap((w) => ['-ss', String(w.from), '-t', String(w.seconds), '-i', join(work, w.src)]),
    '-map', '0:v', '-map', '1:a', '-t', '15', ...ENCODER, out,
    ...windows.flatMap((_, i) => ['-map', `${i + 2}:v`, '-f', 'null', '-']),
  ];
};

/** Montage's ref-c output as raw frames and PCM: the input of `boundArgs`. */
export const rawFramesArgs = (rendered: string, frames: string, audio: string): string[] => [
  '-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-i', rendered,
  '-map', '0:v', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', frames, '-map', '0:a', '-c:a', 'pcm_s16le', audio,
];
