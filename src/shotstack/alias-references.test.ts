/**
 * Shotstack's `alias://NAME` references (a clip's start or length taken from another clip, a
 * caption transcribed from another clip's speech) are refused at their path, saying so, rather
 * than passed on as a source URL Montage would fail to fetch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathText } from './edit-problems.ts';
import { importShotstackEdit } from './edit-to-composition.ts';

test('alias:// in a caption src, a start and a length is refused at each path, naming aliases', () => {
  const r = importShotstackEdit({
    timeline: { tracks: [
      { clips: [{ asset: { type: 'caption', src: 'alias://speech' }, start: 0, length: 'end' }] },
      { clips: [{ asset: { type: 'rich-text', text: 'Hi' }, start: 'alias://main', length: 'alias://main' }] },
    ] },
    output: { format: 'mp4', resolution: 'sd' },
  });
  const byPath = Object.fromEntries(r.problems.map((p) => [pathText(p.path), p.message]));
  assert.deepEqual(Object.keys(byPath).sort(), ['timeline.tracks[0].clips[0].asset.src', 'timeline.tracks[1].clips[0].length', 'timeline.tracks[1].clips[0].start']);
  assert.match(byPath['timeline.tracks[0].clips[0].asset.src'], /refers to another clip.*does not transcribe speech.*SRT or VTT/);
  assert.match(byPath['timeline.tracks[1].clips[0].start'], /alias:\/\/ references to other clips are not supported/);
});
