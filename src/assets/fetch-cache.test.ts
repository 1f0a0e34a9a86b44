// The fetch cache over the real SafeFetcher and a real loopback HTTP server (allowed through the
// allow list, as MONTAGE_ALLOW_HOSTS would) that counts the requests reaching it.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseAllowList } from './allow-list.ts';
import { startCountingServer, type CountingServer } from './counting-server.ts';
import { FetchCache, urlKey } from './fetch-cache.ts';
import { SafeFetcher } from './safe-fetcher.ts';

const BODY = 'x'.repeat(1000);
let server: CountingServer;
let root: string;
let networkBytes = 0;
let fetcher: SafeFetcher;

before(async () => {
  server = await startCountingServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
    const cc = url.searchParams.get('cc');
    if (cc) headers['cache-control'] = cc;
    // Slow enough that concurrent callers really overlap.
    setTimeout(() => res.writeHead(200, headers).end(url.searchParams.get('body') ?? BODY), 50);
  }, []);
  const allow = parseAllowList(`127.0.0.1:${server.port}`);
  assert.ok(allow.ok);
  fetcher = new SafeFetcher({ allowList: allow.allowList, onBytes: (n) => { networkBytes += n; } });
  root = await mkdtemp(join(tmpdir(), 'montage-fetch-cache-'));
});
after(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

let n = 0;
const fresh = async (maxBytes = 1024 ** 2, clock?: () => number) => {
  const dir = join(root, `c${++n}`);
  return { dir, cache: await FetchCache.open({ dir, maxBytes, fetcher, clock }) };
};
const requestsFor = (path: string) => server.paths.filter((p) => p === path).length;
const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;
const dest = (name: string) => join(root, `${name}-${++n}`);

describe('fetch cache', () => {
  test('5 concurrent fetches of one URL make 1 request; later ones are hits; network bytes are counted once', async () => {
    const { cache } = await fresh();
    const bytesBefore = networkBytes;
    const files = Array.from({ length: 5 }, (_, i) => dest(`conc${i}`));
    const results = await Promise.all(files.map((f) => cache.fetchToFile(url('/same'), f)));
    assert.equal(requestsFor('/same'), 1);
    assert.deepEqual(results.map((r) => r.outcome), Array(5).fill('stored'));
    for (const f of files) assert.equal(await readFile(f, 'utf8'), BODY);
    const again = await cache.fetchToFile(url('/same#fragment-is-not-sent'), dest('hit'));
    assert.equal(again.outcome, 'hit');
    assert.equal(requestsFor('/same'), 1);
    assert.equal(networkBytes - bytesBefore, BODY.length, 'only the one download counts as fetched bytes');
  });

  test('Cache-Control: no-store (and private, no-cache, max-age=0) is fetched every time and never stored', async () => {
    const { cache, dir } = await fresh();
    for (const cc of ['no-store', 'private', 'no-cache', 'max-age=0']) {
      const path = `/ns?cc=${encodeURIComponent(cc)}`;
      for (let i = 0; i < 3; i++) {
        const d = dest('ns');
        assert.equal((await cache.fetchToFile(url(path), d)).outcome, 'not-stored');
        assert.equal(await readFile(d, 'utf8'), BODY);
      }
      assert.equal(requestsFor(path), 3, cc);
    }
    assert.deepEqual(cache.size, { bytes: 0, entries: 0 });
    assert.deepEqual(await readdir(join(dir, 'blobs')), []);
    assert.deepEqual(await readdir(join(dir, 'tmp')), [], 'no temporary file is left behind');
  });

  test('max-age is honoured: fresh until it runs out, then fetched again', async () => {
    let now = Date.now();
    const { cache } = await fresh(1024 ** 2, () => now);
    const path = '/aged?cc=max-age%3D60';
    await cache.fetchToFile(url(path), dest('aged'));
    now += 59_000;
    assert.equal((await cache.fetchToFile(url(path), dest('aged'))).outcome, 'hit');
    now += 2_000;
    assert.equal((await cache.fetchToFile(url(path), dest('aged'))).outcome, 'stored');
    assert.equal(requestsFor(path), 2);
  });

  test('least recently used URLs are evicted past maxBytes; a caller keeps its linked file', async () => {
    const { cache, dir } = await fresh(2500);
    const held = dest('held');
    await cache.fetchToFile(url('/e1'), held);
    await cache.fetchToFile(url('/e2'), dest('e2'));
    await cache.fetchToFile(url('/e1?v=1'), dest('e1v')); // same bytes as /e1: one blob, two URLs
    assert.deepEqual(cache.size, { bytes: 1000, entries: 3 });
    await cache.fetchToFile(url('/e3?body=' + 'y'.repeat(1000)), dest('e3'));
    await cache.fetchToFile(url('/e1'), dest('e1-hit')); // /e1 is now the most recently used
    await cache.fetchToFile(url('/e4?body=' + 'z'.repeat(1000)), dest('e4'));
    assert.ok(cache.size.bytes <= 2500, `within the bound: ${cache.size.bytes}`);
    assert.equal((await readdir(join(dir, 'blobs'))).length, 2, 'the evicted blobs are gone from disk');

    const before = { e1: requestsFor('/e1'), e2: requestsFor('/e2') };
    assert.equal((await cache.fetchToFile(url('/e1'), dest('e1-again'))).outcome, 'hit');
    assert.equal((await cache.fetchToFile(url('/e2'), dest('e2-again'))).outcome, 'stored', '/e2 was the least recently used');
    assert.deepEqual({ e1: requestsFor('/e1'), e2: requestsFor('/e2') }, { e1: before.e1, e2: before.e2 + 1 });
    assert.equal(await readFile(held, 'utf8'), BODY, 'a file handed out earlier survives eviction');
  });

  test('a body larger than the whole budget is passed through, not stored', async () => {
    const { cache } = await fresh(500);
    assert.equal((await cache.fetchToFile(url('/big'), dest('big'))).outcome, 'not-stored');
    assert.equal((await cache.fetchToFile(url('/big'), dest('big'))).outcome, 'not-stored');
    assert.equal(requestsFor('/big'), 2);
  });

  test('a restart keeps the cache (and its LRU order); stray files are cleaned up', async () => {
    const { cache, dir } = await fresh();
    await cache.fetchToFile(url('/persist'), dest('p'));
    const reopened = await FetchCache.open({ dir, maxBytes: 1024 ** 2, fetcher });
    assert.equal((await reopened.fetchToFile(url('/persist'), dest('p2'))).outcome, 'hit');
    assert.equal(requestsFor('/persist'), 1);
    const blob = (await readdir(join(dir, 'blobs')))[0]!;
    assert.equal((await stat(join(dir, 'blobs', blob))).mode & 0o777, 0o444, 'blobs are read-only');
    assert.equal(urlKey(url('/persist')), urlKey(url('/persist').replace('http', 'HTTP')));
  });

  test('one caller giving up does not cancel the download for the others', async () => {
    const { cache } = await fresh();
    const quitter = new AbortController();
    const a = cache.fetchToFile(url('/shared-abort'), dest('quit'), { signal: quitter.signal });
    const b = cache.fetchToFile(url('/shared-abort'), dest('stay'));
    quitter.abort(new Error('canceled'));
    await assert.rejects(a, /canceled/);
    assert.equal((await b).bytes, BODY.length);
    assert.equal(requestsFor('/shared-abort'), 1);
  });

  test('refusals of the safe fetcher still apply (an address off the allow list, another scheme; nothing is cached)', async () => {
    const { cache } = await fresh();
    await assert.rejects(cache.fetchToFile(`https://127.0.0.1:${server.port + 1}/x`, dest('no')), { code: 'MONTAGE_E_FETCH_FORBIDDEN' });
    await assert.rejects(cache.fetchToFile('file:///etc/passwd', dest('no')), { code: 'MONTAGE_E_FETCH_FORBIDDEN' });
    assert.equal(cache.size.entries, 0);
  });
});
