// Each npm command installs only what it needs (issue 18, item 14): `npm run example` and
// `npm run setup` set up ffmpeg and the npm dependencies, never chromium or nginx, which only the
// tests use; `npm run setup-and-test` asks for those too. The invocations are read from
// package.json and run in the script's plan mode (MONTAGE_SETUP_PLAN=1), which changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const ROOT = new URL('../..', import.meta.url).pathname;
const scripts = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;

/** The apt packages the setup.sh call inside `npm run NAME` is for. */
const plan = (name: string): string[] => {
  const m = /bash scripts\/setup\.sh((?: --[a-z-]+)*)/.exec(scripts[name] ?? '');
  assert.ok(m, `npm run ${name} calls scripts/setup.sh: ${scripts[name]}`);
  const args = m[1]!.trim().split(/\s+/).filter(Boolean);
  return execFileSync('bash', ['scripts/setup.sh', ...args], { cwd: ROOT, env: { ...process.env, MONTAGE_SETUP_PLAN: '1' }, encoding: 'utf8' }).trim().split('\n');
};

test('npm run example and npm run setup install ffmpeg, not chromium or nginx', () => {
  for (const name of ['example', 'setup']) assert.deepEqual(plan(name), ['ffmpeg'], name);
});

test('npm run setup-and-test installs the test tools too', () => {
  assert.deepEqual(plan('setup-and-test'), ['ffmpeg', 'fonts-dejavu-core', 'chromium', 'nginx-light']);
});

test('setup.sh refuses an unknown option instead of ignoring it', () => {
  assert.throws(() => execFileSync('bash', ['scripts/setup.sh', '--with-tests'], { cwd: ROOT, stdio: 'pipe', env: { ...process.env, MONTAGE_SETUP_PLAN: '1' } }), /unknown option --with-tests/);
});
