/**
 * `montage render --timeout`: a render that runs past its limit is stopped, every ffmpeg it started
 * is gone when the command exits, nothing is left beside the output, and the message names the
 * limit and the fix (exit 1, MONTAGE_E_RENDER_TIMEOUT). A bad value is refused before any work.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quadrantImage } from '../support/media-fixtures.ts';
import { MONTAGE_BIN, runMontage } from '../support/run-montage.ts';
import { runningProcessesMentioning } from '../support/running-processes.ts';
import { slowComposition } from '../support/slow-composition.ts';

let dir = '';
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'montage-cli-timeout-'));
  await quadrantImage(dir, 'quad.png', 64, 36);
  writeFileSync(join(dir, 'slow.json'), JSON.stringify(slowComposition('quad.png')));
  writeFileSync(join(dir, 'tiny.json'), JSON.stringify({
    output: { format: 'mp4', width: 320, height: 180, fps: 10, quality: 'draft' },
    tracks: [{ clips: [{ asset: { type: 'image', src: 'quad.png' }, start: 0, length: 1 }] }],
  }));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('montage render --timeout', () => {
  test('past the limit: exit 1 with MONTAGE_E_RENDER_TIMEOUT naming the limit and the fix; no ffmpeg left running, no output, no scratch beside it', async () => {
    const out = join(dir, 'out-slow');
    mkdirSync(out);
    const child = spawn(process.execPath, [MONTAGE_BIN, 'render', join(dir, 'slow.json'), '-o', join(out, 'slow.mp4'), '--timeout', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const exited = new Promise<number | null>((ok) => child.on('close', (code) => ok(code)));
    // The render's ffmpeg, seen while it runs (its command line names the output's folder).
    let seen: number[] = [];
    let running = true;
    void exited.then(() => { running = false; });
    while (running && seen.length === 0) {
      seen = runningProcessesMentioning(out, ['ffmpeg']).map((p) => p.pid);
      await new Promise((ok) => setTimeout(ok, 20));
    }
    const seenAt = Date.now();
    const code = await exited;
    const stoppedMs = Date.now() - seenAt;
    assert.ok(seen.length > 0, `the render's ffmpeg was never seen running; stderr: ${stderr}`);
    assert.equal(code, 1, stderr);
    assert.match(stderr, /MONTAGE_E_RENDER_TIMEOUT/);
    assert.match(stderr, /time limit of 1 s \(--timeout 1/);
    assert.match(stderr, /Simplify the composition .* or raise --timeout/);
    assert.ok(stoppedMs < 10_000, `stopped ${stoppedMs} ms after its ffmpeg started (limit 1 s, then SIGTERM and SIGKILL 1 s later)`);
    assert.deepEqual(runningProcessesMentioning(out), [], 'no ffmpeg or ffprobe of the render outlives it');
    assert.deepEqual(readdirSync(out), [], 'no output and no staging folder left');
  });

  test('within the limit the render is written as usual', async () => {
    const r = await runMontage(['render', join(dir, 'tiny.json'), '-o', join(dir, 'tiny.mp4'), '--timeout', '5m+20x'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(join(dir, 'tiny.mp4')));
  });

  test('a value that is not a limit is refused before any work (exit 2), saying what is expected', async () => {
    const r = await runMontage(['render', join(dir, 'tiny.json'), '-o', join(dir, 'never.mp4'), '--timeout', 'soon'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--timeout soon: expected a duration/);
    assert.ok(!existsSync(join(dir, 'never.mp4')));
  });
});
