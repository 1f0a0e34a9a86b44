/**
 * `montage migrate`: brings the configured database's schema up to date and says what it did.
 * Safe to run while `serve` runs and from several processes at once. Returns the exit code.
 */
import type { Config } from '../config/load-config.ts';
import { isMontageError } from '../errors/registry.ts';
import { migrateSqlite } from '../adapters/sqlite-database.ts';
import { openConfiguredSqlite, type CommandIo } from './keys-command.ts';

export async function runMigrateCommand(argv: readonly string[], config: Config, io: CommandIo): Promise<number> {
  const json = argv.includes('--json');
  let db;
  try {
    db = openConfiguredSqlite({ ...config, autoMigrate: false });
    const r = migrateSqlite(db);
    io.stdout.write(json ? `${JSON.stringify(r)}\n`
      : r.applied.length === 0 ? `Database schema is up to date (version ${r.to}).\n`
      : `Migrated the database schema from version ${r.from} to ${r.to}.\n`);
    return 0;
  } catch (e) {
    if (!isMontageError(e)) throw e;
    io.stderr.write(`${e.code}: ${e.message}\n`);
    return 3;
  } finally {
    db?.close();
  }
}
