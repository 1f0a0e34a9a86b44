import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { graphemeClusters } from './grapheme-clusters.ts';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const icu = (text: string) => [...segmenter.segment(text)].map(({ segment, index }) => ({ segment, index }));
const ours = (text: string) => [...graphemeClusters(text)].map(({ segment, index }) => ({ segment, index }));

test('every pair of Latin-1 characters is cut as ICU cuts it (CR LF stays one cluster)', () => {
  for (let a = 0; a < 256; a++) {
    const pairs = Array.from({ length: 256 }, (_, b) => String.fromCharCode(a, b)).join('');
    assert.deepEqual(ours(pairs), icu(pairs), `pairs starting with U+${a.toString(16).padStart(4, '0')}`);
  }
  assert.deepEqual(ours('a\r\nb\r\r\n\n'), [{ segment: 'a', index: 0 }, { segment: '\r\n', index: 1 }, { segment: 'b', index: 3 }, { segment: '\r', index: 4 }, { segment: '\r\n', index: 5 }, { segment: '\n', index: 7 }]);
});

test('any text, Latin-1 or not (combining accents, emoji, Devanagari), is cut as ICU cuts it', () => {
  const chars = fc.constantFrom('a', 'é', '\r', '\n', ' ', '\u00ad', '\u0301', '👍🏽', '🇫🇷', '\u200d', 'क्ष', 'ि', '\u00ff', '\u0100', 'ﷺ');
  fc.assert(fc.property(fc.array(chars, { maxLength: 12 }).map((a) => a.join('')), (text) => {
    assert.deepEqual(ours(text), icu(text));
  }), { numRuns: 2_000 });
  assert.deepEqual(ours(''), []);
});
