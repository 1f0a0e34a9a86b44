/**
 * `montage keys`, `migrate` and `serve` pointed at a MONTAGE_DATA_DIR they cannot create files in
 * (here a file, which fails the same way for root as for anyone; a read-only folder fails alike):
 * one MONTAGE_E_CONFIG_INVALID line naming the variable and the fix, never a stack trace or
 * SQLite's "Unable to open connection to local database …: 14".
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMontage } from '../support/run-montage.ts';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'montage-cli-data-dir-'));
  writeFileSync(join(dir, 'not-a-folder'), 'x');
});
after(() => rmSync(dir, { recursive: true, force: true }));

for (const [args, exit] of [[['keys', 'create', '--tenant', 'acme'], 3], [['keys', 'list'], 3], [['migrate'], 3], [['serve'], 1]] as const) {
  test(`montage ${args.join(' ')}: names MONTAGE_DATA_DIR and what to do, exit ${exit}`, async () => {
    for (const dataDir of [join(dir, 'not-a-folder'), join(dir, 'not-a-folder', 'below')]) {
      const r = await runMontage(args, { cwd: dir, env: { MONTAGE_DATA_DIR: dataDir, MONTAGE_PORT: '0' } });
      assert.equal(r.code, exit, r.stderr);
      assert.match(r.stderr, /MONTAGE_E_CONFIG_INVALID/);
      assert.match(r.stderr, new RegExp(`MONTAGE_DATA_DIR="${dataDir}": it is a file, not a folder\\. Point MONTAGE_DATA_DIR at a folder this user can write`));
      assert.doesNotMatch(r.stderr, /\n\s+at |ConnectionFailed|EEXIST: file already exists, mkdir/);
    }
  });
}
