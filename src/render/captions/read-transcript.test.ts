import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isMontageError } from '../../errors/registry.ts';
import { readTranscript } from './read-transcript.ts';

const stamp = (ms: number) => {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(Math.floor(ms / 3_600_000))}:${p(Math.floor(ms / 60_000) % 60)}:${p(Math.floor(ms / 1000) % 60)},${p(ms % 1000, 3)}`;
};
/** An SRT of `n` one-word cues, 1 ms each. */
const srt = (n: number) => Array.from({ length: n }, (_, i) => `${i + 1}\n${stamp(i)} --> ${stamp(i + 1)}\nw${i}\n`).join('\n');
const words = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ text: 'w', start: i / 1000, end: (i + 1) / 1000 })));

const refusal = (text: string) => {
  try {
    readTranscript(text, '/tracks/0/clips/0/asset/src');
  } catch (e) {
    assert.ok(isMontageError(e), String(e));
    return e;
  }
  return assert.fail('the file was read');
};

describe('a captions file holds no more than the clip could say inline', () => {
  test('5000 cues are read; 5001 are refused at src, naming the count, the limit and the way out', () => {
    assert.equal(readTranscript(srt(5000), '/src').cues?.length, 5000);
    const e = refusal(srt(5001));
    assert.equal(e.code, 'MONTAGE_E_LIMIT_EXCEEDED');
    assert.deepEqual(e.problems, [{ pointer: '/tracks/0/clips/0/asset/src', detail: 'has 5001 cues, more than 5000: split the captions over several captions clips, each with its part of the file' }]);
  });
  test('50 000 timed words are read; 50 001 are refused the same way', () => {
    assert.equal(readTranscript(words(50_000), '/src').words?.length, 50_000);
    const e = refusal(words(50_001));
    assert.equal(e.code, 'MONTAGE_E_LIMIT_EXCEEDED');
    assert.match(e.problems[0]!.detail, /^has 50001 words, more than 50000: split/);
  });
  test('a cue of more than 2000 characters, or a word of more than 200, is refused naming which', () => {
    const long = `1\n00:00:00,000 --> 00:00:01,000\n${'word '.repeat(1_000_000)}\n`;
    const e = refusal(long);
    assert.equal(e.code, 'MONTAGE_E_LIMIT_EXCEEDED');
    assert.deepEqual(e.problems, [{ pointer: '/tracks/0/clips/0/asset/src', detail: 'has cue 0 of 4999999 characters, more than 2000: break it into shorter cues' }]);
    assert.match(refusal(JSON.stringify([{ text: 'x'.repeat(201), start: 0, end: 1 }])).problems[0]!.detail, /^has word 0 of 201 characters, more than 200/);
    assert.equal(readTranscript(`1\n00:00:00,000 --> 00:00:01,000\n${'x'.repeat(2000)}\n`, '/src').cues?.[0]?.text.length, 2000);
  });
});
