import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterThreadsOf } from './filter-threads.ts';
import { buildFfmpegArgs } from './ffmpeg-args.ts';
import type { RenderPlan } from './plan-render.ts';

test('processes sharing the cores get their share of filter threads; a process alone keeps ffmpeg\'s default', () => {
  assert.equal(filterThreadsOf(2, 2), 1);
  assert.equal(filterThreadsOf(2, 3), 1, 'more processes than cores: one each, never none');
  assert.equal(filterThreadsOf(16, 2), 8);
  assert.equal(filterThreadsOf(16, 4), 4);
  assert.equal(filterThreadsOf(16, 1), undefined);
  assert.equal(filterThreadsOf(2, 1), undefined);
});

test('a plan\'s filter threads reach the command line, as a global option before the graph', () => {
  const plan: RenderPlan = { inputs: [], filterGraph: 'nullsrc[vout]', graphPath: '/w/g.txt', outputArgs: ['-map', '[vout]', '/w/o.mp4'], outputPath: '/w/o.mp4', sideFiles: [], duration: 1 };
  const args = buildFfmpegArgs({ ...plan, filterThreads: 1 });
  const at = args.indexOf('-filter_complex_threads');
  assert.ok(at >= 0 && args[at + 1] === '1' && at < args.indexOf('-filter_complex_script'));
  assert.ok(!buildFfmpegArgs(plan).includes('-filter_complex_threads'), 'unset: ffmpeg\'s default');
});
