import { test } from 'node:test';
import assert from 'node:assert/strict';
import { templatePlaceholders } from './template-placeholders.ts';

test('one entry per placeholder: every pointer, the editing type from the default, the default or null', () => {
  const raw = {
    merge: { secs: 3, bg: '#336699', loud: true, who: 'World', unused: 1 },
    output: { format: 'mp4' },
    tracks: [{ clips: [
      { asset: { type: 'text', text: 'Hi {{who}} and {{ who }}, {{title}}' }, start: 0, length: '{{secs}}' },
      { asset: { type: 'color', color: '{{bg}}' }, start: 0, length: '{{secs}}', 'a/b': '{{loud}}' },
    ] }],
  };
  assert.deepEqual(templatePlaceholders(raw), [
    { name: 'who', pointers: ['/tracks/0/clips/0/asset/text'], type: 'text', default: 'World' },
    { name: 'title', pointers: ['/tracks/0/clips/0/asset/text'], type: 'text', default: null },
    { name: 'secs', pointers: ['/tracks/0/clips/0/length', '/tracks/0/clips/1/length'], type: 'number', default: 3 },
    { name: 'bg', pointers: ['/tracks/0/clips/1/asset/color'], type: 'color', default: '#336699' },
    { name: 'loud', pointers: ['/tracks/0/clips/1/a~1b'], type: 'boolean', default: true },
  ]);
  assert.deepEqual(templatePlaceholders({ tracks: [] }), []);
  assert.deepEqual(templatePlaceholders('not an object'), []);
});
