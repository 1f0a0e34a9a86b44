/**
 * Validation of the clip look (1.1): each bad value gets its pointer and a sentence with the fix;
 * look fields where they do nothing get a warning.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { validateComposition } from './validate-composition.ts';
import { isMontageError, type FieldProblem } from '../errors/registry.ts';

const comp = (clip: Record<string, unknown>, asset: Record<string, unknown> = { type: 'color', color: '#ff0000' }) =>
  ({ output: { width: 320, height: 180 }, tracks: [{ clips: [{ asset, start: 0, length: 2, ...clip }] }] });

const problemsOf = (raw: unknown): FieldProblem[] => {
  try {
    validateComposition(raw);
  } catch (e) {
    assert.ok(isMontageError(e) && e.code === 'MONTAGE_E_INVALID_COMPOSITION', String(e));
    return [...e.problems];
  }
  assert.fail('the composition was accepted');
};
const expectOne = (raw: unknown, pointer: string, detail: RegExp) => {
  const problems = problemsOf(raw);
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.equal(problems[0].pointer, pointer);
  assert.match(problems[0].detail, detail);
};
const A = '/tracks/0/clips/0';

describe('the clip look: good values pass', () => {
  test('every look field at once', () => {
    const { warnings } = validateComposition(comp({
      flip: 'both', crop: { top: 0.1, bottom: 0.2, left: 0.3, right: 0.4 }, chromaKey: { color: '#00ff00', similarity: 0.4, blend: 0.2 },
      mask: { src: 'm.mp4', mode: 'alpha', invert: true }, blend: 'softLight', radius: 12, border: { color: '#fff', width: 3 },
      shadow: { color: '#00000080', blur: 8, x: 4, y: 6 },
    }, { type: 'video', src: 'v.mp4' }));
    assert.deepEqual(warnings, []);
  });
});

describe('the clip look: bad values', () => {
  test('an unknown blend mode gets "did you mean"', () => expectOne(comp({ blend: 'multipy' }), `${A}/blend`, /must be one of .*"multiply".*did you mean "multiply"\?/));
  test('a blend mode in another spelling', () => expectOne(comp({ blend: 'color-dodge' }), `${A}/blend`, /did you mean "colorDodge"\?/));
  test('a crop that leaves no height is refused', () => expectOne(comp({ crop: { top: 0.6, bottom: 0.4 } }), `${A}/crop/bottom`, /cuts away the whole height \(top 0.6 \+ bottom 0.4 = 1\): keep top \+ bottom below 1/));
  test('a crop that leaves no width is refused', () => expectOne(comp({ crop: { left: 1 } }), `${A}/crop/left`, /cuts away the whole width.*keep left \+ right below 1/));
  test('a crop side over 1', () => expectOne(comp({ crop: { top: 1.5 } }), `${A}/crop/top`, /must be ≤ 1/));
  test('an unknown flip', () => expectOne(comp({ flip: 'horizonal' }), `${A}/flip`, /did you mean "horizontal"\?/));
  test('a similarity out of range', () => expectOne(comp({ chromaKey: { color: '#0f0', similarity: 0 } }), `${A}/chromaKey/similarity`, /must be ≥ 0.01/));
  test('a chroma key without its colour', () => expectOne(comp({ chromaKey: { similarity: 0.3 } }), `${A}/chromaKey/color`, /is required.*add "color"/));
  test('a mask without src', () => expectOne(comp({ mask: { mode: 'luma' } }), `${A}/mask/src`, /is required/));
  test('an unknown mask mode', () => expectOne(comp({ mask: { src: 'm.png', mode: 'lumma' } }), `${A}/mask/mode`, /did you mean "luma"\?/));
  test('a negative radius', () => expectOne(comp({ radius: -4 }), `${A}/radius`, /must be ≥ 0/));
  test('a border colour that is not one', () => expectOne(comp({ border: { color: 'red', width: 2 } }), `${A}/border/color`, /CSS hex colour/));
  test('a misspelt shadow field', () => expectOne(comp({ shadow: { color: '#000', blurr: 2 } }), `${A}/shadow/blurr`, /did you mean "blur"\?/));
});

describe('the clip look: fields that do nothing where they are warn', () => {
  const warningsOf = (raw: unknown) => validateComposition(raw).warnings.map((w) => `${w.pointer}: ${w.detail}`);
  test('radius and border on text', () => {
    const w = warningsOf(comp({ radius: 8, border: { color: '#fff', width: 2 } }, { type: 'text', text: 'Hi' }));
    assert.equal(w.length, 2, w.join('\n'));
    assert.match(w[0], /\/radius: is ignored for text clips: it applies to video, image and color clips/);
  });
  test('chromaKey on a colour', () => assert.match(warningsOf(comp({ chromaKey: { color: '#0f0' } }))[0], /\/chromaKey: is ignored for color clips/));
  test('any look on audio', () => assert.match(warningsOf(comp({ shadow: { color: '#000' } }, { type: 'audio', src: 'a.wav' }))[0], /\/shadow: is ignored: an audio clip has no picture/));
  test('picture keyframes on audio, volume keyframes on a clip without sound', () => {
    const ramp = [{ time: 0, value: 0 }, { time: 1, value: 1 }];
    assert.deepEqual(warningsOf(comp({ keyframes: { blur: ramp, volume: ramp } }, { type: 'audio', src: 'a.wav' })),
      [`${A}/keyframes/blur: is ignored: an audio clip has no picture (only volume keyframes apply)`]);
    assert.deepEqual(warningsOf(comp({ keyframes: { volume: ramp } }, { type: 'image', src: 'i.png' })),
      [`${A}/keyframes/volume: is ignored for image clips: they have no sound (volume keyframes apply to video and audio clips)`]);
    assert.deepEqual(warningsOf(comp({ keyframes: { volume: ramp, blur: ramp } }, { type: 'video', src: 'v.mp4' })), []);
  });
  test('a cubic-bezier easing: one problem at the item out of range, or the array\'s shape when it is the wrong length', () => {
    expectOne(comp({ transition: { in: 'fade', easing: [0.2, 0, 1.2, 1] } }), `${A}/transition/easing/2`, /must be ≤ 1, got 1.2/);
    expectOne(comp({ keyframes: { x: [{ time: 0, value: 0, easing: [0.2, 0, 0.5] }, { time: 1, value: 1 }] } }), `${A}/keyframes/x/0/easing`,
      /^must be an array of 4 numbers: CSS cubic-bezier \[x1, y1, x2, y2\], x1 and x2 in 0–1, got \[0.2,0,0.5\]$/);
  });
  test('a problem\'s hint leaves out the schema\'s (1.1) marks', () => {
    const [p] = problemsOf(comp({ transition: { in: 'fade', easing: 'bounce' } }));
    assert.equal(p.pointer, `${A}/transition/easing`);
    assert.match(p.detail, / \(replaces the curve of each transition kind: a name or a cubic-bezier array\), got "bounce"/);
    assert.doesNotMatch(p.detail, /1\.1/);
  });
});
