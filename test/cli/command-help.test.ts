/**
 * Finding one's way around `montage` as a first-time user does: `montage help CMD` and
 * `montage CMD --help` print that command's help and exit 0 without doing anything; a mistyped
 * command names the one it most likely meant.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMontage } from '../support/run-montage.ts';

let dir = '';
before(() => { dir = mkdtempSync(join(tmpdir(), 'montage-cli-help-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

test('montage help render prints render\'s options, as montage render --help does', async () => {
  const help = await runMontage(['help', 'render'], { cwd: dir });
  const flag = await runMontage(['render', '--help'], { cwd: dir });
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^Usage: montage render FILE/);
  assert.match(help.stdout, /--timeout S/);
  assert.equal(help.stdout, flag.stdout);
});

test('montage validate --help (and help validate) prints its usage and options, exit 0', async () => {
  for (const args of [['validate', '--help'], ['validate', '-h'], ['help', 'validate']]) {
    const r = await runMontage(args, { cwd: dir });
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stdout, /^Usage: montage validate FILE/, args.join(' '));
    assert.match(r.stdout, /--probe/);
    assert.equal(r.stderr, '');
  }
});

test('montage migrate --help prints its usage and migrates nothing; an unknown option is exit 2', async () => {
  const env = { MONTAGE_DATA_DIR: join(dir, 'data') };
  const r = await runMontage(['migrate', '--help'], { cwd: dir, env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Usage: montage migrate/);
  assert.ok(!existsSync(join(dir, 'data')), 'no database was created or migrated');
  const bad = await runMontage(['migrate', '--dry-run'], { cwd: dir, env });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Unknown option '--dry-run'/);
  assert.ok(!existsSync(join(dir, 'data')));
});

test('a mistyped command: exit 2, and the command it most likely meant', async () => {
  for (const [typed, meant] of [['rendr', 'render'], ['valdiate', 'validate'], ['server', 'serve']] as const) {
    const r = await runMontage([typed, 'x.json'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`^Unknown command "${typed}". Did you mean "montage ${meant}"\\?`));
  }
  const far = await runMontage(['frobnicate'], { cwd: dir });
  assert.equal(far.code, 2);
  assert.match(far.stderr, /^Unknown command "frobnicate"\.\n/);
});
