/**
 * file-input-memo.ts: the CLI's memo of input facts in one JSON file: kept across opens, merged
 * with what another render saved meanwhile, bounded to the most recently used entries, and a
 * damaged file counts as empty.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileInputMemo } from './file-input-memo.ts';

const media = (w: number) => ({ path: '/m.jpg', container: 'image2', video: { codec: 'mjpeg', width: w, height: 10, still: true, hasAlpha: false } });

const inDir = async (fn: (file: string) => Promise<void>) => {
  const dir = mkdtempSync(join(tmpdir(), 'montage-input-memo-'));
  try { await fn(join(dir, 'inputs.json')); } finally { rmSync(dir, { recursive: true, force: true }); }
};

test('facts put and saved are there when the file is opened again; a fact given again replaces the one kept', () => inDir(async (file) => {
  const a = openFileInputMemo(file);
  assert.equal(a.get('x'), undefined);
  a.put('x', { media: media(20), sha256: 'aa' });
  a.put('x', { keyframes: { spans: [[0, 2]], at: [0, 2] } });
  a.put('x', { keyframes: { spans: [[0, 2], [4, null]], at: [0, 2, 4, 6] }, sha256: 'ab' });
  await a.save();
  assert.deepEqual(readdirSync(join(file, '..')), ['inputs.json'], 'no temporary file left');
  assert.deepEqual(openFileInputMemo(file).get('x'), { media: media(20), keyframes: { spans: [[0, 2], [4, null]], at: [0, 2, 4, 6] }, sha256: 'ab' });
}));

test('two renders that opened the memo together both keep what they learned', () => inDir(async (file) => {
  const [a, b] = [openFileInputMemo(file), openFileInputMemo(file)];
  a.put('x', { sha256: 'aa' });
  b.put('y', { sha256: 'bb' });
  b.put('x', { media: media(30) });
  await a.save();
  await b.save();
  const c = openFileInputMemo(file);
  assert.deepEqual(c.get('x'), { sha256: 'aa', media: media(30) });
  assert.deepEqual(c.get('y'), { sha256: 'bb' });
}));

test('the least recently used entries go past the bound', () => inDir(async (file) => {
  const a = openFileInputMemo(file, 3);
  for (const id of ['1', '2', '3']) a.put(id, { sha256: id });
  await a.save();
  const b = openFileInputMemo(file, 3);
  assert.ok(b.get('1'), 'used again: now the most recent');
  b.put('4', { sha256: '4' });
  await b.save();
  const c = openFileInputMemo(file, 3);
  assert.deepEqual(['1', '2', '3', '4'].map((id) => c.get(id)?.sha256), ['1', undefined, '3', '4']);
}));

test('a damaged or foreign file counts as empty, and is replaced on save', () => inDir(async (file) => {
  for (const text of ['{not json', '[]', '{"format":2,"entries":[]}', '{"format":1,"entries":[["x",null],["y",[1]],[3,{}]]}']) {
    writeFileSync(file, text);
    const m = openFileInputMemo(file);
    assert.equal(m.get('x'), undefined, text);
    assert.equal(m.get('y'), undefined, text);
    m.put('z', { sha256: 'cc' });
    await m.save();
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).entries.length, 1, text);
  }
}));

test('a memo read but not used writes nothing', () => inDir(async (file) => {
  const m = openFileInputMemo(file);
  m.get('nothing');
  await m.save();
  assert.deepEqual(readdirSync(join(file, '..')), []);
}));
