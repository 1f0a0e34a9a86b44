/**
 * Golden tests of the Shotstack importer: each test/golden/shotstack/NAME.edit.json (written for
 * these tests from Shotstack's API reference) becomes NAME.composition.json — the composition and
 * the problems and warnings, as `montage import shotstack` prints them. Accept a reviewed change
 * with `UPDATE_GOLDEN=1 node scripts/run-tests.mjs src/shotstack`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateComposition } from '../composition/validate-composition.ts';
import { pathText } from './edit-problems.ts';
import { importShotstackEdit, looksLikeShotstackEdit } from './edit-to-composition.ts';

const dir = new URL('../../test/golden/shotstack/', import.meta.url).pathname;
const edits = readdirSync(dir).filter((f) => f.endsWith('.edit.json')).sort();

describe('montage import shotstack: golden Edits', () => {
  for (const file of edits) {
    test(file, () => {
      const edit = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      assert.equal(looksLikeShotstackEdit(edit), true);
      const r = importShotstackEdit(edit);
      const got = `${JSON.stringify({
        composition: r.composition,
        callback: r.callback,
        problems: r.problems.map((p) => `${pathText(p.path)}: ${p.message}`),
        warnings: r.warnings,
      }, null, 2)}\n`;
      const goldenPath = join(dir, file.replace('.edit.json', '.composition.json'));
      if (process.env.UPDATE_GOLDEN || !existsSync(goldenPath)) writeFileSync(goldenPath, got);
      assert.equal(got, readFileSync(goldenPath, 'utf8'));
      // An Edit that imports without problems gives a composition Montage accepts as it is.
      if (r.problems.length === 0) {
        assert.doesNotThrow(() => validateComposition(r.composition), (e: unknown) => {
          throw new Error(JSON.stringify((e as { problems?: unknown }).problems ?? e));
        });
      }
    });
  }
});

test('a Montage composition is not mistaken for an Edit', () => {
  assert.equal(looksLikeShotstackEdit({ output: {}, tracks: [] }), false);
  assert.equal(looksLikeShotstackEdit({ timeline: { tracks: [] }, output: {} }), true);
});

test('the first Shotstack track is the top layer: the tracks are reversed', () => {
  const r = importShotstackEdit({
    timeline: { tracks: [
      { clips: [{ asset: { type: 'image', src: 'https://x.test/top.png' }, start: 0, length: 1 }] },
      { clips: [{ asset: { type: 'image', src: 'https://x.test/bottom.png' }, start: 0, length: 1 }] },
    ] },
    output: { format: 'mp4', resolution: 'sd' },
  });
  const srcs = (r.composition.tracks as { clips: { asset: { src: string } }[] }[]).map((t) => t.clips[0].asset.src);
  assert.deepEqual(srcs, ['https://x.test/bottom.png', 'https://x.test/top.png']);
});

test('offsets point up in Shotstack and down in Montage', () => {
  const r = importShotstackEdit({
    timeline: { tracks: [{ clips: [{ asset: { type: 'image', src: 'https://x.test/a.png' }, start: 0, length: 1, offset: { x: 0.25, y: 0.3 } }] }] },
    output: { format: 'mp4', resolution: 'sd' },
  });
  assert.deepEqual((r.composition.tracks as { clips: { offset: unknown }[] }[])[0].clips[0].offset, { x: 0.25, y: -0.3 });
});
