import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { objectStoreContract } from '../ports/object-store.contract.ts';
import { createFileObjectStore } from './file-object-store.ts';

const tempRoot = () => mkdtempSync(join(tmpdir(), 'montage-objects-'));

objectStoreContract('files', async () => {
  const dir = tempRoot();
  return { store: createFileObjectStore(dir), close: async () => rmSync(dir, { recursive: true, force: true }) };
});

describe('file object store', () => {
  it('keeps objects inside its root and leaves no temp file after a refused put', async () => {
    const dir = tempRoot();
    try {
      const s = createFileObjectStore(join(dir, 'objects'));
      await s.put('a/b', Readable.from([Buffer.from('x')]));
      assert.equal(await s.localPath?.('a/b'), join(dir, 'objects', 'a', 'b'));
      await assert.rejects(s.put('a/c', Readable.from([Buffer.alloc(10)]), { maxBytes: 5 }));
      assert.deepEqual(readdirSync(join(dir, 'objects', '.tmp')), []);
      assert.equal(existsSync(join(dir, 'objects', 'a', 'c')), false);
      await assert.rejects(s.get('.tmp/x'), { code: 'MONTAGE_E_INVALID_REQUEST' });
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});
