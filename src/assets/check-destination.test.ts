// The submit-time destination check: the connect-time rules of guarded-agents.ts applied to a URL
// before anything is fetched, with names resolved by a pinned resolver (and the system's, for a
// name under .invalid, which RFC 6761 guarantees never resolves).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllowList, EMPTY_ALLOW_LIST } from './allow-list.ts';
import { createDestinationCheck } from './check-destination.ts';
import type { Resolver } from './guarded-agents.ts';

const pinned = (table: Record<string, string[]>): Resolver => async (name) => {
  const found = table[name];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  return found.map((address) => ({ address, family: address.includes(':') ? 6 as const : 4 as const }));
};

describe('destination check before fetching', () => {
  const resolve = pinned({ 'media.example.com': ['93.184.216.34'], 'lan.example.com': ['10.1.2.3'], 'both.example.com': ['93.184.216.34', '192.168.1.9'] });
  const check = createDestinationCheck({ allowList: EMPTY_ALLOW_LIST, resolve });

  it('passes a public https URL, by name or by address', async () => {
    assert.equal(await check('https://media.example.com/a.png'), null);
    assert.equal(await check('https://93.184.216.34/a.png'), null);
  });

  it('refuses loopback, private and link-local addresses, by literal and by what a name resolves to, naming MONTAGE_ALLOW_HOSTS', async () => {
    for (const url of ['https://127.0.0.1:18090/hook', 'https://[::1]/x', 'https://169.254.169.254/latest', 'https://lan.example.com/a.png', 'https://both.example.com/a.png', 'https://localhost/x']) {
      const p = await check(url);
      assert.equal(p?.code, 'MONTAGE_E_FETCH_FORBIDDEN', url);
      assert.match(p!.detail, /MONTAGE_ALLOW_HOSTS/, url);
      assert.doesNotMatch(p!.detail, /\([^)]*\(/, `no nested brackets: ${p!.detail}`);
    }
    assert.match((await check('https://lan.example.com/a.png'))!.detail, /resolves to 10\.1\.2\.3, which is not a public address: private/);
  });

  it('refuses plain http off the allow list, saying to use https or MONTAGE_ALLOW_HOSTS', async () => {
    const p = await check('http://media.example.com/a.png');
    assert.equal(p?.code, 'MONTAGE_E_FETCH_FORBIDDEN');
    assert.match(p!.detail, /Use https, or have the operator add media\.example\.com to MONTAGE_ALLOW_HOSTS\./);
  });

  it('refuses other schemes with the sentence of the fetcher', async () => {
    const p = await check('ftp://media.example.com/a.png');
    assert.equal(p?.code, 'MONTAGE_E_FETCH_FORBIDDEN');
    assert.match(p!.detail, /Only https: URLs/);
  });

  it('reports a name that does not exist, and lets a slow resolver pass (the worker decides)', async () => {
    const p = await check('https://medai.example.com/a.png');
    assert.deepEqual(p, { code: 'MONTAGE_E_FETCH_FAILED', detail: 'The host name "medai.example.com" does not resolve. Check the spelling of the URL.' });
    const system = await createDestinationCheck({ allowList: EMPTY_ALLOW_LIST })('https://no-such-host.invalid/a.png');
    assert.equal(system?.code, 'MONTAGE_E_FETCH_FAILED');
    const slow = createDestinationCheck({ allowList: EMPTY_ALLOW_LIST, lookupTimeoutMs: 20, resolve: () => new Promise(() => {}) });
    assert.equal(await slow('https://slow.example.com/a.png'), null);
    const away = createDestinationCheck({ allowList: EMPTY_ALLOW_LIST, resolve: async () => { throw Object.assign(new Error('EAI_AGAIN'), { code: 'EAI_AGAIN' }); } });
    assert.equal(await away('https://media.example.com/a.png'), null);
  });

  it('passes what MONTAGE_ALLOW_HOSTS lists, by name, address:port or block, http included', async () => {
    const parsed = parseAllowList('minio.internal:9000,127.0.0.1:18090,10.0.0.0/8');
    assert.ok(parsed.ok);
    const allowed = createDestinationCheck({ allowList: parsed.allowList, resolve: pinned({ 'minio.internal': ['10.9.9.9'], 'lan.example.com': ['10.1.2.3'] }) });
    assert.equal(await allowed('http://minio.internal:9000/b/a.png'), null);
    assert.equal(await allowed('http://127.0.0.1:18090/hook'), null);
    assert.equal(await allowed('https://lan.example.com/a.png'), null);
    assert.equal((await allowed('http://127.0.0.1:18091/hook'))?.code, 'MONTAGE_E_FETCH_FORBIDDEN', 'another port is not listed');
  });
});
