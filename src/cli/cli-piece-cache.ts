/**
 * `montage render --cache DIR`: the piece cache of the CLI, a SQLite index (DIR/index.db) and the
 * pieces as files (DIR/piece-cache/cli/<key>.<ext>), the same adapters `serve` uses; and what
 * renders learned of their local input files (DIR/inputs.json: probes, keyframe lists, hashes).
 */
import { join } from 'node:path';
import { openSqlite } from '../adapters/sqlite-database.ts';
import { MontageError } from '../errors/registry.ts';
import { folderWriteProblem } from '../main/writable-data-dir.ts';
import { createFileObjectStore } from '../adapters/file-object-store.ts';
import { createSqlitePieceCache } from '../adapters/sqlite-piece-cache.ts';
import type { PieceCache } from '../ports/piece-cache.ts';
import type { InputMemo } from '../ports/input-memo.ts';
import { openFileInputMemo } from '../adapters/file-input-memo.ts';

/** The one tenant of a CLI cache directory. */
export const CLI_TENANT = 'cli';

/** Throws MONTAGE_E_INVALID_REQUEST (exit 2) naming --cache when DIR cannot hold files, before any rendering. */
export const openCliPieceCache = (dir: string): { cache: PieceCache; inputs: InputMemo & { save(): Promise<void> }; close(): void } => {
  const problem = folderWriteProblem(dir);
  if (problem !== null) throw new MontageError('MONTAGE_E_INVALID_REQUEST', `--cache ${dir}: ${problem}. Give --cache a folder you can write.`);
  const db = openSqlite(join(dir, 'index.db'));
  return { cache: createSqlitePieceCache(db, createFileObjectStore(dir)), inputs: openFileInputMemo(join(dir, 'inputs.json')), close: () => db.close() };
};
