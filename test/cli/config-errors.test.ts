/**
 * A bad environment variable as a first-time user meets it: any command stops before doing
 * anything, exit 2, with MONTAGE_E_CONFIG_INVALID and one line per bad variable naming it, its
 * value and what it takes (each said once).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMontage } from '../support/run-montage.ts';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'montage-cli-config-'));
  writeFileSync(join(dir, 'c.json'), JSON.stringify({ output: {}, tracks: [{ clips: [{ asset: { type: 'color', color: '#fff' }, start: 0, length: 1 }] }] }));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('two bad variables: exit 2, the code, and each variable named once with what it takes', async () => {
  const r = await runMontage(['validate', 'c.json'], { cwd: dir, env: { MONTAGE_PORT: 'eighty', MONTAGE_SHUTDOWN_GRACE: '-5s' } });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /MONTAGE_E_CONFIG_INVALID/);
  assert.equal(r.stderr.split('MONTAGE_PORT="eighty": expected a whole number from 0 to 65535').length - 1, 1, r.stderr);
  assert.equal(r.stderr.split('MONTAGE_SHUTDOWN_GRACE="-5s": expected seconds (30) or a duration').length - 1, 1, r.stderr);
});
