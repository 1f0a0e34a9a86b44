// The SQLite ChunkStore against the shared port contract, on a fresh database file.
import { chunkStoreContract } from '../ports/chunk-store.contract.ts';
import { createSqliteChunkStore } from './sqlite-chunk-store.ts';
import { openTempSqlite } from './sqlite-test-db.ts';

chunkStoreContract('sqlite', async () => {
  const t = openTempSqlite();
  return { store: createSqliteChunkStore(t.db), close: t.close };
});
