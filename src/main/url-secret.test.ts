// serve's URL-signing secret: MONTAGE_URL_SECRET when set; otherwise made once, kept in the data
// dir readable by its owner only, and the same after a restart (links handed out keep working).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/load-config.ts';
import { embeddedUrlSecret } from './url-secret.ts';

test('serve keeps one URL secret in its data dir unless MONTAGE_URL_SECRET is set', () => {
  const dir = mkdtempSync(join(tmpdir(), 'montage-url-secret-'));
  try {
    const config = loadConfig({ MONTAGE_DATA_DIR: dir });
    const first = embeddedUrlSecret(config);
    assert.match(first, /^[0-9a-f]{64}$/);
    assert.equal(statSync(join(dir, 'url-secret')).mode & 0o777, 0o600);
    assert.equal(embeddedUrlSecret(loadConfig({ MONTAGE_DATA_DIR: dir })), first, 'the same after a restart');
    assert.equal(readFileSync(join(dir, 'url-secret'), 'utf8').trim(), first);
    const set = 'x'.repeat(40);
    assert.equal(embeddedUrlSecret(loadConfig({ MONTAGE_DATA_DIR: dir, MONTAGE_URL_SECRET: set })), set);
    assert.throws(() => loadConfig({ MONTAGE_DATA_DIR: dir, MONTAGE_URL_SECRET: 'short' }), /MONTAGE_URL_SECRET="short": expected at least 32 characters/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
