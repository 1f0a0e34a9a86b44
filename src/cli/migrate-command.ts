/**
 * `montage migrate`: brings the configured database's schema up to date and says what it did:
 * PostgreSQL when DATABASE_URL is set, else the SQLite file in the data dir.
 * Safe to run while `serve` runs and from several processes at once. Returns the exit code.
 */
import { parseArgs } from 'node:util';
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

const USAGE = `Usage: montage migrate [--json]

Brings the database schema up to date: PostgreSQL when DATABASE_URL is set, else the SQLite file in
MONTAGE_DATA_DIR. Safe to run while the service runs, and from several processes at once.
Exit codes: 0 up to date, 2 bad arguments, 3 the database could not be migrated.`;

export async function runMigrateCommand(argv: readonly string[], config: Config, io: CommandIo): Promise<number> {
  // Arguments are checked before anything is opened: `migrate --help` must not migrate.
  let json = false;
  try {
    const { values } = parseArgs({ args: [...argv], strict: true, allowPositionals: false, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) { io.stdout.write(`${USAGE}\n`); return 0; }
    json = !!values.json;
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
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
