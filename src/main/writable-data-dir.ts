/**
 * MONTAGE_DATA_DIR must be a folder this process can create files in before the embedded database
 * (and the object store, the scratch space) is opened there: otherwise SQLite fails with
 * "Unable to open connection to local database …: 14" (a stack trace in `montage keys`) and nothing
 * names the variable to change.
 */
import { mkdirSync, mkdtempSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/load-config.ts';
import { MontageError } from '../errors/registry.ts';

/** Creates the data dir if it is missing and proves it writable; throws MONTAGE_E_CONFIG_INVALID naming MONTAGE_DATA_DIR otherwise. */
export function ensureWritableDataDir(config: Pick<Config, 'dataDir'>): void {
  try {
    mkdirSync(config.dataDir, { recursive: true });
    // A real write: access(W_OK) says yes to root in a read-only or immutable folder.
    rmdirSync(mkdtempSync(join(config.dataDir, '.write-check-')));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const what = code === 'EEXIST' || code === 'ENOTDIR' ? 'it is a file, not a folder' : `cannot create files there (${code ?? (e as Error).message})`;
    const detail = `MONTAGE_DATA_DIR=${JSON.stringify(config.dataDir)}: ${what}. `
      + 'Point MONTAGE_DATA_DIR at a folder this user can write (default ./.montage in the current folder), or fix its permissions.';
    throw new MontageError('MONTAGE_E_CONFIG_INVALID', `Invalid configuration:\n  - ${detail}`, { cause: e, problems: [{ pointer: '/MONTAGE_DATA_DIR', detail }] });
  }
}
