/** The warning for a text animation whose in and out overlap: it names the seconds as a person writes them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateComposition } from './validate-composition.ts';

const comp = (length: number, animation: object) => ({
  output: { width: 320, height: 180 },
  tracks: [{ clips: [{ asset: { type: 'text', text: 'Hi', animation }, start: 0, length }] }],
});

test('in and out that outlast the clip are one warning, with the seconds written plainly', () => {
  const { warnings } = validateComposition(comp(3.3, { in: { style: 'fade', duration: 2.1 }, out: { style: 'blur', duration: 1.3 } }));
  assert.equal(warnings.length, 1, JSON.stringify(warnings));
  assert.equal(warnings[0].pointer, '/tracks/0/clips/0/asset/animation');
  assert.match(warnings[0].detail, /^plays in and out for 3\.4 s in a clip of 3\.3 s, so they overlap/);
});

test('in and out that fit the clip are no warning', () => {
  assert.deepEqual(validateComposition(comp(1.2, { in: { style: 'fade' }, out: { style: 'fade' } })).warnings, []);
});

test('an in or an out alone that outlasts the clip is a warning: its last units would never arrive (or leave)', () => {
  // 800 meant as milliseconds: only the first letters would ever show.
  const { warnings } = validateComposition(comp(3, { in: { style: 'typewriter', duration: 800 } }));
  assert.equal(warnings.length, 1, JSON.stringify(warnings));
  assert.equal(warnings[0].pointer, '/tracks/0/clips/0/asset/animation/in/duration');
  assert.match(warnings[0].detail, /^is 800 s, longer than the clip \(3 s\): the text is never all in; durations are in seconds/);
  const out = validateComposition(comp(2, { out: { style: 'fade', duration: 2.5 } })).warnings;
  assert.deepEqual(out.map((w) => w.pointer), ['/tracks/0/clips/0/asset/animation/out/duration']);
  assert.match(out[0].detail, /the text is never all shown/);
});

test('the default duration (0.6 s) longer than a short clip is said at the direction', () => {
  const { warnings } = validateComposition(comp(0.5, { in: { style: 'fade' } }));
  assert.deepEqual(warnings.map((w) => [w.pointer, w.detail.slice(0, 28)]), [['/tracks/0/clips/0/asset/animation/in', 'lasts (by default) 0.6 s, lo']]);
});
