/**
 * Captions as data: the kind of a captions file told by its content, words shared out of cues by
 * length, pages filled to `lines` lines, short gaps bridged.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isMontageError } from '../../errors/registry.ts';
import { readTranscript } from './read-transcript.ts';
import { paginate, timedWords, wordsOfCues } from './caption-pages.ts';

const P = '/tracks/0/clips/0/asset/src';
const refused = (text: string, detail: RegExp) => assert.throws(() => readTranscript(text, P), (e) => {
  assert.ok(isMontageError(e));
  assert.equal(e.code, 'MONTAGE_E_CAPTIONS_UNREADABLE');
  assert.equal(e.problems[0].pointer, P);
  assert.match(e.problems[0].detail, detail);
  assert.match(e.problems[0].detail, /SRT or WebVTT.*verbose_json.*array of words/);
  return true;
});

describe('the kind of a captions file, by content', () => {
  test('Whisper verbose_json: its words (with their leading spaces trimmed)', () => {
    const src = readTranscript(JSON.stringify({ text: 'Hi there', segments: [{ start: 0, end: 1, text: 'Hi there' }], words: [{ word: ' Hi', start: 0, end: 0.4 }, { word: ' there', start: 0.4, end: 1 }] }), P);
    assert.deepEqual(src, { words: [{ text: 'Hi', start: 0, end: 0.4 }, { text: 'there', start: 0.4, end: 1 }] });
  });
  test('Whisper verbose_json without words: its segments, as cues', () => {
    const src = readTranscript(JSON.stringify({ text: 'Hi there', segments: [{ id: 0, start: 0, end: 1.5, text: ' Hi there' }] }), P);
    assert.deepEqual(src, { cues: [{ start: 0, end: 1.5, text: 'Hi there' }] });
  });
  test('an array of words', () => {
    assert.deepEqual(readTranscript('[{"text":"a","start":0,"end":0.2},{"text":"b","start":0.2,"end":0.5}]', P).words?.length, 2);
  });
  test('SRT and WebVTT', () => {
    assert.deepEqual(readTranscript('1\n00:00:01,000 --> 00:00:02,000\nHi\n', P), { cues: [{ start: 1, end: 2, text: 'Hi' }] });
    assert.deepEqual(readTranscript('WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n', P), { cues: [{ start: 1, end: 2, text: 'Hi' }] });
  });
  test('refused: JSON of another shape, broken JSON, plain text, bad word times', () => {
    refused('{"title":"notes"}', /JSON of an unknown shape/);
    refused('{"words": [', /does not parse/);
    refused('just some words', /none of the caption formats/);
    refused('[{"text":"a","start":1,"end":0.5}]', /word 0 \("a"\) ending at 0.5 s, before its start at 1 s/);
    refused('[{"text":"a","start":1,"end":1.5},{"text":"b","start":0.5,"end":0.8}]', /word 1 .* before the one before it/);
    refused('[{"start":1,"end":1.5}]', /without a text/);
  });
});

describe('words and pages', () => {
  test('a cue\'s time is shared among its words by length, the space after a word counted as its', () => {
    assert.deepEqual(wordsOfCues([{ start: 1, end: 1.7, text: 'aaaa bb' }]).map((w) => [w.text, +w.start.toFixed(6), +w.end.toFixed(6)]),
      [['aaaa', 1, 1.5], ['bb', 1.5, 1.7]]);
  });
  test('a transcript word holding spaces becomes words sharing its time', () => {
    assert.deepEqual(timedWords({ words: [{ text: 'New York', start: 1, end: 2 }] }).map((w) => w.text), ['New', 'York']);
  });
  const words = ['one', 'two', 'three', 'four', 'five', 'six'].map((text, i) => ({ text, start: i * 0.5, end: i * 0.5 + 0.4, group: 0 }));
  const measure = (s: string) => s.length * 10;
  test('pages fill `lines` lines of the width; a page shows from its first word to its last, short gaps bridged', () => {
    const pages = paginate(words, 2, 80, measure);
    assert.deepEqual(pages.map((p) => p.text), ['one two\nthree', 'four\nfive six']);
    assert.deepEqual(pages.map((p) => [p.start, p.end]), [[0, 1.5], [1.5, 2.9]], 'the 0.1 s gap after "three" is bridged');
    assert.deepEqual(paginate(words, 1, 80, measure).map((p) => p.text), ['one two', 'three', 'four', 'five six']);
  });
  test('a long pause or a new cue starts a new page; a long gap is not bridged', () => {
    const paused = [...words.slice(0, 2), { text: 'later', start: 3, end: 3.4, group: 0 }];
    const pages = paginate(paused, 2, 200, measure);
    assert.deepEqual(pages.map((p) => [p.text, p.start, p.end]), [['one two', 0, 0.9], ['later', 3, 3.4]]);
    assert.deepEqual(paginate(wordsOfCues([{ start: 0, end: 1, text: 'a b' }, { start: 1, end: 2, text: 'c' }]), 2, 200, measure).map((p) => p.text), ['a b', 'c']);
  });
});
