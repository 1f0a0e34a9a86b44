import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MontageError } from '../../errors/registry.ts';
import { parseColour, toCssColour, toFfmpegColour } from './parse-colour.ts';

test('parses #rgb, #rrggbb and #rrggbbaa, case-insensitively', () => {
  assert.deepEqual(parseColour('#f80'), { r: 255, g: 136, b: 0, a: 255 });
  assert.deepEqual(parseColour('#FF8800'), { r: 255, g: 136, b: 0, a: 255 });
  assert.deepEqual(parseColour('#000000a0'), { r: 0, g: 0, b: 0, a: 160 });
});

test('spells colours for the canvas as rgba() with alpha 0–1', () => {
  assert.equal(toCssColour('#ff0000'), 'rgba(255, 0, 0, 1)');
  assert.equal(toCssColour('#00ff0080'), 'rgba(0, 255, 0, 0.502)');
  assert.equal(toCssColour('#12345600'), 'rgba(18, 52, 86, 0)');
});

test('spells colours for ffmpeg as 0xRRGGBB@alpha', () => {
  assert.equal(toFfmpegColour('#fff'), '0xFFFFFF@1');
  assert.equal(toFfmpegColour('#1a2b3c00'), '0x1A2B3C@0');
  assert.match(toFfmpegColour('#000000a0'), /^0x000000@0\.62\d*$/);
});

test('every alpha byte survives ffmpeg reading the decimal back (it truncates 255 × alpha)', () => {
  for (let a = 0; a < 256; a++) {
    const hex = `#102030${a.toString(16).padStart(2, '0')}`;
    const alpha = Number(toFfmpegColour(hex).split('@')[1]);
    assert.ok(alpha >= 0 && alpha <= 1, `${hex} → ${alpha}`);
    assert.equal(Math.trunc(255 * alpha), a, `${hex} → ${alpha}`);
  }
});

test('a malformed colour is an invalid composition naming the field', () => {
  assert.throws(() => parseColour('red', '/background'), (e: unknown) => {
    assert.ok(e instanceof MontageError);
    assert.equal(e.code, 'MONTAGE_E_INVALID_COMPOSITION');
    assert.equal(e.problems[0].pointer, '/background');
    assert.match(e.problems[0].detail, /"red" is not a colour/);
    return true;
  });
  assert.throws(() => parseColour('#12345'), MontageError);
});
