import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectUpload } from './inspect-upload.ts';
import { isMontageError } from '../errors/registry.ts';

const dir = mkdtempSync(join(tmpdir(), 'inspect-upload-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, bytes: Uint8Array | string): string => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};
const inspect = (p: string) => inspectUpload(p, { ffprobePath: 'ffprobe' });
const utf16 = (text: string, order: 'le' | 'be'): Uint8Array => {
  const le = Buffer.from(text, 'utf16le');
  if (order === 'be') le.swap16();
  return Buffer.concat([order === 'le' ? Buffer.from([0xff, 0xfe]) : Buffer.from([0xfe, 0xff]), le]);
};
const SRT = '1\r\n00:00:00,000 --> 00:00:01,500\r\nÇa va, Zoë?\r\n';

describe('an uploaded captions file is taken whenever captions.src would take it', () => {
  it('takes SRT in UTF-16 with either byte order (what Windows Notepad saves as "Unicode")', async () => {
    for (const order of ['le', 'be'] as const) {
      assert.equal((await inspect(file(`u16${order}.srt`, utf16(SRT, order)))).kind, 'captions', order);
    }
  });

  it('takes a Whisper verbose_json transcript and an array of words', async () => {
    const whisper = { text: ' Hello there', segments: [{ start: 0, end: 1, text: ' Hello there' }], words: [{ word: ' Hello', start: 0, end: 0.4 }, { word: ' there', start: 0.5, end: 1 }] };
    assert.equal((await inspect(file('whisper.json', JSON.stringify(whisper)))).kind, 'captions');
    assert.equal((await inspect(file('words.json', JSON.stringify([{ text: 'hi', start: 0, end: 0.5 }])))).kind, 'captions');
    assert.equal((await inspect(file('plain.vtt', 'WEBVTT\n\n00:00.000 --> 00:01.000\nhi\n'))).kind, 'captions');
  });

  it('refuses text no render could read, saying what an upload may be', async () => {
    for (const [name, body] of [['notes.json', '{"title":"notes"}'], ['latin1.srt', Buffer.from(SRT, 'latin1')], ['words.txt', 'just some words']] as const) {
      await assert.rejects(inspect(file(name, body)), (e) => {
        assert.ok(isMontageError(e), String(e));
        assert.match(e.message, /cannot be used by any render.*captions \(SRT, WebVTT, a JSON transcript\)/s, name);
        return true;
      });
    }
  });
});
