/**
 * Golden plans: a render plan as a readable text (the ffmpeg command line, one filter chain per
 * line, the side files) compared with its file in test/golden/plans. Accept a reviewed change with
 * `UPDATE_GOLDEN=1 node scripts/run-tests.mjs <the golden test>`.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { buildFfmpegArgs } from '../../src/render/ffmpeg-args.ts';
import type { RenderPlan } from '../../src/render/plan-render.ts';

/** `sideFiles: false` leaves the side files out; binary side files show as their size and hash. */
export const describePlan = (p: RenderPlan, opts: { readonly sideFiles?: boolean } = {}): string => [
  `# ffmpeg ${buildFfmpegArgs(p).join(' ')}`,
  '',
  ...p.filterGraph.split(/;\n?/).filter(Boolean).map((l) => `${l.trim()};`),
  ...(opts.sideFiles === false ? [] : p.sideFiles.filter((f) => f.path !== p.graphPath).flatMap((f) => ['', `## ${f.path}`,
    typeof f.content === 'string' ? f.content.trimEnd() : `(${f.content.length} bytes, sha256 ${createHash('sha256').update(f.content).digest('hex').slice(0, 16)})`])),
  '',
].join('\n');

/** Compares `text` with test/golden/plans/NAME.txt (writing it when absent or with UPDATE_GOLDEN set). */
export const expectGoldenPlan = (name: string, text: string): void => {
  const file = new URL(`../golden/plans/${name}.txt`, import.meta.url);
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) writeFileSync(file, text);
  assert.equal(text, readFileSync(file, 'utf8'), `plan ${name} changed: see test/golden/plans/${name}.txt (UPDATE_GOLDEN=1 to accept)`);
};
