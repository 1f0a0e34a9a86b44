/**
 * `montage serve` on a port something else holds (8080 often is, on a developer's machine), or on
 * an address that is not this machine's: exit 1, and a sentence naming MONTAGE_PORT / MONTAGE_HOST
 * and what to set, not Node's bare "Error: listen EADDRINUSE".
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMontage } from '../support/run-montage.ts';

let dir = '';
let holder: Server;
let port = 0;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'montage-cli-port-'));
  holder = createServer().listen(0, '0.0.0.0');
  await once(holder, 'listening');
  port = (holder.address() as { port: number }).port;
});
after(() => { holder.close(); rmSync(dir, { recursive: true, force: true }); });

test('a port already in use: exit 1 naming the port, MONTAGE_PORT and MONTAGE_PORT=0', async () => {
  const r = await runMontage(['serve'], { cwd: dir, env: { MONTAGE_PORT: String(port), MONTAGE_DATA_DIR: join(dir, 'data') } });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `montage serve could not start: port ${port} on 0.0.0.0 is already in use (MONTAGE_PORT, MONTAGE_HOST). `
    + 'Stop what listens there, or set MONTAGE_PORT to a free port (MONTAGE_PORT=0 takes any free one).\n');
});

test('MONTAGE_HOST that is not an address of this machine: exit 1 naming MONTAGE_HOST', async () => {
  const r = await runMontage(['serve'], { cwd: dir, env: { MONTAGE_PORT: '0', MONTAGE_HOST: '192.0.2.123', MONTAGE_DATA_DIR: join(dir, 'data') } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^montage serve could not start: 192\.0\.2\.123 is not an address of this machine \(MONTAGE_HOST\)\./);
});
