/**
 * ref-c's filter graph frames, encoded losslessly (FFV1 in Matroska, no audio) instead of with
 * x264, so that two plans (two checkouts, or the cut window against whole boxes) can be compared
 * frame for frame without the encoder's own differences. Run after `npm run bench -- --only c` has
 * generated bench/.work; the work directory is a temporary folder under /tmp:
 *
 *   node --import tsx bench/ref-c-graph-frames.ts OUT.mkv [--whole-boxes]
 *   ffmpeg -i A.mkv -i B.mkv -lavfi '[0:v][1:v]psnr' -f null -      # PSNR of B against A
 *   ffmpeg -v error -i A.mkv -f framemd5 -                          # one MD5 per frame
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateComposition } from '../src/composition/validate-composition.ts';
import { prepareTimeline } from '../src/render/prepare-timeline.ts';
import { planRender } from '../src/render/plan-render.ts';
import { buildFfmpegArgs } from '../src/render/ffmpeg-args.ts';

const WORK = join(new URL('..', import.meta.url).pathname, 'bench', '.work');
const out = process.argv[2];
if (!out || !out.endsWith('.mkv')) {
  console.error('Usage: node --import tsx bench/ref-c-graph-frames.ts OUT.mkv [--whole-boxes]');
  process.exit(2);
}
const { composition } = validateComposition(JSON.parse(readFileSync(join(WORK, 'ref-c.json'), 'utf8')));
const workDir = mkdtempSync('/tmp/ref-c-frames-');
const tl = await prepareTimeline({
  composition, workDir, ffprobePath: 'ffprobe', signal: new AbortController().signal, resolveSrc: async (src: string) => join(WORK, src),
});
const plan = planRender(tl, { outputPath: out, workDir, streams: 'video', wholeBoxes: process.argv.includes('--whole-boxes') });
for (const f of plan.sideFiles) writeFileSync(f.path, f.content);
const args = buildFfmpegArgs(plan).filter((a) => a !== '-progress' && a !== 'pipe:1');
// Everything up to the graph's output as planned, then FFV1 in place of the encoder and muxer.
const at = args.indexOf('[vout]');
const frames = args.indexOf('-frames:v', at);
execFileSync('ffmpeg', [...args.slice(0, at + 1), ...(frames > 0 ? args.slice(frames, frames + 2) : []), '-c:v', 'ffv1', '-f', 'matroska', '-y', out], { stdio: 'inherit' });
console.log(`${out}: ${plan.frames} frames of ${tl.frame.width}×${tl.frame.height} (work files in ${workDir})`);
