/**
 * MONTAGE_DATA_DIR must be a folder this process can create files in before the embedded database
 * (and the object store, the scratch space) is opened there: otherwise SQLite fails with
 * "Unable to open connection to local database …: 14" (a stack trace in `montage keys`) and nothing
 * names the variable to change. `montage render --cache DIR` checks its folder the same way.
 */
import { mkdirSync, mkdtempSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/load-config.ts';
import { MontageError } from '../errors/registry.ts';

/**
 * Creates `dir` if it is missing and proves it writable: null, or why not ("it is a file, not a
 * folder", "cannot create files there (EACCES)").
 */
export function folderWriteProblem(dir: string): string | null {
  try {
    mkdirSync(dir, { recursive: true });
    // A real write: access(W_OK) says yes to root in a read-only or immutable folder.
    rmdirSync(mkdtempSync(join(dir, '.write-check-')));
    return null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'EEXIST' || code === 'ENOTDIR' ? 'it is a file, not a folder' : `cannot create files there (${code ?? (e as Error).message})`;
  }
}

/** The data dir, as folderWriteProblem makes it; throws MONTAGE_E_CONFIG_INVALID naming MONTAGE_DATA_DIR otherwise. */
export function ensureWritableDataDir(config: Pick<Config, 'dataDir'>): void {
  const problem = folderWriteProblem(config.dataDir);
  if (problem === null) return;
  const detail = `MONTAGE_DATA_DIR=${JSON.stringify(config.dataDir)}: ${problem}. `
    + 'Point MONTAGE_DATA_DIR at a folder this user can write (default ./.montage in the current folder), or fix its permissions.';
  throw new MontageError('MONTAGE_E_CONFIG_INVALID', `Invalid configuration:\n  - ${detail}`, { problems: [{ pointer: '/MONTAGE_DATA_DIR', detail }] });
}
