// The SQLite-indexed PieceCache (bytes in the file ObjectStore) against the shared port contract.
import { join } from 'node:path';
import { pieceCacheContract } from '../ports/piece-cache.contract.ts';
import { createSqlitePieceCache } from './sqlite-piece-cache.ts';
import { createFileObjectStore } from './file-object-store.ts';
import { openTempSqlite } from './sqlite-test-db.ts';

pieceCacheContract('sqlite + files', async () => {
  const t = openTempSqlite();
  const objects = createFileObjectStore(join(t.dir, 'objects'));
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const cache = createSqlitePieceCache(t.db, objects, () => new Date(clock));
  return { store: { cache, objects, advance: (s: number) => { clock += s * 1000; } }, close: t.close };
});
