import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRenderEngine } from './engine.ts';
import { filterThreadsOf, graphThreads } from './filter-threads.ts';
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

test('a render\'s graph threads: the operator\'s threads where set, else the share among every ffmpeg of the renders at once', () => {
  assert.equal(graphThreads({}, 1, 16), undefined, 'a lone render keeps ffmpeg\'s default');
  assert.equal(graphThreads({}, 2, 16), 8);
  assert.equal(graphThreads({ rendersAtOnce: 2 }, 1, 16), 8);
  assert.equal(graphThreads({ rendersAtOnce: 2 }, 2, 16), 4);
  assert.equal(graphThreads({ threads: 3, rendersAtOnce: 4 }, 2, 16), 3, 'MONTAGE_FFMPEG_THREADS wins');
});

test('a plan\'s filter threads reach the command line, as a global option before the graph', () => {
  const plan: RenderPlan = { inputs: [], filterGraph: 'nullsrc[vout]', graphPath: '/w/g.txt', outputArgs: ['-map', '[vout]', '/w/o.mp4'], outputPath: '/w/o.mp4', sideFiles: [], duration: 1 };
  const args = buildFfmpegArgs({ ...plan, filterThreads: 1 });
  const at = args.indexOf('-filter_complex_threads');
  assert.ok(at >= 0 && args[at + 1] === '1' && at < args.indexOf('-filter_complex_script'));
  assert.ok(!buildFfmpegArgs(plan).includes('-filter_complex_threads'), 'unset: ffmpeg\'s default');
});

test('real renders: parts get their share of filter threads, so do renders at once; MONTAGE_FFMPEG_THREADS (job.threads) bounds a lone process\'s graph', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'montage-fthreads-'));
  try {
    // A wrapper that logs each ffmpeg's arguments, one file per process, then runs the real one.
    const log = join(dir, 'log');
    mkdirSync(log);
    const wrapper = join(dir, 'ffmpeg.sh');
    writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$@" > "${log}/$$.args"\nexec ffmpeg "$@"\n`);
    chmodSync(wrapper, 0o755);
    const engine = createRenderEngine({ ffmpegPath: wrapper, ffprobePath: 'ffprobe' });
    const { composition } = engine.validate({
      output: { width: 160, height: 90, fps: 30, quality: 'draft' },
      tracks: [{ clips: [{ asset: { type: 'shape', shape: 'rectangle', fill: '#ff0000', width: 80, height: 40 }, start: 0, length: 4, keyframes: { scale: [{ time: 0, value: 1 }, { time: 4, value: 0.5 }] } }] }],
    });
    const run = async (name: string, job: { chunks?: number; threads?: number; rendersAtOnce?: number }) => {
      rmSync(log, { recursive: true, force: true });
      mkdirSync(log);
      const outputPath = join(dir, `${name}.mp4`);
      await engine.render({ composition, workDir: mkdtempSync(join(dir, 'w-')), outputPath, resolveSrc: async (s) => s, ...job });
      const frames = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', outputPath]).toString().trim();
      assert.equal(frames, '120', `${name}: every frame rendered`);
      // The graph-running processes (the join and sidecars have no graph script).
      return readdirSync(log).map((f) => readFileSync(join(log, f), 'utf8').split('\n'))
        .filter((a) => a.includes('-filter_complex_script') && a.some((x) => x.includes('part-') || x.endsWith('.mp4')));
    };
    const threadsOf = (a: string[]) => (a.includes('-filter_complex_threads') ? a[a.indexOf('-filter_complex_threads') + 1] : undefined);
    const parts = (await run('chunked', { chunks: 2 })).filter((a) => a.some((x) => /part-\d+\.mp4$/.test(x)));
    assert.equal(parts.length, 2);
    for (const a of parts) assert.equal(threadsOf(a), String(filterThreadsOf(availableParallelism(), 2) ?? ''), 'each part its share');
    const lone = await run('lone', { chunks: 1 });
    assert.equal(lone.length, 1);
    assert.equal(threadsOf(lone[0]), undefined, 'a process alone keeps ffmpeg\'s default');
    const bounded = await run('bounded', { chunks: 1, threads: 1 });
    assert.equal(threadsOf(bounded[0]), '1');
    assert.equal(bounded[0][bounded[0].indexOf('-threads') + 1], '1', 'and the encoder the same');
    // A worker running 2 renders at once (MONTAGE_WORKER_CONCURRENCY=2): each render's graph its
    // share, its encoder left to ffmpeg; chunked, each part its share of that share.
    const cores = availableParallelism();
    const shared = await run('shared', { chunks: 1, rendersAtOnce: 2 });
    assert.equal(threadsOf(shared[0]), String(filterThreadsOf(cores, 2)), 'a render among 2 at once: its share');
    assert.ok(!shared[0].includes('-threads'), 'the encoder keeps ffmpeg\'s default');
    const sharedParts = (await run('shared-chunked', { chunks: 2, rendersAtOnce: 2 })).filter((a) => a.some((x) => /part-\d+\.mp4$/.test(x)));
    assert.equal(sharedParts.length, 2);
    for (const a of sharedParts) assert.equal(threadsOf(a), String(filterThreadsOf(cores, 4)), 'a part of a render among 2 at once');
    assert.equal(threadsOf((await run('shared-bounded', { chunks: 1, threads: 1, rendersAtOnce: 4 }))[0]), '1', 'job.threads wins');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
