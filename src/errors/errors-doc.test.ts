import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERRORS } from './registry.ts';

test('docs/errors.md lists every registry code with its status and retryable flag, and nothing else', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const rows = [...doc.matchAll(/^\| `(MONTAGE_E_[A-Z_]+)` \| (\d{3}) \| (yes|no) \|/gm)]
    .map(([, code, status, retryable]) => ({ code, status: Number(status), retryable: retryable === 'yes' }));
  const registry = Object.entries(ERRORS).map(([code, e]) => ({ code, status: e.status, retryable: e.retryable }));
  assert.deepEqual(rows, registry);
});
