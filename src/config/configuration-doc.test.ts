// docs/configuration.md documents every variable loadConfig reads, and nothing it does not read.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CONFIG_VARIABLES, loadConfig } from './load-config.ts';

const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
const scaling = readFileSync(new URL('../../docs/scaling.md', import.meta.url), 'utf8');
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
  // `montage api` checks a submission's URLs against the allow list (a 422 before anything is
  // queued), probes uploads with ffprobe and fetches sources for `/v1/validate?probe=true`: an
  // operator who sets these on the workers only, as the docs once said, gets every private webhook
  // refused by the api.
  it('says the api reads the variables of its submit, upload and probe checks', () => {
    const apiReads = ['MONTAGE_ALLOW_HOSTS', 'MONTAGE_FFPROBE', 'MONTAGE_DOWNLOAD_TIMEOUT', 'MONTAGE_DOWNLOAD_STALL_TIMEOUT'];
    const roles = (v: string) => new RegExp(`^\\| \`${v}\` \\| [^|]* \\| ([SAWC ]+) \\|`, 'm').exec(doc)?.[1]?.split(' ') ?? [];
    assert.deepEqual(apiReads.filter((v) => !roles(v).includes('A')), [], 'configuration.md: the roles column lacks A');
    const apiColumn = scaling.split('\n').filter((l) => l.startsWith('| ') && l.split('|').length === 5).map((l) => l.split('|')[2]!).join(' ');
    assert.deepEqual(apiReads.filter((v) => !apiColumn.includes(`\`${v}\``)), [], 'scaling.md: the `montage api` column lacks them');
  });
});
