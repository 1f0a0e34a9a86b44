// docs/configuration.md documents every variable loadConfig reads, and nothing it does not read.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CONFIG_VARIABLES, loadConfig } from './load-config.ts';

const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
const documented = new Set([...doc.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]!));

describe('docs/configuration.md', () => {
  it('has a row for every variable the configuration reads', () => {
    assert.deepEqual(CONFIG_VARIABLES.filter((v) => !documented.has(v)), []);
  });
  it('has no row for a variable the configuration does not read', () => {
    assert.deepEqual([...documented].filter((v) => !(CONFIG_VARIABLES as readonly string[]).includes(v)), []);
  });
  it('says what a plain number of a duration variable is, as loadConfig reads it: seconds', () => {
    // It said milliseconds: MONTAGE_SHUTDOWN_GRACE=5000 meant for 5 s was 83 minutes.
    assert.match(doc, /Durations take [^.]*\sor a plain number of \*\*seconds\*\*/);
    const c = loadConfig({ MONTAGE_SHUTDOWN_GRACE: '45', MONTAGE_DOWNLOAD_TIMEOUT: '90', MONTAGE_PIECE_CACHE_MAX_AGE: '7d' });
    assert.deepEqual([c.shutdownGraceMs, c.limits.downloadStartTimeoutMs, c.pieceCache.maxAgeMs], [45_000, 90_000, 7 * 86_400_000]);
  });
});
