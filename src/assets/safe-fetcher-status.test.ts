// What a download's final status becomes, against a real local server: a client error that asking
// again will not change (404, 410, 401, 403) is MONTAGE_E_FETCH_REFUSED_BY_SERVER, not retryable,
// so a render with a wrong URL fails at once; before, every non-2xx was MONTAGE_E_FETCH_FAILED and
// the render was tried three times over about a minute. A 5xx, 408, 425 or 429 stays retryable.
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isMontageError } from '../errors/registry.ts';
import { parseAllowList } from './allow-list.ts';
import { startCountingServer, type CountingServer } from './counting-server.ts';
import { SafeFetcher } from './safe-fetcher.ts';

let server: CountingServer;
let dir: string;
before(async () => {
  server = await startCountingServer((req, res) => { res.writeHead(Number(req.url!.slice(1))).end('no'); });
  dir = await mkdtemp(join(tmpdir(), 'montage-status-'));
});
after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

test('a final status that is not 2xx: refused for good or worth another try, named with its reason', async () => {
  const parsed = parseAllowList(`127.0.0.1:${server.port}`);
  assert.ok(parsed.ok);
  const fetcher = new SafeFetcher({ allowList: parsed.allowList });
  const expect: Record<number, [string, boolean, RegExp]> = {
    404: ['MONTAGE_E_FETCH_REFUSED_BY_SERVER', false, /answered 404 \(Not Found\); check that the URL is right/],
    410: ['MONTAGE_E_FETCH_REFUSED_BY_SERVER', false, /answered 410 \(Gone\)/],
    403: ['MONTAGE_E_FETCH_REFUSED_BY_SERVER', false, /answered 403 \(Forbidden\); the file is private/],
    429: ['MONTAGE_E_FETCH_FAILED', true, /answered 429 \(Too Many Requests\)\.$/],
    503: ['MONTAGE_E_FETCH_FAILED', true, /answered 503 \(Service Unavailable\)\.$/],
  };
  for (const [status, [code, retryable, message]] of Object.entries(expect)) {
    const file = join(dir, `${status}.bin`);
    await assert.rejects(fetcher.fetchToFile(`http://127.0.0.1:${server.port}/${status}`, file), (e) => {
      assert.ok(isMontageError(e), String(e));
      assert.deepEqual([e.code, e.retryable], [code, retryable], `${status}: ${e.message}`);
      assert.match(e.message, message);
      return true;
    });
    await assert.rejects(stat(file), 'no partial file is left');
  }
});
