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
