// The committed studio/dist is what `npm run build:studio` makes of the current sources: the
// package ships it prebuilt (montage serve builds nothing at run time), so a change to studio/,
// the published schema, the examples' media or a dependency must come with a fresh build.
// Vite's output is deterministic (content-hashed names), so this rebuilds into a temporary folder
// and compares every file byte for byte.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const COMMITTED = join(ROOT, 'studio/dist');

const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
  const p = join(dir, n);
  return statSync(p).isDirectory() ? files(p) : [p];
});

it('the committed studio/dist is up to date with its sources (else: npm run build:studio)', { timeout: 120_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'montage-studio-'));
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'studio/vite.config.ts'], {
      cwd: ROOT, env: { ...process.env, STUDIO_OUT_DIR: out, NODE_ENV: 'production' }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    const list = (dir: string) => files(dir).map((f) => relative(dir, f).split('\\').join('/')).sort();
    const fresh = list(out);
    assert.deepEqual(list(COMMITTED), fresh, 'the same files (names carry content hashes): run npm run build:studio and commit studio/dist');
    for (const f of fresh) {
      assert.ok(readFileSync(join(COMMITTED, f)).equals(readFileSync(join(out, f))), `studio/dist/${f} differs from a fresh build: run npm run build:studio`);
    }
    assert.ok(fresh.includes('index.html'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
