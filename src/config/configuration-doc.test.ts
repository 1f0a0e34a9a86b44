// docs/configuration.md documents every variable loadConfig reads, and nothing it does not read.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CONFIG_VARIABLES } from './load-config.ts';

const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
const documented = new Set([...doc.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]!));

describe('docs/configuration.md', () => {
  it('has a row for every variable the configuration reads', () => {
    assert.deepEqual(CONFIG_VARIABLES.filter((v) => !documented.has(v)), []);
  });
  it('has no row for a variable the configuration does not read', () => {
    assert.deepEqual([...documented].filter((v) => !(CONFIG_VARIABLES as readonly string[]).includes(v)), []);
  });
});
