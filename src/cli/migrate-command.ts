/**
 * `montage migrate`: brings the configured database's schema up to date and says what it did:
 * PostgreSQL when DATABASE_URL is set, else the SQLite file in the data dir.
 * Safe to run while `serve` runs and from several processes at once. Returns the exit code.
 */
import type { Config } from '../config/load-config.ts';
import { MontageError, isMontageError } from '../errors/registry.ts';
import { migrateSqlite } from '../adapters/sqlite-database.ts';
import { openConfiguredSqlite, type CommandIo } from './keys-command.ts';

async function migrateConfiguredPostgres(url: string) {
  const { openPostgres, migratePostgres } = await import('../adapters/postgres-database.ts');
  const pool = await openPostgres(url, { migrate: false, max: 1, timeoutMs: 600_000 });
  try {
    return await migratePostgres(pool);
  } catch (e) {
    if (isMontageError(e) && e.code !== 'MONTAGE_E_UNAVAILABLE') throw e;
    // Name the database by host only: the URL may hold a password.
    const reason = ((isMontageError(e) && e.cause instanceof Error ? e.cause : e) as Error).message;
    throw new MontageError('MONTAGE_E_UNAVAILABLE', `PostgreSQL at ${new URL(url).host} (DATABASE_URL) did not answer: ${reason}`, { cause: e });
  } finally { await pool.end(); }
}

export async function runMigrateCommand(argv: readonly string[], config: Config, io: CommandIo): Promise<number> {
  const json = argv.includes('--json');
  let db;
  try {
    const r = config.databaseUrl !== null ? await migrateConfiguredPostgres(config.databaseUrl)
      : migrateSqlite(db = openConfiguredSqlite({ ...config, autoMigrate: false }));
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
