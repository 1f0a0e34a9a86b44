/**
 * A fresh SQLite database file in a new temp dir, for adapter and use-case tests (the real thing,
 * never a mock). `close` closes it and removes the directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite, type SqliteDb } from './sqlite-database.ts';

export interface TempSqlite {
  readonly db: SqliteDb;
  readonly dir: string;
  readonly path: string;
  close(): Promise<void>;
}

export function openTempSqlite(): TempSqlite {
  const dir = mkdtempSync(join(tmpdir(), 'montage-sqlite-'));
  const path = join(dir, 'montage.db');
  const db = openSqlite(path);
  return {
    db, dir, path,
    async close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
