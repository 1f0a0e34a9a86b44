// The PostgreSQL-indexed PieceCache (bytes in the file ObjectStore) against the shared port contract.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pieceCacheContract } from '../ports/piece-cache.contract.ts';
import { createPostgresPieceCache } from './postgres-piece-cache.ts';
import { createFileObjectStore } from './file-object-store.ts';
import { openTempPostgres } from './postgres-test-db.ts';

pieceCacheContract('postgres + files', async () => {
  const t = await openTempPostgres();
  const dir = mkdtempSync(join(tmpdir(), 'montage-pg-pieces-'));
  const objects = createFileObjectStore(dir);
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const cache = createPostgresPieceCache(t.pool, objects, () => new Date(clock));
  return {
    store: { cache, objects, advance: (s: number) => { clock += s * 1000; } },
    close: async () => { await t.close(); rmSync(dir, { recursive: true, force: true }); },
  };
});
