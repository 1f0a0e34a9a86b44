/**
 * `montage validate` as a user runs it: exit 2 listing every problem with its JSON Pointer, or
 * exit 0 with the duration, size, frame rate and format (and any warnings). Nothing is rendered.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMontage } from '../support/run-montage.ts';

let dir = '';
before(() => { dir = mkdtempSync(join(tmpdir(), 'montage-cli-validate-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, raw: unknown) => {
  writeFileSync(join(dir, name), typeof raw === 'string' ? raw : JSON.stringify(raw));
  return name;
};
const colour = (start: number, length: number | string) => ({ asset: { type: 'color', color: '#fff' }, start, length });

test('exit 0 with a summary: format, size, frame rate and duration', async () => {
  const file = write('ok.json', { output: { format: 'webm', width: 640, height: 360, fps: 25 }, tracks: [{ clips: [colour(0, 2), colour(1.5, 2)] }] });
  const r = await runMontage(['validate', file], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Valid: webm, 640×360, 25 fps, 3.50 s\n');
  assert.equal(r.stderr, '');
});

test('defaults show in the summary: mp4, 1280×720, 30 fps', async () => {
  const r = await runMontage(['validate', write('defaults.json', { output: {}, tracks: [{ clips: [colour(0, 1)] }] })], { cwd: dir });
  assert.equal(r.code, 0);
  assert.equal(r.stdout, 'Valid: mp4, 1280×720, 30 fps, 1.00 s\n');
});

test('warnings are listed with their pointers, and still exit 0', async () => {
  const file = write('warn.json', { output: { format: 'mp3', poster: { time: 1 } }, tracks: [{ clips: [colour(0, 1)] }] });
  const r = await runMontage(['validate', file], { cwd: dir });
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^  warning \/output\/poster: is ignored: mp3 has no picture$/m);
});

test('exit 2 listing every problem, each with its JSON Pointer and a sentence', async () => {
  const file = write('bad.json', {
    output: { format: 'mp4', width: 333, fps: 90, quality: 'ultra' },
    background: 'blue',
    tracks: [{ clips: [
      { asset: { type: 'image', src: 'a.png' }, start: 0, length: 'auto' },
      { asset: { type: 'txt', text: 'x' }, start: -1, length: 1 },
      { ...colour(0, 1), keyframes: { opacity: [{ time: 1, value: 0 }, { time: 0.5, value: 1 }] } },
    ] }],
  });
  const r = await runMontage(['validate', file], { cwd: dir });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  const pointers = [...r.stderr.matchAll(/^  (\/\S*): (.+)$/gm)].map((m) => [m[1], m[2]]);
  for (const want of ['/output/width', '/output/fps', '/output/quality', '/background', '/tracks/0/clips/0/length',
    '/tracks/0/clips/1/asset/type', '/tracks/0/clips/1/start', '/tracks/0/clips/2/keyframes/opacity/1/time']) {
    const hit = pointers.find(([p]) => p === want);
    assert.ok(hit, `${want} is listed:\n${r.stderr}`);
    assert.ok(hit[1].split(' ').length >= 3, `with a sentence: "${hit[1]}"`);
  }
  assert.match(r.stderr, /did you mean "text"/);
  assert.match(r.stderr, /\[MONTAGE_E_INVALID_COMPOSITION\]/);
  assert.deepEqual(readdirSync(dir).filter((f) => !f.endsWith('.json')), [], 'nothing rendered or written');
});

test('--json: the summary, or the problems, as one JSON object', async () => {
  const ok = await runMontage(['validate', write('j-ok.json', { output: { width: 320, height: 180, fps: 10 }, tracks: [{ clips: [colour(0, 2)] }] }), '--json'], { cwd: dir });
  assert.equal(ok.code, 0);
  assert.deepEqual(JSON.parse(ok.stdout), { valid: true, duration: 2, width: 320, height: 180, fps: 10, format: 'mp4', warnings: [] });
  const bad = await runMontage(['validate', write('j-bad.json', { output: { fps: 0 }, tracks: [{ clips: [colour(0, 2)] }] }), '--json'], { cwd: dir });
  assert.equal(bad.code, 2);
  const j = JSON.parse(bad.stdout);
  assert.equal(j.valid, false);
  assert.deepEqual(j.problems.map((p: { pointer: string }) => p.pointer), ['/output/fps']);
});

test('--merge fills placeholders (a missing one is named, exit 2)', async () => {
  const file = write('merge.json', { output: { width: 320, height: 180, fps: 10 }, tracks: [{ clips: [colour(0, '{{seconds}}')] }] });
  const missing = await runMontage(['validate', file], { cwd: dir });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /seconds/);
  assert.match(missing.stderr, /MONTAGE_E_MISSING_PLACEHOLDER/);
  const filled = await runMontage(['validate', file, '--merge', 'seconds=4.5'], { cwd: dir });
  assert.equal(filled.code, 0, filled.stderr);
  assert.equal(filled.stdout, 'Valid: mp4, 320×180, 10 fps, 4.50 s\n');
});

test('a file that is not JSON, or not there: exit 2 with the reason', async () => {
  const broken = await runMontage(['validate', write('broken.json', '{"output": ')], { cwd: dir });
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /broken\.json is not valid JSON/);
  const absent = await runMontage(['validate', 'absent.json'], { cwd: dir });
  assert.equal(absent.code, 2);
  assert.match(absent.stderr, /Cannot read .*absent\.json/);
  // A comment (JSON has none): where it is, as an editor counts.
  const commented = await runMontage(['validate', write('commented.json', '{\n  "output": {},\n  // the clips\n  "tracks": []\n}')], { cwd: dir });
  assert.equal(commented.code, 2);
  assert.match(commented.stderr, /commented\.json is not valid JSON: .* \(line 3, column 3\)/);
});

test('a file saved with a UTF-8 byte-order mark (as Windows editors do) is read like any other', async () => {
  const composition = { output: { format: 'mp4', width: 320, height: 180, fps: 10 }, tracks: [{ clips: [colour(0, 1)] }] };
  const r = await runMontage(['validate', write('bom.json', `\uFEFF${JSON.stringify(composition)}`)], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Valid: mp4, 320×180, 10 fps, 1.00 s\n');
});

test('a character that no font can draw is a warning naming it; covered scripts are not', async () => {
  const text = (t: string) => ({ output: {}, tracks: [{ clips: [{ asset: { type: 'text', text: t }, start: 0, length: 1 }] }] });
  const r = await runMontage(['validate', write('tofu.json', text('Launch day 🚀 \u{10FFFD}'))], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^ {2}warning \/tracks\/0\/clips\/0\/asset\/text: has a character that no font can draw: "\u{10FFFD}" \(U\+10FFFD\)/mu);
  const ok = await runMontage(['validate', write('scripts.json', text('مرحبا नमस्ते สวัสดี 你好 こんにちは 안녕 שלום 🚀🎉'))], { cwd: dir });
  assert.equal(ok.stdout, 'Valid: mp4, 1280×720, 30 fps, 1.00 s\n');
});

test('every source problem at once, each with its pointer, before any download: missing files, asset:, LAN http, private address, unknown host', async () => {
  const image = (src: string, start: number) => ({ asset: { type: 'image', src }, start, length: 1 });
  const comp = {
    output: { format: 'mp4', width: 160, height: 90 },
    tracks: [{ clips: [image('no-such.png', 0), image('sub/also-missing.jpg', 1), image('asset:ast_1', 2),
      image('http://192.168.1.20/a.png', 3), image('https://10.0.0.5/b.png', 4), image('https://no-such-host.invalid/c.png', 5)] }],
    soundtrack: { src: 'missing.wav' },
  };
  const file = write('sources.json', comp);
  const r = await runMontage(['validate', file], { cwd: dir, env: { MONTAGE_ALLOW_HOSTS: '' } });
  assert.equal(r.code, 2, r.stdout);
  assert.match(r.stderr, /\[MONTAGE_E_UNREACHABLE\]/);
  const at = Object.fromEntries([...r.stderr.matchAll(/^  (\/\S*): (.+)$/gm)].map((m) => [m[1], m[2]]));
  assert.deepEqual(Object.keys(at).sort(), ['/soundtrack/src', ...[0, 1, 2, 3, 4, 5].map((i) => `/tracks/0/clips/${i}/asset/src`)].sort());
  assert.match(at['/tracks/0/clips/0/asset/src']!, new RegExp(`^No file at ${join(dir, 'no-such.png').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\. Paths are relative to the composition file\\.$`));
  assert.match(at['/tracks/0/clips/2/asset/src']!, /only the service can read/);
  assert.match(at['/tracks/0/clips/3/asset/src']!, /plain http .*add 192\.168\.1\.20 to MONTAGE_ALLOW_HOSTS\./);
  assert.match(at['/tracks/0/clips/4/asset/src']!, /10\.0\.0\.5 is not a public address: private\. .*MONTAGE_ALLOW_HOSTS/);
  assert.match(at['/tracks/0/clips/5/asset/src']!, /"no-such-host\.invalid" does not resolve/);

  // The CLI honours MONTAGE_ALLOW_HOSTS like the service: the LAN host is then no problem.
  const allowed = await runMontage(['validate', file, '--json'], { cwd: dir, env: { MONTAGE_ALLOW_HOSTS: '192.168.1.20,10.0.0.0/8' } });
  const j = JSON.parse(allowed.stdout) as { valid: boolean; problems: { pointer: string }[] };
  assert.equal(j.valid, false);
  assert.deepEqual(j.problems.map((p) => p.pointer).sort(), ['/soundtrack/src', '/tracks/0/clips/0/asset/src', '/tracks/0/clips/1/asset/src', '/tracks/0/clips/2/asset/src', '/tracks/0/clips/5/asset/src']);

  // render refuses the same, the same way, before writing anything: exit 2 as validate.
  const rendered = await runMontage(['render', file, '-o', 'never.mp4'], { cwd: dir, env: { MONTAGE_ALLOW_HOSTS: '' } });
  assert.equal(rendered.code, 2);
  assert.match(rendered.stderr, /\/tracks\/0\/clips\/5\/asset\/src: The host name "no-such-host\.invalid" does not resolve/);
  assert.ok(!readdirSync(dir).includes('never.mp4'));
});

test('--probe downloads and probes every source: a damaged image and a text file posing as audio are named with their pointers', async () => {
  const { execFileSync } = await import('node:child_process');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=red:s=32x18', '-frames:v', '1', join(dir, 'good.png')]);
  writeFileSync(join(dir, 'damaged.png'), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]));
  writeFileSync(join(dir, 'notes.wav'), 'these are my notes, not a sound\n');
  writeFileSync(join(dir, 'brand.ttf'), '<!doctype html><title>404</title>');
  const comp = {
    output: { format: 'mp4', width: 160, height: 90 },
    tracks: [{ clips: [{ asset: { type: 'image', src: 'good.png' }, start: 0, length: 1 }, { asset: { type: 'image', src: 'damaged.png' }, start: 1, length: 1 }] }],
    soundtrack: { src: 'notes.wav' },
    fonts: [{ family: 'Brand', src: 'brand.ttf' }],
  };
  const file = write('probe.json', comp);
  const plain = await runMontage(['validate', file], { cwd: dir });
  assert.equal(plain.code, 0, 'without --probe, files that exist pass');
  const probed = await runMontage(['validate', file, '--probe'], { cwd: dir });
  assert.equal(probed.code, 2, probed.stdout);
  assert.match(probed.stderr, /3 sources cannot be used\. \[MONTAGE_E_ASSET_UNREADABLE\]/);
  const pointers = [...probed.stderr.matchAll(/^  (\/\S*): /gm)].map((m) => m[1]);
  assert.deepEqual(pointers, ['/tracks/0/clips/1/asset/src', '/soundtrack/src', '/fonts/0/src']);
  assert.match(probed.stderr, /\/fonts\/0\/src: The font for family "Brand" could not be loaded: the file is not a TTF, OTF, TTC, WOFF or WOFF2 font/);
  const good = await runMontage(['validate', write('probe-good.json', { ...comp, tracks: [{ clips: [comp.tracks[0]!.clips[0]!] }], soundtrack: undefined, fonts: undefined }), '--probe'], { cwd: dir });
  assert.equal(good.code, 0, good.stderr);
});

test('a Shotstack Edit nested 100 000 levels deep: exit 2 naming where it passes 100 levels, not a stack overflow', async () => {
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  const file = write('deep-edit.json', `{"timeline":{"tracks":[{"clips":[{"asset":{"type":"title","text":"hi","x":${deep}},"start":0,"length":1}]}]},"output":{"format":"mp4","resolution":"sd"}}`);
  for (const args of [['validate', file], ['render', file], ['import', 'shotstack', file]]) {
    const r = await runMontage(args, { cwd: dir });
    assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /call stack/);
    assert.match(r.stderr, new RegExp(`^  /timeline/tracks/0/clips/0/asset/x${'/0'.repeat(93)}: nests more than 100 levels deep here; no field of a composition or an Edit is nested that far: flatten it$`, 'm'), args[0]);
  }
});

test('a src that is a device, a named pipe or a directory: exit 2 saying which, not "a directory" for all', async () => {
  const { execFileSync } = await import('node:child_process');
  execFileSync('mkfifo', [join(dir, 'pipe')]);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(dir, 'folder'));
  const clipOf = (src: string) => ({ asset: { type: 'video', src }, start: 0, length: 1 });
  const file = write('special.json', { output: {}, tracks: [{ clips: [clipOf('/dev/zero'), clipOf('pipe'), clipOf('folder')] }] });
  const r = await runMontage(['validate', file], { cwd: dir });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^  \/tracks\/0\/clips\/0\/asset\/src: \/dev\/zero is a device, not a file: point src at a media file\.$/m);
  assert.match(r.stderr, /^  \/tracks\/0\/clips\/1\/asset\/src: \S+\/pipe is a named pipe, not a file/m);
  assert.match(r.stderr, /^  \/tracks\/0\/clips\/2\/asset\/src: \S+\/folder is a directory, not a file/m);
});

test('a Shotstack Edit: a composition rule is named at its path in the Edit, in validate and render, as the HTTP API names it', async () => {
  // Tracks are reversed (the Edit's second track is Montage's first) and the frame size is output.size.
  const file = write('edit-rules.json', {
    timeline: { tracks: [
      { clips: [{ asset: { type: 'title', text: 'x' }, start: 0, length: 1 }] },
      { clips: [{ asset: { type: 'title', text: 'y' }, start: 0, length: 'end' }, { asset: { type: 'title', text: 'z' }, start: 'auto', length: 1 }] },
    ] },
    output: { format: 'mp4', size: { width: 321, height: 180 } },
  });
  for (const command of ['validate', 'render']) {
    const r = await runMontage([command, file, '--json'], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    const line = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { problems: { pointer: string; detail: string }[] };
    assert.deepEqual(line.problems.map((p) => p.pointer).sort(), ['/output/size/width', '/timeline/tracks/1/clips/1/start'], command);
    assert.match(line.problems.find((p) => p.pointer === '/output/size/width')!.detail, /\(Montage's composition field \/output\/width\)$/);
  }
  const plain = await runMontage(['validate', file], { cwd: dir });
  assert.match(plain.stderr, /^  \/timeline\/tracks\/1\/clips\/1\/start: is "auto" after a clip whose length is "end"/m);
});

test('a Shotstack Edit whose merge value reads like a placeholder: valid, the value is text (the Edit is merged once, as Shotstack does)', async () => {
  const file = write('edit-merge-text.json', {
    timeline: { tracks: [{ clips: [{ asset: { type: 'title', text: 'Hi {{ NAME }}' }, start: 0, length: 1 }] }] },
    output: { format: 'mp4', size: { width: 320, height: 180 } },
    merge: [{ find: 'NAME', replace: '{{ BOSS }}' }],
  });
  const r = await runMontage(['validate', file], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const unfilled = await runMontage(['validate', file, '--merge', 'OTHER=1'], { cwd: dir });
  assert.equal(unfilled.code, 0, unfilled.stderr);
});

test('a --merge name with no placeholder is a warning naming it, with the likely name (a typo was dropped without a word)', async () => {
  const file = write('merge-typo.json', {
    output: { format: 'png', width: 64, height: 36 },
    tracks: [{ clips: [{ asset: { type: 'text', text: 'Hi {{name}}' }, start: 0, length: 1 }] }],
    merge: { name: 'World' },
  });
  const plain = await runMontage(['validate', file, '--merge', 'nmae=Ana', '--merge', 'name=Bo'], { cwd: dir });
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /^ {2}warning --merge nmae: no \{\{nmae\}\} placeholder in the composition, so this value is not used: did you mean "name"\?$/m);
  assert.doesNotMatch(plain.stdout, /--merge name:/);
  const json = await runMontage(['validate', file, '--merge', 'nmae=Ana', '--json'], { cwd: dir });
  assert.deepEqual((JSON.parse(json.stdout) as { optionWarnings?: { option: string }[] }).optionWarnings?.map((w) => w.option), ['--merge nmae']);
  const render = await runMontage(['render', file, '-o', `${dir}/merge-typo.png`, '--merge', 'nmae=Ana'], { cwd: dir });
  assert.equal(render.code, 0, render.stderr);
  assert.match(render.stderr, /warning --merge nmae: no \{\{nmae\}\} placeholder/);
});
