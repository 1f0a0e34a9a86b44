/**
 * Opens the embedded SQLite database (libsql's better-sqlite3-compatible synchronous binding, which
 * ships prebuilt binaries and needs no install script) and brings its schema up to date.
 *
 * WAL lets the API read while a worker writes; busy_timeout makes a second process (the
 * `montage keys` CLI next to a running `serve`) wait for the write lock instead of failing.
 */
import Database from 'libsql';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MontageError } from '../errors/registry.ts';
import { SQLITE_MIGRATIONS, type SqliteMigration } from './sqlite-migrations.ts';

export type SqliteDb = InstanceType<typeof Database>;

export interface OpenSqliteOptions {
  /** Wait this long (ms) for another connection's write lock before failing. */
  readonly busyTimeoutMs?: number;
  /** Apply pending migrations on open (default true); `false` for `montage migrate --check`-like uses. */
  readonly migrate?: boolean;
}

export function openSqlite(path: string, opts: OpenSqliteOptions = {}): SqliteDb {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.exec(`PRAGMA busy_timeout = ${Math.trunc(opts.busyTimeoutMs ?? 5000)}`);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA foreign_keys = ON');
  if (opts.migrate !== false) migrateSqlite(db);
  return db;
}

export interface MigrationResult {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly number[];
}

/**
 * Applies every migration above the recorded schema_version, each in its own transaction, in order.
 * Safe to run concurrently from two processes: the version is re-read inside the write lock.
 * Refuses a database newer than this code knows (a downgrade would corrupt it silently).
 */
export function migrateSqlite(db: SqliteDb, migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS): MigrationResult {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const read = (): number => {
    const row = db.prepare('SELECT max(version) AS v FROM schema_version').get() as { v: number | null };
    return row.v ?? 0;
  };
  const from = read();
  const latest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
  if (from > latest) {
    throw new MontageError('MONTAGE_E_CONFIG_INVALID', `The database schema is version ${from}, newer than this Montage knows (${latest}); upgrade Montage.`);
  }
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    const apply = db.transaction(() => {
      if (read() >= m.version) return false;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(m.version);
      return true;
    });
    if (apply.immediate()) applied.push(m.version);
  }
  return { from, to: read(), applied };
}

/** True for SQLite's constraint errors (unique, primary key), which the stores report as conflicts. */
export function isConstraintError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string'
    && (e as { code: string }).code.startsWith('SQLITE_CONSTRAINT');
}
