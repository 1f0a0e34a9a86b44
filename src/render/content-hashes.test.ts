import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContentHashes, sha256File } from './content-hashes.ts';

const counting = () => {
  const reads: string[] = [];
  return { reads, hash: async (p: string) => { reads.push(p); return sha256File(p); } };
};

test('an unchanged file is read once; the digest is its bytes\' SHA-256', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'content-hashes-'));
  const f = join(dir, 'a.bin');
  writeFileSync(f, 'first bytes');
  const { reads, hash } = counting();
  const h = createContentHashes(8, hash);
  const [a, b] = await Promise.all([h(f), h(f)]);
  assert.equal(await h(f), a);
  assert.equal(a, b);
  assert.equal(a, createHash('sha256').update('first bytes').digest('hex'));
  assert.equal(reads.length, 1);
});

test('a file rewritten in place with the same size and inode but another mtime is hashed again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'content-hashes-'));
  const f = join(dir, 'a.bin');
  writeFileSync(f, 'AAAA');
  utimesSync(f, 1_000_000, 1_000_000);
  const h = createContentHashes();
  const before = await h(f);
  writeFileSync(f, 'BBBB');
  utimesSync(f, 1_000_000, 1_000_001);
  const after = await h(f);
  assert.notEqual(after, before);
  assert.equal(after, await sha256File(f));
});

test('past its bound the oldest entry is dropped and read again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'content-hashes-'));
  const files = [0, 1, 2].map((i) => { const f = join(dir, `${i}.bin`); writeFileSync(f, `file ${i}`); return f; });
  const { reads, hash } = counting();
  const h = createContentHashes(2, hash);
  for (const f of files) await h(f);
  await h(files[2]);
  await h(files[0]);
  assert.deepEqual(reads, [files[0], files[1], files[2], files[0]]);
});
