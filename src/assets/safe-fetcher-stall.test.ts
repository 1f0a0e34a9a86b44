// The download stall limit against a real loopback server: a body that stops arriving fails the
// download after the stall limit (not the 30-minute total), naming the URL's host, the limit and the
// fix, and removes the partial file; a body that trickles steadily, slower than the total of many
// stall limits but never pausing that long, downloads whole.
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isMontageError } from '../errors/registry.ts';
import { parseAllowList } from './allow-list.ts';
import { startCountingServer, type CountingServer } from './counting-server.ts';
import { SafeFetcher } from './safe-fetcher.ts';

let server: CountingServer;
let dir: string;
const held = new Set<{ destroy(): void }>();

before(async () => {
  server = await startCountingServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '1000' });
    if (req.url === '/stall') {
      res.write(Buffer.alloc(10, 7)); // then nothing: the connection stays open
      held.add(res);
      return;
    }
    // /trickle: 1000 bytes in 20 chunks, one every 100 ms (2 s in all)
    let sent = 0;
    const timer = setInterval(() => {
      res.write(Buffer.alloc(50, 1));
      if (++sent === 20) { clearInterval(timer); res.end(); }
    }, 100);
    res.on('close', () => clearInterval(timer));
  }, []);
  dir = await mkdtemp(join(tmpdir(), 'montage-stall-'));
});

after(async () => {
  for (const r of held) r.destroy();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const fetcher = () => {
  const parsed = parseAllowList(`127.0.0.1:${server.port}`);
  assert.ok(parsed.ok);
  // The total limit is short too, so that without a stall limit the test fails in seconds, not 30 minutes.
  return new SafeFetcher({ allowList: parsed.allowList, limits: { stallTimeoutMs: 400, totalTimeoutMs: 8_000 } });
};

describe('download stall limit', () => {
  test('headers and 10 bytes, then silence: MONTAGE_E_FETCH_TIMEOUT after the stall limit, naming host, limit and fix; no partial file', async () => {
    const dest = join(dir, 'stalled.bin');
    const t0 = Date.now();
    await assert.rejects(fetcher().fetchToFile(`http://127.0.0.1:${server.port}/stall`, dest), (e: unknown) => {
      assert.ok(isMontageError(e), String(e));
      assert.equal(e.code, 'MONTAGE_E_FETCH_TIMEOUT');
      assert.match(e.message, new RegExp(`Downloading http://127\\.0\\.0\\.1:${server.port}/stall stalled: no byte arrived for 400 ms \\(the download stall limit\\), after 10 bytes`));
      assert.match(e.message, /raise MONTAGE_DOWNLOAD_STALL_TIMEOUT/);
      return true;
    });
    const ms = Date.now() - t0;
    assert.ok(ms >= 380 && ms < 3_000, `failed after ${ms} ms (stall limit 400 ms, total limit 8 s)`);
    await assert.rejects(stat(dest), { code: 'ENOENT' });
  });

  test('a steady trickle (a chunk every 100 ms for 2 s) is not a stall: the whole body arrives', async () => {
    const got = await fetcher().fetchToFile(`http://127.0.0.1:${server.port}/trickle`, join(dir, 'trickle.bin'));
    assert.equal(got.bytes, 1000);
  });
});
