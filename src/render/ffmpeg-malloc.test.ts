import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FFMPEG_MALLOC_TUNABLES, ffmpegEnv } from './ffmpeg-malloc.ts';
import { runFfmpeg } from './run-ffmpeg.ts';

test('an ffmpeg child gets the malloc tunables; ones the operator set are kept as set', () => {
  const ours = Object.entries(FFMPEG_MALLOC_TUNABLES).map(([k, v]) => `${k}=${v}`).join(':');
  assert.equal(ffmpegEnv({ PATH: '/bin' }).GLIBC_TUNABLES, ours);
  assert.equal(ffmpegEnv({ PATH: '/bin' }).PATH, '/bin', 'the rest of the environment is passed on');
  const own = ffmpegEnv({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0:glibc.malloc.arena_max=2' }).GLIBC_TUNABLES!.split(':');
  assert.deepEqual(own.slice(0, 2), ['glibc.malloc.hugetlb=0', 'glibc.malloc.arena_max=2']);
  assert.equal(own.filter((t) => t.startsWith('glibc.malloc.hugetlb=')).length, 1, 'the operator\'s hugetlb only');
  assert.ok(!ffmpegEnv({}).GLIBC_TUNABLES!.includes('hugetlb'), 'no huge pages unless the operator asks');
  assert.ok(own.includes(`glibc.malloc.trim_threshold=${FFMPEG_MALLOC_TUNABLES['glibc.malloc.trim_threshold']}`));
});

test('runFfmpeg starts its child with them', async () => {
  // A shell in ffmpeg's place writes the environment it was given (the one place that spawns ffmpeg).
  const dir = mkdtempSync(join(tmpdir(), 'ffmpeg-malloc-'));
  try {
    const out = join(dir, 'env.txt');
    await runFfmpeg({ ffmpegPath: 'sh', args: ['-c', `printf %s "$GLIBC_TUNABLES" > ${out}`], durationSeconds: 0 });
    assert.equal(readFileSync(out, 'utf8'), ffmpegEnv(process.env).GLIBC_TUNABLES);
    assert.match(readFileSync(out, 'utf8'), /glibc\.malloc\.mmap_threshold=/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
