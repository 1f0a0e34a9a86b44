import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MontageError } from '../../errors/registry.ts';
import { parseCaptions } from './parse-captions.ts';

const SRT = `1
00:00:01,000 --> 00:00:04,200
Hello, and welcome
to <i>Montage</i>.

2
00:00:04,500 --> 00:00:07,000 X1:100 X2:600 Y1:10 Y2:50
{\\an8}<font color="#ffff00">Top</font> line &amp; more

3
00:01:02,050 --> 01:00:00,000
<b>Bold</b> end
`;

const VTT = `WEBVTT - Made by hand
Kind: captions
Language: en

STYLE
::cue { color: yellow; }

NOTE This comment
spans lines

intro
00:01.000 --> 00:04.200 align:start position:10%
<v Roger Bingham>We are in New York City</v>

00:00:05.000 --> 00:00:06.500
<c.yellow.bg_blue>Coloured</c> and <00:00:05.500>karaoke
second line

NOTE another

3
01:02:03.456 --> 01:02:04.000 line:0
a &lt; b &gt; c
`;

test('parses a realistic SRT file', () => {
  assert.deepEqual(parseCaptions(SRT), [
    { start: 1, end: 4.2, text: 'Hello, and welcome\nto Montage.' },
    { start: 4.5, end: 7, text: 'Top line & more' },
    { start: 62.05, end: 3600, text: 'Bold end' },
  ]);
});

test('parses a realistic WebVTT file, skipping header, STYLE and NOTE blocks and cue settings', () => {
  assert.deepEqual(parseCaptions(VTT), [
    { start: 1, end: 4.2, text: 'We are in New York City' },
    { start: 5, end: 6.5, text: 'Coloured and karaoke\nsecond line' },
    { start: 3723.456, end: 3724, text: 'a < b > c' },
  ]);
});

test('reads CRLF, a byte-order mark, SRT without numbers and a missing final newline', () => {
  const srt = '\uFEFF00:00:00,500 --> 00:00:01,000\r\nOne\r\n\r\n00:00:02,000 --> 00:00:03,000\r\nTwo';
  assert.deepEqual(parseCaptions(srt), [
    { start: 0.5, end: 1, text: 'One' },
    { start: 2, end: 3, text: 'Two' },
  ]);
});

test('accepts a dot in SRT times and short millisecond fields', () => {
  assert.deepEqual(parseCaptions('1\n00:00:01.5 --> 00:00:02.25\nHi\n'), [{ start: 1.5, end: 2.25, text: 'Hi' }]);
});

test('a WebVTT file with only a header has no cues', () => {
  assert.deepEqual(parseCaptions('WEBVTT\n\nNOTE nothing yet\n'), []);
});

test('cues whose text is only tags are left out', () => {
  assert.deepEqual(parseCaptions('WEBVTT\n\n00:01.000 --> 00:02.000\n<i></i>\n\n00:03.000 --> 00:04.000\nkept\n'),
    [{ start: 3, end: 4, text: 'kept' }]);
});

const malformed: [name: string, text: string, line: number, message: RegExp][] = [
  ['an empty file', ' \n\n', 1, /empty/],
  ['binary data', 'PK\u0003\u0004\0\0junk', 1, /binary/],
  ['a lookalike signature', 'WEBVTTX\n\n00:01.000 --> 00:02.000\nhi\n', 1, /"WEBVTT" alone/],
  ['plain prose', 'Just some words,\nnot subtitles.\n', 2, /expected a cue timing/],
  ['a cue number with no timing', '1\n\n', 1, /expected a cue timing.*found "1"/],
  ['an SRT label that is not a number', 'one\n00:00:01,000 --> 00:00:02,000\nhi\n', 1, /cue number/],
  ['a missing arrow space', '1\n00:00:01,000-->00:00:02,000\nhi\n', 2, /spaces around the arrow/],
  ['a garbled timestamp', '1\n00:00:01,000 --> 00:00:0x,000\nhi\n', 2, /"00:00:0x,000" is not a timestamp/],
  ['seconds above 59', 'WEBVTT\n\n00:00:61.000 --> 00:01:02.000\nhi\n', 3, /seconds above 59/],
  ['minutes above 59', '1\n00:75:00,000 --> 00:76:00,000\nhi\n', 2, /minutes above 59/],
  ['an end before the start', 'WEBVTT\n\n1\n00:05.000 --> 00:04.000\nhi\n', 4, /ends \(00:04.000\) before it starts \(00:05.000\)/],
  ['a cue glued to the header', 'WEBVTT\n00:01.000 --> 00:02.000\nhi\n', 2, /blank line must separate/],
  ['two cues without a blank line', '1\n00:00:01,000 --> 00:00:02,000\nhi\n2\n00:00:03,000 --> 00:00:04,000\nthere\n', 5, /second timing line/],
  ['a text line after a blank line inside a cue', '1\n00:00:01,000 --> 00:00:02,000\nhi\n\nstray words\n', 5, /found "stray words"/],
];

for (const [name, text, line, message] of malformed) {
  test(`rejects ${name}, naming line ${line}`, () => {
    assert.throws(() => parseCaptions(text), (e: unknown) => {
      assert.ok(e instanceof MontageError, String(e));
      assert.equal(e.code, 'MONTAGE_E_CAPTIONS_UNREADABLE');
      assert.match(e.message, new RegExp(`^Line ${line} of the captions: `));
      assert.match(e.message, message);
      return true;
    });
  });
}
