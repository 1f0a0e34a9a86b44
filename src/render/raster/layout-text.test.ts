import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FontRegistry } from './font-registry.ts';
import { layoutText } from './layout-text.ts';

const fonts = new FontRegistry();
const font = fonts.resolve(undefined, undefined, 40);
const lay = (text: string, maxWidth: number, lineHeight?: number) => layoutText(text, { font, size: 40, maxWidth, lineHeight });
const SENTENCE = 'The quick brown fox jumps over the lazy dog while the band plays on';

test('one line when the text fits', () => {
  const l = lay('Hello world', 2000);
  assert.deepEqual(l.lines.map((x) => x.text), ['Hello world']);
  assert.ok(l.lines[0].width > 150 && l.lines[0].width < 300, `width ${l.lines[0].width}`);
  assert.equal(l.width, l.lines[0].width);
  assert.equal(l.lineHeight, 48, 'default line height is 1.2 × size');
  assert.equal(l.height, 48);
});

test('a narrower width gives more lines, each within the width, breaking at spaces', () => {
  const wide = lay(SENTENCE, 900);
  const narrow = lay(SENTENCE, 300);
  assert.ok(narrow.lines.length > wide.lines.length, `${narrow.lines.length} vs ${wide.lines.length}`);
  for (const line of narrow.lines) {
    assert.ok(line.width <= 300, `"${line.text}" is ${line.width}px`);
    assert.ok(!line.text.endsWith(' '), 'trailing spaces are dropped');
  }
  assert.equal(narrow.lines.map((l) => l.text).join(' '), SENTENCE, 'no word is split or lost');
  assert.equal(narrow.width, Math.max(...narrow.lines.map((l) => l.width)));
  assert.equal(narrow.height, narrow.lines.length * 48);
});

test('a newline forces a break, and an empty paragraph keeps its line', () => {
  assert.deepEqual(lay('one\ntwo\r\n\nthree', 2000).lines.map((l) => l.text), ['one', 'two', '', 'three']);
});

test('a word longer than the width is broken between characters', () => {
  const l = lay('Supercalifragilisticexpialidocious', 150);
  assert.ok(l.lines.length >= 3, `${l.lines.length} lines`);
  assert.equal(l.lines.map((x) => x.text).join(''), 'Supercalifragilisticexpialidocious');
  for (const line of l.lines) assert.ok(line.width <= 150, `"${line.text}" is ${line.width}px`);
});

test('character breaking keeps grapheme clusters whole', () => {
  const l = lay('e\u0301'.repeat(30), 60);
  assert.ok(l.lines.length > 1);
  for (const line of l.lines) assert.ok(line.text.startsWith('e\u0301'), JSON.stringify(line.text));
});

test('breaks after a hyphen, as UAX #14 allows', () => {
  const l = lay('well-known', Math.max(lay('well-', 2000).width, lay('known', 2000).width) + 1);
  assert.deepEqual(l.lines.map((x) => x.text), ['well-', 'known']);
});

test('a character wider than the width still gets a line of its own', () => {
  const l = lay('WW', 5);
  assert.deepEqual(l.lines.map((x) => x.text), ['W', 'W']);
});

test('lineHeight multiplies the size', () => {
  assert.equal(lay('a\nb', 1000, 2).height, 160);
});
