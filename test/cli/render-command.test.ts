/**
 * `montage render` as a user runs it: the real executable, real files, real ffmpeg. Exit codes
 * (0 rendered, 2 invalid and nothing written, 1 failed), the files written and where, progress as
 * JSON lines and on a terminal, `--merge` and the default output name. (`--chunks` is covered by
 * src/render/engine-chunks.test.ts.)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quadrantImage } from '../support/media-fixtures.ts';
import { decodePicture, patch, isColour } from '../support/decoded-pictures.ts';
import { probeOutput } from '../support/probe-output.ts';
import { MONTAGE_BIN, runMontage } from '../support/run-montage.ts';

let dir = '';
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'montage-cli-render-'));
  mkdirSync(join(dir, 'media'));
  await quadrantImage(join(dir, 'media'), 'quad.png', 64, 36);
  writeFileSync(join(dir, 'media', 'corrupt.png'), 'definitely not a PNG\n'.repeat(20));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const TINY = { width: 320, height: 180, fps: 10, quality: 'draft' };
/** Writes a composition file into its own folder (so outputs beside it are easy to list) and returns its path. */
const compositionFile = (name: string, raw: object): string => {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${name}.json`);
  writeFileSync(path, JSON.stringify(raw, null, 2));
  return path;
};
const card = (extra: object = {}, output: object = {}) => ({
  output: { ...TINY, ...output },
  tracks: [{ clips: [{ asset: { type: 'image', src: '../media/quad.png' }, start: 0, length: 1 }] }],
  ...extra,
});

describe('success', () => {
  test('exit 0: writes -o, and the poster and thumbnail beside it as NAME.poster.jpg and NAME.thumbnail.jpg', async () => {
    const file = compositionFile('ok', card({}, { poster: { time: 0.5 }, thumbnail: { time: 0.5, width: 96 } }));
    const r = await runMontage(['render', file, '-o', 'renders/final.mp4'], { cwd: join(dir, 'ok') });
    assert.equal(r.code, 0, r.stderr);
    const out = join(dir, 'ok', 'renders');
    assert.deepEqual(readdirSync(out).sort(), ['final.mp4', 'final.poster.jpg', 'final.thumbnail.jpg']);
    const video = await probeOutput(join(out, 'final.mp4'), { countFrames: true });
    assert.deepEqual([video.video?.codec_name, video.video?.width, video.video?.nb_read_frames], ['h264', 320, '10']);
    assert.equal((await probeOutput(join(out, 'final.poster.jpg'))).video?.width, 320);
    assert.equal((await probeOutput(join(out, 'final.thumbnail.jpg'))).video?.width, 96);
    assert.match(r.stdout, /Wrote .*final\.mp4 \(mp4, 320×180, 1\.00 s/);
    assert.match(r.stdout, /Wrote .*final\.poster\.jpg/);
    assert.match(r.stdout, /Wrote .*final\.thumbnail\.jpg/);
  });

  test('without -o the output is named after the composition file, with the format\'s extension, beside it', async () => {
    const file = compositionFile('named', card({}, { format: 'png', poster: { time: 0 } }));
    const r = await runMontage(['render', file], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(join(dir, 'named', 'named.png')), `named.png beside named.json: ${readdirSync(join(dir, 'named'))}`);
    const webm = compositionFile('named-webm', card({}, { format: 'webm', poster: { time: 0.5 } }));
    assert.equal((await runMontage(['render', webm], { cwd: dir })).code, 0);
    assert.deepEqual(readdirSync(join(dir, 'named-webm')).sort(), ['named-webm.json', 'named-webm.poster.jpg', 'named-webm.webm']);
  });

  test('--merge KEY=VALUE overrides the composition\'s merge (the pixels change)', async () => {
    const file = compositionFile('merge', {
      output: { ...TINY, format: 'png' },
      tracks: [{ clips: [{ asset: { type: 'color', color: '{{colour}}' }, start: 0, length: '{{seconds}}' }] }],
      merge: { colour: '#ff0000', seconds: 1 },
    });
    const own = await runMontage(['render', file, '-o', 'own.png'], { cwd: join(dir, 'merge') });
    assert.equal(own.code, 0, own.stderr);
    assert.ok(isColour(patch(await decodePicture(join(dir, 'merge', 'own.png')), 160, 90), '#ff0000', 4), 'the file\'s own merge: red');
    const merged = await runMontage(['render', file, '-o', 'merged.png', '--merge', 'colour=#0000ff', '--merge', 'seconds=2'], { cwd: join(dir, 'merge') });
    assert.equal(merged.code, 0, merged.stderr);
    assert.ok(isColour(patch(await decodePicture(join(dir, 'merge', 'merged.png')), 160, 90), '#0000ff', 4), 'overridden: blue');
  });

  test('--json prints progress and the result as JSON lines', async () => {
    const file = compositionFile('json', card({}, { poster: { time: 0.2 } }));
    const r = await runMontage(['render', file, '--json', '-o', 'j.mp4'], { cwd: join(dir, 'json') });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const progress = lines.filter((l) => l.type === 'progress');
    assert.ok(progress.length >= 3, `${progress.length} progress lines`);
    for (const p of progress) {
      assert.ok(['preparing', 'rendering', 'finalizing'].includes(p.stage), p.stage);
      assert.ok(p.fraction >= 0 && p.fraction <= 1);
    }
    const fractions = progress.map((p) => p.fraction);
    assert.deepEqual(fractions, [...fractions].sort((a, b) => a - b), 'never goes backwards');
    assert.equal(fractions[fractions.length - 1], 1);
    const done = lines[lines.length - 1];
    assert.equal(done.type, 'done');
    assert.equal(done.outputs.video.path, join(dir, 'json', 'j.mp4'));
    assert.equal(done.outputs.poster.path, join(dir, 'json', 'j.poster.jpg'));
    assert.equal(done.summary.duration, 1);
    assert.equal(r.stderr, '', 'nothing on stderr');
  });

  test('on a terminal, a progress bar with the percentage and the time left', async (t) => {
    try {
      execFileSync('script', ['--version'], { stdio: 'ignore' });
    } catch {
      t.skip('util-linux script is not installed');
      return;
    }
    const file = compositionFile('tty', card());
    // `script` gives the command a pseudo-terminal; its transcript (stdout and stderr) is printed.
    const command = `'${process.execPath}' '${MONTAGE_BIN}' render '${file}' -o '${join(dir, 'tty', 'tty.mp4')}'`;
    const transcript = execFileSync('script', ['-qec', command, '/dev/null'], { cwd: dir, encoding: 'utf8' });
    assert.match(transcript, /\r(preparing|rendering|finalizing) +\[[█░]{30}\] +\d+%  (\d+:\d\d|--:--) left/, JSON.stringify(transcript.slice(0, 300)));
    assert.match(transcript, /\[█{30}\] 100%/, 'reaches 100 %');
    assert.match(transcript, /\r\x1b\[2K/, 'and clears the line when done');
    assert.match(transcript, /Wrote .*tty\.mp4/);
    assert.ok(!transcript.includes('"type":"progress"'), 'no JSON on a terminal');
  });

  test('without a terminal and without --json, no progress bar', async () => {
    const file = compositionFile('pipe', card());
    const r = await runMontage(['render', file, '-o', 'p.mp4'], { cwd: join(dir, 'pipe') });
    assert.equal(r.code, 0);
    assert.ok(!r.stderr.includes('%'), `stderr: ${r.stderr}`);
  });
});

describe('-o and the format', () => {
  test('a composition without output.format takes it from a known -o extension: -o preview.gif writes a GIF', async () => {
    const file = compositionFile('ext-gif', card());
    const r = await runMontage(['render', file, '-o', 'preview.gif'], { cwd: join(dir, 'ext-gif') });
    assert.equal(r.code, 0, r.stderr);
    const probed = await probeOutput(join(dir, 'ext-gif', 'preview.gif'));
    assert.deepEqual([probed.format?.format_name, probed.video?.codec_name], ['gif', 'gif']);
    assert.match(r.stdout, /Wrote .*preview\.gif \(gif, /);
  });

  test('-o master.mov without output.format writes a mov (ProRes), not an H.264 MP4 named .mov', async () => {
    const file = compositionFile('ext-mov', card());
    const r = await runMontage(['render', file, '-o', 'master.mov'], { cwd: join(dir, 'ext-mov') });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await probeOutput(join(dir, 'ext-mov', 'master.mov'))).video?.codec_name, 'prores');
    assert.match(r.stdout, /Wrote .*master\.mov \(mov, /);
    const pinned = compositionFile('ext-mov-clash', card({}, { format: 'mp4' }));
    const clash = await runMontage(['render', pinned, '-o', 'master.mov'], { cwd: join(dir, 'ext-mov-clash') });
    assert.equal(clash.code, 2);
    assert.match(clash.stderr, /output\.format is "mp4", but -o master\.mov names a mov file\./);
  });

  test('a composition that pins mp4 and -o preview.gif: exit 2 naming both, nothing written', async () => {
    const file = compositionFile('ext-clash', card({}, { format: 'mp4' }));
    const r = await runMontage(['render', file, '-o', 'preview.gif'], { cwd: join(dir, 'ext-clash') });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /output\.format is "mp4", but -o preview\.gif names a gif file\./);
    assert.match(r.stderr, /^  \/output\/format: Is "mp4" while -o names a gif file\. Give -o a \.mp4 name, or set output\.format to "gif"\.$/m);
    assert.deepEqual(readdirSync(join(dir, 'ext-clash')), ['ext-clash.json']);
  });

  test('-o naming a folder (an existing one, or a new path ending in /) writes the default name inside it', async () => {
    const file = compositionFile('to-folder', card({}, { format: 'png' }));
    mkdirSync(join(dir, 'to-folder', 'stills'));
    const existing = await runMontage(['render', file, '-o', 'stills'], { cwd: join(dir, 'to-folder') });
    assert.equal(existing.code, 0, existing.stderr);
    assert.deepEqual(readdirSync(join(dir, 'to-folder', 'stills')), ['to-folder.png']);
    assert.match(existing.stdout, /Wrote .*stills\/to-folder\.png \(png, 320×180,/);
    const fresh = await runMontage(['render', file, '-o', 'later/'], { cwd: join(dir, 'to-folder') });
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.deepEqual(readdirSync(join(dir, 'to-folder', 'later')), ['to-folder.png']);
    assert.equal((await probeOutput(join(dir, 'to-folder', 'later', 'to-folder.png'))).video?.width, 320);
  });
});

describe('options a format cannot use are said, never ignored silently', () => {
  test('--chunks 2 on a gif, png or wav: a warning naming --chunks and why, and the whole output still written', async () => {
    for (const format of ['gif', 'png', 'wav']) {
      const name = `chunks-${format}`;
      const file = compositionFile(name, card({}, { format, duration: 1 }));
      const r = await runMontage(['render', file, '--chunks', '2'], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`^warning --chunks: ignored for ${format} output: rendered in one process, because .+ Only mp4, webm, mov are rendered in chunks\\.$`, 'm'));
      const probed = await probeOutput(join(dir, name, `${name}.${format}`), { countFrames: true });
      if (format === 'gif') assert.equal(probed.video?.nb_read_frames, '10', 'every frame of the GIF');
      if (format === 'png') assert.equal(probed.video?.width, 320);
      if (format === 'wav') assert.ok(Math.abs(Number(probed.format?.duration) - 1) < 0.01, `the whole second of sound: ${probed.format?.duration}`);
    }
  });

  test('--json: the warnings ride on the result line (--cache on a gif too); mp4 with --chunks 2 gives none', async () => {
    const gif = compositionFile('chunks-json-gif', card({}, { format: 'gif' }));
    const r = await runMontage(['render', gif, '--chunks', '2', '--cache', join(dir, 'chunks-json-cache'), '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const done = r.stdout.trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.type === 'done');
    assert.deepEqual(done.warnings.map((w: { option: string }) => w.option), ['--chunks', '--cache']);
    assert.match(done.warnings[1].detail, /^ignored for gif output: pieces are cached for mp4, webm only/);
    assert.match(done.warnings[0].detail, /^ignored for gif output/);
    const mp4 = compositionFile('chunks-json-mp4', card({}, { format: 'mp4' }));
    const m = await runMontage(['render', mp4, '--chunks', '2', '--json'], { cwd: dir });
    assert.equal(m.code, 0, m.stderr);
    const mdone = m.stdout.trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.type === 'done');
    assert.equal(mdone.warnings, undefined);
    assert.doesNotMatch(m.stderr, /warning --chunks/);
  });
});

describe('the summary line says what the output holds', () => {
  test('wav: no frame size; png: no duration; each as ffprobe finds the file', async () => {
    const cases = [
      { name: 'sum-wav', format: 'wav', want: /Wrote .*sum-wav\.wav \(wav, 1\.00 s, \d+\.\d\d MB\) in / },
      { name: 'sum-png', format: 'png', want: /Wrote .*sum-png\.png \(png, 320×180, \d+\.\d\d MB\) in / },
    ];
    for (const c of cases) {
      const file = compositionFile(c.name, { output: { ...TINY, format: c.format }, tracks: [{ clips: [{ asset: { type: 'color', color: '#208040' }, start: 0, length: 1 }] }] });
      const r = await runMontage(['render', file], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, c.want);
      const probed = await probeOutput(join(dir, c.name, `${c.name}.${c.format}`));
      if (c.format === 'wav') assert.deepEqual([probed.video, probed.audio?.codec_name?.startsWith('pcm')], [undefined, true]);
      else assert.deepEqual([probed.video?.width, probed.audio], [320, undefined]);
    }
  });
});

describe('invalid composition: exit 2, every problem with its pointer and a sentence, nothing written', () => {
  test('schema and semantic problems', async () => {
    const file = compositionFile('invalid', {
      output: { ...TINY, width: 321, poster: { time: 0.5 } },
      tracks: [{ clips: [{ asset: { type: 'image', src: '../media/quad.png' }, start: 0, length: -1, opactiy: 0.5 }] }],
    });
    const r = await runMontage(['render', file, '-o', 'never.mp4'], { cwd: join(dir, 'invalid') });
    assert.equal(r.code, 2);
    for (const pointer of ['/output/width', '/tracks/0/clips/0/length', '/tracks/0/clips/0/opactiy']) {
      assert.match(r.stderr, new RegExp(`^  ${pointer}: \\w.{10,}`, 'm'), `${pointer} with a sentence in:\n${r.stderr}`);
    }
    assert.match(r.stderr, /did you mean "opacity"/);
    assert.deepEqual(readdirSync(join(dir, 'invalid')), ['invalid.json'], 'nothing written');
  });

  test('a missing placeholder, named', async () => {
    const file = compositionFile('missing-merge', card({}, { quality: '{{q}}' }));
    const r = await runMontage(['render', file], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\bq\b/);
    assert.match(r.stderr, /MONTAGE_E_MISSING_PLACEHOLDER/);
    assert.deepEqual(readdirSync(join(dir, 'missing-merge')), ['missing-merge.json']);
  });

  test('a file that is not JSON', async () => {
    mkdirSync(join(dir, 'not-json'));
    writeFileSync(join(dir, 'not-json', 'not-json.json'), '{"output": {');
    const r = await runMontage(['render', 'not-json/not-json.json'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not valid JSON/);
    assert.deepEqual(readdirSync(join(dir, 'not-json')), ['not-json.json']);
  });

  test('--json reports the problems as one JSON line', async () => {
    const file = compositionFile('invalid-json', { output: { ...TINY, fps: 0 }, tracks: [] });
    const r = await runMontage(['render', file, '--json'], { cwd: dir });
    assert.equal(r.code, 2);
    const line = JSON.parse(r.stdout.trim());
    assert.equal(line.type, 'error');
    assert.equal(line.code, 'MONTAGE_E_INVALID_COMPOSITION');
    assert.deepEqual(line.problems.map((p: { pointer: string }) => p.pointer).sort(), ['/output/fps', '/tracks']);
  });
});

describe('render failure: exit 1 with an actionable message, nothing left behind', () => {
  test('a missing local file is found before rendering (exit 2, as validate): the pointer and the path it looked for', async () => {
    const file = compositionFile('missing-file', { ...card(), tracks: [{ clips: [{ asset: { type: 'image', src: 'no-such.png' }, start: 0, length: 1 }] }] });
    const r = await runMontage(['render', file, '-o', 'x.mp4'], { cwd: join(dir, 'missing-file') });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\/tracks\/0\/clips\/0\/asset\/src: No file at .*no-such\.png\. Paths are relative to the composition file\./);
    assert.deepEqual(readdirSync(join(dir, 'missing-file')), ['missing-file.json']);
  });

  test('a corrupt media file: unreadable, with what to do', async () => {
    const file = compositionFile('corrupt', { ...card({}, { poster: { time: 0 } }), tracks: [{ clips: [{ asset: { type: 'image', src: '../media/corrupt.png' }, start: 0, length: 1 }] }] });
    const r = await runMontage(['render', file, '-o', 'x.mp4'], { cwd: join(dir, 'corrupt') });
    assert.equal(r.code, 1);
    // ffprobe finds a PNG with no decodable picture: refused as damaged, with what to do about it.
    assert.match(r.stderr, /MONTAGE_E_ASSET_(UNREADABLE|UNSUPPORTED)/);
    assert.match(r.stderr, /\/tracks\/0\/clips\/0\/asset\/src: (has no decodable picture \(damaged.*re-encode it|is not a readable media file: check)/);
    assert.deepEqual(readdirSync(join(dir, 'corrupt')), ['corrupt.json']);
  });

  test('an asset: source, which only the service can read', async () => {
    const file = compositionFile('asset-src', { ...card(), tracks: [{ clips: [{ asset: { type: 'image', src: 'asset:abc123' }, start: 0, length: 1 }] }] });
    const r = await runMontage(['render', file], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /only the service can read\. Use a local path or an https URL with the CLI\./);
  });

  test('a failed render leaves what was at -o (an earlier output) as it was, and no staging folder', async () => {
    const file = compositionFile('keeps-earlier', { ...card(), tracks: [{ clips: [{ asset: { type: 'image', src: '../media/corrupt.png' }, start: 0, length: 1 }] }] });
    const folder = join(dir, 'keeps-earlier');
    writeFileSync(join(folder, 'x.mp4'), 'an earlier render');
    const r = await runMontage(['render', file, '-o', 'x.mp4'], { cwd: folder });
    assert.equal(r.code, 1);
    assert.equal(readFileSync(join(folder, 'x.mp4'), 'utf8'), 'an earlier render');
    assert.deepEqual(readdirSync(folder).sort(), ['keeps-earlier.json', 'x.mp4']);
  });

  test('-o naming one of the composition\'s own sources: the source is read whole, then replaced by the output', async () => {
    const file = compositionFile('own-source', { output: TINY, tracks: [{ clips: [{ asset: { type: 'video', src: 'in.mp4' }, start: 0, length: 1 }] }] });
    const folder = join(dir, 'own-source');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=320x180:r=10:d=1', '-pix_fmt', 'yuv420p', join(folder, 'in.mp4')]);
    const r = await runMontage(['render', file, '-o', 'in.mp4'], { cwd: folder });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(isColour(patch(await decodePicture(join(folder, 'in.mp4')), 160, 90), [255, 0, 0], 40), 'the output, red, is at in.mp4');
    assert.deepEqual(readdirSync(folder).sort(), ['in.mp4', 'own-source.json']);
  });

  test('a reader that goes away (`--json | head -1`): the render goes on, writes its file and exits 0', async () => {
    const comp = compositionFile('closed-pipe', card({}, { fps: 30 }));
    const out = join(dir, 'closed-pipe', 'out.mp4');
    const child = spawn(process.execPath, [MONTAGE_BIN, 'render', comp, '-o', out, '--json', '--chunks', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    // Reads the first line of progress, then closes its end, as `head -1` does.
    child.stdout.once('data', () => child.stdout.destroy());
    const [code] = await once(child, 'close');
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /EPIPE|Unhandled/);
    assert.equal((await probeOutput(out, { countFrames: true })).video?.nb_read_frames, '30');
  });

  for (const [signal, exit] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    test(`${signal} during a render (Ctrl-C): every ffmpeg stopped, no scratch or staging folder left, exit ${exit}`, async () => {
      // 60 s of a zooming title at quality high: many seconds of ffmpeg work on the 2-core machine.
      const folder = join(dir, `stopped-${signal}`);
      const file = compositionFile(`stopped-${signal}`, {
        output: { format: 'mp4', width: 640, height: 360, fps: 30, quality: 'high' },
        tracks: [{ clips: [{ asset: { type: 'text', text: 'Stop me' }, start: 0, length: 60, effect: 'zoomIn' }] }],
      });
      const scratch = join(folder, 'tmp');
      mkdirSync(scratch);
      const child = spawn(process.execPath, [MONTAGE_BIN, 'render', file, '-o', 'out/video.mp4', '--json', '--chunks', '1'], {
        cwd: folder, env: { ...process.env, TMPDIR: scratch }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.setEncoding('utf8');
      await new Promise<void>((resolve) => child.stdout.on('data', (d: string) => {
        stdout += d;
        if (/"stage":"rendering","fraction":0\.[1-9]/.test(stdout)) resolve();
      }));
      const ffmpegs = () => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('ffmpeg') && l.includes(folder));
      assert.ok(ffmpegs().length > 0, 'ffmpeg was rendering when the signal came');
      child.kill(signal);
      const [code] = await once(child, 'close');
      assert.equal(code, exit);
      const last = JSON.parse(stdout.trim().split('\n').pop()!);
      assert.equal(last.code, 'MONTAGE_E_RENDER_CANCELED');
      assert.match(last.message, new RegExp(`Stopped by ${signal}`));
      await new Promise((r) => setTimeout(r, 1500)); // past run-ffmpeg's SIGKILL grace
      assert.deepEqual(ffmpegs(), [], 'no ffmpeg of this render runs on');
      assert.deepEqual(readdirSync(join(folder, 'out')), [], 'no staging folder, no partial output');
      assert.deepEqual(readdirSync(scratch).filter((n) => n.startsWith('montage-')), [], 'no scratch folder'); // tsx keeps its cache there too
    });
  }

  test('ffmpeg missing: says how to install it or point MONTAGE_FFMPEG at it', async () => {
    const file = compositionFile('no-ffmpeg', { output: TINY, tracks: [{ clips: [{ asset: { type: 'color', color: '#fff' }, start: 0, length: 1 }] }] });
    const r = await runMontage(['render', file, '--json'], { cwd: dir, env: { MONTAGE_FFMPEG: join(dir, 'no-ffmpeg-here') } });
    assert.equal(r.code, 1);
    const line = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.equal(line.code, 'MONTAGE_E_FFMPEG_MISSING');
    assert.match(line.message, /apt-get install ffmpeg|MONTAGE_FFMPEG/);
    assert.deepEqual(readdirSync(join(dir, 'no-ffmpeg')), ['no-ffmpeg.json']);
  });
});
