/**
 * `montage keys create --tenant NAME [--json]`, `montage keys list [--tenant NAME] [--json]`,
 * `montage keys revoke ID`: API key management against the configured store. src/cli/main.ts
 * dispatches here with the arguments after `keys`. Returns the exit code.
 */
import { parseArgs } from 'node:util';
import type { Config } from '../config/load-config.ts';
import { MontageError, isMontageError } from '../errors/registry.ts';
import { openSqlite } from '../adapters/sqlite-database.ts';
import { ensureWritableDataDir } from '../main/writable-data-dir.ts';
import { createSqliteKeyStore } from '../adapters/sqlite-key-store.ts';
import { createKeyUseCases } from '../jobs/manage-keys.ts';
import type { KeyStore } from '../ports/key-store.ts';

/** The part of src/cli/cli-io.ts's CliIo these commands use (a CliIo fits as it is). */
export interface CommandIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

const USAGE = `Usage:
  montage keys create --tenant NAME [--json]   create a key (and the tenant on its first key); the key is shown once
  montage keys list [--tenant NAME] [--json]   list keys (never the secrets)
  montage keys revoke ID                       revoke a key at once`;

/** The embedded database of `config`; callers that also speak PostgreSQL check DATABASE_URL first. */
export function openConfiguredSqlite(config: Config) {
  if (config.databaseUrl !== null) {
    throw new MontageError('MONTAGE_E_CONFIG_INVALID', 'DATABASE_URL (PostgreSQL) is not supported here; unset it to use SQLite in the data dir.');
  }
  ensureWritableDataDir(config);
  return openSqlite(config.paths.sqlite, { migrate: config.autoMigrate });
}

export async function runKeysCommand(argv: readonly string[], config: Config, io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv], allowPositionals: true, strict: true,
      options: { tenant: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const [sub, ...rest] = parsed.positionals;
  const { tenant, json, help } = parsed.values;
  if (help || !sub) { (help ? io.stdout : io.stderr).write(`${USAGE}\n`); return help ? 0 : 2; }
  if (!['create', 'list', 'revoke'].includes(sub)) { io.stderr.write(`Unknown keys command "${sub}".\n${USAGE}\n`); return 2; }
  if (sub === 'create' && !tenant) { io.stderr.write(`keys create needs --tenant NAME.\n${USAGE}\n`); return 2; }
  if (sub === 'revoke' && rest.length !== 1) { io.stderr.write(`keys revoke needs exactly one key id.\n${USAGE}\n`); return 2; }

  let close = async () => {};
  try {
    const store = await openConfiguredKeyStore(config);
    close = store.close;
    const keys = createKeyUseCases({ keys: store.keys });
    if (sub === 'create') {
      const k = await keys.createKey(tenant!);
      const out = { tenant: k.tenant, keyId: k.keyId, key: k.key, webhookSecret: k.webhookSecret };
      io.stdout.write(json ? `${JSON.stringify(out)}\n`
        : `Tenant:         ${out.tenant}\nKey id:         ${out.keyId}\nAPI key:        ${out.key}\nWebhook secret: ${out.webhookSecret}\n\nStore the API key now: it is not shown again.\n`);
    } else if (sub === 'list') {
      const list = await keys.listKeys(tenant);
      const rows = list.map((k) => ({ keyId: k.id, tenant: k.tenantName, createdAt: k.createdAt, revokedAt: k.revokedAt }));
      if (json) io.stdout.write(`${JSON.stringify(rows)}\n`);
      else if (rows.length === 0) io.stdout.write('No API keys.\n');
      else io.stdout.write(rows.map((r) => `${r.keyId}\t${r.tenant}\t${r.createdAt}\t${r.revokedAt ? `revoked ${r.revokedAt}` : 'active'}`).join('\n') + '\n');
    } else {
      const k = await keys.revokeKey(rest[0]!);
      io.stdout.write(json ? `${JSON.stringify({ keyId: k.id, revokedAt: k.revokedAt })}\n` : `Revoked ${k.id} at ${k.revokedAt}.\n`);
    }
    return 0;
  } catch (e) {
    if (!isMontageError(e)) throw e;
    io.stderr.write(`${e.code}: ${e.message}\n`);
    return e.code === 'MONTAGE_E_NOT_FOUND' || e.code === 'MONTAGE_E_INVALID_REQUEST' ? 1 : 3;
  } finally {
    await close();
  }
}

/** The KeyStore of `config`: PostgreSQL when DATABASE_URL is set, else the SQLite file in the data dir. */
async function openConfiguredKeyStore(config: Config): Promise<{ keys: KeyStore; close(): Promise<void> }> {
  if (config.databaseUrl === null) {
    const db = openConfiguredSqlite(config);
    return { keys: createSqliteKeyStore(db), close: async () => { db.close(); } };
  }
  const { openPostgres } = await import('../adapters/postgres-database.ts');
  const { createPostgresKeyStore } = await import('../adapters/postgres-key-store.ts');
  let pool;
  try {
    pool = await openPostgres(config.databaseUrl, { migrate: config.autoMigrate, max: 1 });
    await pool.query('SELECT 1');
  } catch (e) {
    await pool?.end();
    if (isMontageError(e)) throw e;
    // Name the database by host only: the URL may hold a password.
    throw new MontageError('MONTAGE_E_UNAVAILABLE', `PostgreSQL at ${new URL(config.databaseUrl).host} (DATABASE_URL) did not answer: ${(e as Error).message}`, { cause: e });
  }
  const p = pool;
  return { keys: createPostgresKeyStore(p), close: () => p.end() };
}
