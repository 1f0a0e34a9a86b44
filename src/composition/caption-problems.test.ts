/**
 * Bad text animation and word-caption input: each problem at its JSON Pointer with a sentence
 * that says the fix, all reported at once.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { validateComposition } from './validate-composition.ts';
import { isMontageError, type FieldProblem } from '../errors/registry.ts';

const comp = (asset: object) => ({ output: { width: 320, height: 180 }, tracks: [{ clips: [{ asset, start: 0, length: 4 }] }] });
const WORDS = [{ text: 'Hello', start: 0.1, end: 0.5 }, { text: 'world', start: 0.5, end: 0.9 }];

const problemsOf = (raw: unknown): FieldProblem[] => {
  try {
    validateComposition(raw);
  } catch (e) {
    assert.ok(isMontageError(e), `expected a MontageError, got ${e}`);
    assert.equal(e.code, 'MONTAGE_E_INVALID_COMPOSITION');
    return [...e.problems];
  }
  return assert.fail('the composition was accepted');
};
const expectOne = (raw: unknown, pointer: string, detail: RegExp) => {
  const problems = problemsOf(raw);
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.equal(problems[0].pointer, pointer);
  assert.match(problems[0].detail, detail);
};

describe('accepted', () => {
  test('animation on text and captions, words, lines and each highlight style', () => {
    for (const style of ['color', 'background', 'scale', 'karaoke']) {
      assert.doesNotThrow(() => validateComposition(comp({ type: 'captions', words: WORDS, lines: 3, highlight: { style, color: '#ff0000', background: '#000000', scale: 1.2 }, animation: { in: { style: 'pop', by: 'word', duration: 0.3, easing: 'easeInOut' } } })));
    }
    for (const style of ['typewriter', 'fade', 'slideUp', 'slideDown', 'slideLeft', 'slideRight', 'pop', 'blur']) {
      for (const by of ['letter', 'word', 'line']) {
        assert.doesNotThrow(() => validateComposition(comp({ type: 'text', text: 'Hi there', animation: { in: { style, by }, out: { style } } })));
      }
    }
  });
});

describe('refused, with pointer and fix', () => {
  test('an unknown animation style, with a suggestion', () => expectOne(
    comp({ type: 'text', text: 'Hi', animation: { in: { style: 'slideup' } } }), '/tracks/0/clips/0/asset/animation/in/style', /one of .*typewriter.*did you mean "slideUp"/));
  test('an unknown animation unit', () => expectOne(
    comp({ type: 'text', text: 'Hi', animation: { out: { style: 'fade', by: 'sentence' } } }), '/tracks/0/clips/0/asset/animation/out/by', /one of .*letter.*word.*line/));
  test('lines out of range', () => {
    expectOne(comp({ type: 'captions', words: WORDS, lines: 5 }), '/tracks/0/clips/0/asset/lines', /4/);
    expectOne(comp({ type: 'captions', words: WORDS, lines: 0 }), '/tracks/0/clips/0/asset/lines', /1/);
  });
  test('an unknown highlight style', () => expectOne(
    comp({ type: 'captions', words: WORDS, highlight: { style: 'colour' } }), '/tracks/0/clips/0/asset/highlight/style', /did you mean "color"/));
  test('a word that ends before it starts', () => expectOne(
    comp({ type: 'captions', words: [WORDS[0], { text: 'world', start: 0.5, end: 0.5 }] }), '/tracks/0/clips/0/asset/words/1/end', /after the word's start \(0.5 s\)/));
  test('words out of order', () => expectOne(
    comp({ type: 'captions', words: [WORDS[1], WORDS[0]] }), '/tracks/0/clips/0/asset/words/1/start', /before the previous word's start \(0.5 s\): list the words in the order/));
  test('more than one of src, cues and words', () => {
    expectOne(comp({ type: 'captions', src: 'a.srt', words: WORDS }), '/tracks/0/clips/0/asset', /both "src" and "words": keep one/);
    expectOne(comp({ type: 'captions', src: 'a.srt', cues: [], words: WORDS }), '/tracks/0/clips/0/asset', /"src", "cues" and "words": keep one/);
  });
  test('none of them', () => expectOne(comp({ type: 'captions' }), '/tracks/0/clips/0/asset', /give "src".*"words" or "cues"/));
});

test('an animation whose in and out overlap in a short clip is a warning, not an error', () => {
  const { warnings } = validateComposition({ output: { width: 320, height: 180 }, tracks: [{ clips: [{ asset: { type: 'text', text: 'Hi', animation: { in: { style: 'fade', duration: 1 }, out: { style: 'fade' } } }, start: 0, length: 1.2 }] }] });
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0].pointer, '/tracks/0/clips/0/asset/animation');
  assert.match(warnings[0].detail, /1.6 s in a clip of 1.2 s.*shorten the durations/);
});
