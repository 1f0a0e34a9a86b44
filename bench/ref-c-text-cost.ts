/**
 * What ref-c's text and captions tracks hand ffmpeg (textTrackCost: images, pixels, switches) and
 * how long preparing ref-c's timeline takes in Node (layout, rasterizing, PNG encoding), with the
 * process's peak RSS. Run after `npm run bench -- --only c` has generated bench/.work:
 *
 *   node --import tsx bench/ref-c-text-cost.ts [ref-c.json | ref-b.json]
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateComposition } from '../src/composition/validate-composition.ts';
import { prepareTimeline } from '../src/render/prepare-timeline.ts';
import { textTrackCost } from '../src/render/text-animation/sequence-cost.ts';
import { sequenceCost } from '../src/render/text-animation/raster-sequence.ts';

const WORK = join(new URL('..', import.meta.url).pathname, 'bench', '.work');
const file = process.argv[2] ?? 'ref-c.json'; // or ref-b.json
const { composition } = validateComposition(JSON.parse(readFileSync(join(WORK, file), 'utf8')));
const workDir = mkdtempSync(join(WORK, 'cost-'));
const started = performance.now();
const tl = await prepareTimeline({
  composition, workDir, ffprobePath: 'ffprobe', signal: new AbortController().signal, resolveSrc: async (src: string) => join(WORK, src),
});
const ms = performance.now() - started;
const cost = textTrackCost(tl);
// Clip by clip: images, their size and pixels.
for (const c of tl.clips) {
  if (!c.sequence) continue;
  const { images, pixels } = sequenceCost(c.sequence);
  console.log(JSON.stringify({ clip: c.pointer, images, size: `${c.sequence.frame.width}x${c.sequence.frame.height}`, megapixels: +(pixels / 1e6).toFixed(2), switches: c.sequence.changes.length }));
}
console.log(JSON.stringify({ ...cost, megapixels: +(cost.pixels / 1e6).toFixed(2), prepareMs: Math.round(ms), peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }));
