// `montage import shotstack` and `montage render` of a Shotstack Edit, run as the real executable.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMontage } from '../support/run-montage.ts';
import { solidImage } from '../support/media-fixtures.ts';
import { decodeFrames, extentOf } from '../support/decoded-pictures.ts';
import { ffmpeg } from '../support/ffmpeg-tools.ts';
import { expectColour } from '../support/picture-asserts.ts';
import { probeOutput } from '../support/probe-output.ts';

const golden = new URL('../golden/shotstack/', import.meta.url).pathname;
let dir: string;
before(() => { dir = mkdtempSync(join(tmpdir(), 'montage-import-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

describe('montage import shotstack', () => {
  it('prints the composition of an Edit, as the golden file has it', async () => {
    const r = await runMontage(['import', 'shotstack', join(golden, 'slideshow.edit.json')], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const expected = JSON.parse(readFileSync(join(golden, 'slideshow.composition.json'), 'utf8'));
    assert.deepEqual(JSON.parse(r.stdout), expected.composition);
    assert.match(r.stderr, /callback \(https:\/\/hooks\.example\.com\/shotstack\) is not part of a composition/);
  });

  it('lists every unsupported field with its path in the Edit and exits 2, writing nothing', async () => {
    const out = join(dir, 'refused.json');
    const r = await runMontage(['import', 'shotstack', join(golden, 'refused.edit.json'), '-o', out], { cwd: dir });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /MONTAGE_E_EDIT_UNSUPPORTED/);
    for (const path of ['output.format', 'timeline.tracks[0].clips[0].asset.type', 'timeline.tracks[0].clips[1].asset.type', 'timeline.tracks[0].clips[2].transform.skew']) {
      assert.ok(r.stderr.includes(`  ${path}: `), `names ${path}`);
    }
    assert.throws(() => readFileSync(out));
  });
});

describe('montage render of a Shotstack Edit', () => {
  it('recognises the Edit, merges --merge values (numbers as numbers) and renders it', async () => {
    await solidImage(dir, 'blue.png', 64, 64, '#0000ff');
    writeFileSync(join(dir, 'edit.json'), JSON.stringify({
      timeline: { background: '#ffffff', tracks: [{ clips: [{ asset: { type: 'image', src: 'blue.png' }, start: 0, length: '{{ LEN }}', fit: 'none', position: 'topLeft' }] }] },
      output: { format: 'mp4', size: { width: 160, height: 90 }, fps: 10 },
    }));
    const r = await runMontage(['render', 'edit.json', '-o', 'edit.mp4', '--merge', 'LEN=1.5'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const probed = await probeOutput(join(dir, 'edit.mp4'));
    assert.ok(Math.abs(Number(probed.format.duration) - 1.5) < 0.15, `duration ${probed.format.duration}`);
    const frame = (await decodeFrames(join(dir, 'edit.mp4')))[2];
    expectColour(frame, 10, 10, '#0000ff', 'the image at the top-left');
    expectColour(frame, 120, 60, '#ffffff', 'the timeline background');
  });
});

describe('montage render of a Shotstack Edit: what the composition has no field for', () => {
  it('fits a local image into its clip box by the size it reads from the file, and plays a GIF once for repeat: false', async () => {
    await ffmpeg('-f', 'lavfi', '-i', 'color=c=red:s=200x100', '-frames:v', '1', join(dir, 'wide.png'));
    const edit = (output: object) => ({
      timeline: { background: '#000000', tracks: [{ clips: [{ asset: { type: 'image', src: 'wide.png' }, start: 0, length: 0.4, width: 80, height: 80, fit: 'contain', position: 'topLeft' }] }] },
      output: { size: { width: 320, height: 180 }, ...output },
    });
    writeFileSync(join(dir, 'box.json'), JSON.stringify(edit({ format: 'png' })));
    const r = await runMontage(['render', 'box.json', '-o', 'box.png'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    // contain: the 2:1 picture is 80 × 40, in the middle of its 80 × 80 box in the top-left corner.
    const red = extentOf((await decodeFrames(join(dir, 'box.png')))[0], (c) => c[0] > 200 && c[1] < 60)!;
    assert.ok(Math.abs(red.y0 - 20) <= 1.5 && Math.abs(red.width - 80) <= 1.5 && Math.abs(red.height - 40) <= 1.5, JSON.stringify(red));
    writeFileSync(join(dir, 'once.json'), JSON.stringify(edit({ format: 'gif', fps: 10, repeat: false })));
    const g = await runMontage(['render', 'once.json', '-o', 'once.gif'], { cwd: dir });
    assert.equal(g.code, 0, g.stderr);
    assert.equal(readFileSync(join(dir, 'once.gif')).indexOf('NETSCAPE2.0'), -1, 'no loop extension: it plays once');
  });
});
