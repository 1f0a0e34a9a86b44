/**
 * The top level of a composition: `version`, `tracks` (at least one, later ones on top) and the
 * rule that an unknown property anywhere is an error, never ignored. (`background`, `soundtrack`,
 * `fonts` and `merge` have their own files: layout, audio, text and placeholders.)
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRenderHarness, TINY } from '../support/render-harness.ts';
import { decodePicture } from '../support/decoded-pictures.ts';
import { expectColour } from '../support/picture-asserts.ts';
import { isMontageError } from '../../src/errors/registry.ts';

const h = createRenderHarness('top-level');
after(() => h.dispose());

const base = { output: { ...TINY, format: 'png' }, tracks: [{ clips: [{ asset: { type: 'color', color: '#336699' }, start: 0, length: 1 }] }] };
const refusedAt = (raw: object, pointer: string) => assert.throws(() => h.engine.validate(raw),
  (e: unknown) => isMontageError(e) && e.code === 'MONTAGE_E_INVALID_COMPOSITION' && e.problems.some((p) => p.pointer === pointer && p.detail.length > 10),
  `refused at ${pointer}`);

test('version 1 is the format this engine renders (and the default)', async () => {
  const out = await h.render('version-1', { version: 1, ...base });
  expectColour(await decodePicture(out.video.path), 160, 90, '#336699', 'rendered', 2);
  refusedAt({ version: 2, ...base }, '/version');
});

test('tracks: at least one', () => {
  refusedAt({ ...base, tracks: [] }, '/tracks');
});

test('an unknown property is an error at its pointer, anywhere', () => {
  refusedAt({ ...base, backgrond: '#ffffff' }, '/backgrond');
  refusedAt({ ...base, tracks: [{ clips: [{ ...base.tracks[0].clips[0], opactiy: 0.5 }] }] }, '/tracks/0/clips/0/opactiy');
  refusedAt({ ...base, output: { ...base.output, fromat: 'gif' } }, '/output/fromat');
});
