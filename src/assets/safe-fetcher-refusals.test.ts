import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isMontageError } from '../errors/registry.ts';
import { EMPTY_ALLOW_LIST, parseAllowList, type AllowList } from './allow-list.ts';
import { watchConnectionAttempts, startCountingServer, type CountingServer } from './counting-server.ts';
import { systemResolver, type Resolver } from './guarded-agents.ts';
import { SafeFetcher } from './safe-fetcher.ts';

// Every URL below points at the test listener's real port, so a connection that slipped through
// would be counted; for destinations off the loopback, watchConnectionAttempts proves that no
// connection was even attempted.

let server: CountingServer;
let dir: string;

before(async () => {
  server = await startCountingServer((req, res) => {
    if (req.url === '/hop') {
      res.writeHead(302, { location: `http://127.0.0.1:${server.port}/secret` }).end();
    } else if (req.url === '/hop-far') {
      res.writeHead(302, { location: 'http://10.0.0.1/secret' }).end();
    } else if (req.url === '/hop-file') {
      res.writeHead(302, { location: 'file:///etc/passwd' }).end();
    } else {
      res.end('internal secret');
    }
  }, ['::1', '127.0.0.2']);
  dir = await mkdtemp(join(tmpdir(), 'montage-refusals-'));
});

after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function allow(text: string): AllowList {
  const parsed = parseAllowList(text);
  assert.ok(parsed.ok, `allow list ${text} should parse`);
  return parsed.allowList;
}

/** Fetches `url` and returns the MontageError it must be refused with, watching connection attempts meanwhile. */
async function refusal(fetcher: SafeFetcher, url: string) {
  const watch = watchConnectionAttempts();
  const before = server.connections;
  const destination = join(dir, 'out.bin');
  try {
    await fetcher.fetchToFile(url, destination);
    assert.fail(`${url} was fetched`);
  } catch (error) {
    assert.ok(isMontageError(error), `${url}: expected a MontageError, got ${String(error)}`);
    await assert.rejects(stat(destination), { code: 'ENOENT' }, 'no file is left behind');
    return { error, attempts: [...watch.attempts], connections: server.connections - before };
  } finally {
    watch.stop();
  }
}

describe('refused destinations never get a connection', () => {
  const fetcher = () => new SafeFetcher({ allowList: EMPTY_ALLOW_LIST, resolve: systemResolver });
  // https, so the refusal has to come from the address check and not from the http rule.
  const hosts = [
    '127.0.0.1', '127.1', '0177.0.0.1', '2130706433', '0x7f000001', '0.0.0.0', '[::1]',
    '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '169.254.169.254', '10.0.0.1', '100.64.0.1',
    '[fd00::1]', 'localhost', 'LOCALHOST.', 'api.localhost', '127.0.0.2', '[64:ff9b::7f00:1]', '[2002:7f00:1::1]',
  ];
  for (const host of hosts) {
    test(`https://${host}:PORT/ is refused with MONTAGE_E_FETCH_FORBIDDEN`, async () => {
      const url = `https://${host}:${server.port}/x`;
      const result = await refusal(fetcher(), url);
      assert.equal(result.error.code, 'MONTAGE_E_FETCH_FORBIDDEN');
      assert.match(result.error.message, /not a public address|names this machine/);
      assert.deepEqual(result.attempts, [], 'no connection was attempted');
      assert.equal(result.connections, 0, 'the listener saw no connection');
    });
  }

  test('WHATWG URL parsing turns the odd IPv4 spellings into 127.0.0.1 before the guard sees them', () => {
    for (const host of ['127.1', '0177.0.0.1', '2130706433', '0x7f000001', '127.0.0.1.']) {
      assert.equal(new URL(`https://${host}/`).hostname, '127.0.0.1', host);
    }
    assert.equal(new URL('https://[::ffff:127.0.0.1]/').hostname, '[::ffff:7f00:1]');
  });

  for (const url of ['file:///etc/passwd', 'gopher://127.0.0.1:70/_x', 'ftp://example.com/a', 'data:text/plain,hi']) {
    test(`${url.split(':')[0]}: URLs are refused with a reason`, async () => {
      const result = await refusal(fetcher(), url);
      assert.equal(result.error.code, 'MONTAGE_E_FETCH_FORBIDDEN');
      assert.match(result.error.message, /Only https: URLs/);
      assert.deepEqual(result.attempts, []);
    });
  }

  test('plain http to a host not on the allow list is refused before connecting', async () => {
    const resolve: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const result = await refusal(new SafeFetcher({ allowList: EMPTY_ALLOW_LIST, resolve }), `http://cdn.test:${server.port}/`);
    assert.equal(result.error.code, 'MONTAGE_E_FETCH_FORBIDDEN');
    assert.match(result.error.message, /plain http is only allowed for hosts on the allow list/);
    assert.deepEqual(result.attempts, []);
  });
});

describe('redirects are checked hop by hop', () => {
  const resolve: Resolver = async (name) =>
    name === 'assets.test' ? [{ address: '127.0.0.1', family: 4 }] : systemResolver(name);
  const fetcher = () => new SafeFetcher({ allowList: allow(`assets.test:${server.port}`), resolve });

  test('an allowed first hop redirecting to a loopback address is refused at the second hop', async () => {
    const pathsBefore = server.paths.length;
    const result = await refusal(fetcher(), `http://assets.test:${server.port}/hop`);
    assert.equal(result.error.code, 'MONTAGE_E_FETCH_FORBIDDEN');
    assert.equal(result.connections, 1, 'only the first hop connected');
    assert.deepEqual(server.paths.slice(pathsBefore), ['/hop']);
  });

  test('a redirect to a private address elsewhere gets no socket of its own', async () => {
    const result = await refusal(fetcher(), `http://assets.test:${server.port}/hop-far`);
    assert.equal(result.error.code, 'MONTAGE_E_FETCH_FORBIDDEN');
    assert.deepEqual(result.attempts, [`127.0.0.1:${server.port}`], 'one attempt, for the allowed first hop');
  });

  test('a redirect to file:// is refused', async () => {
    const result = await refusal(fetcher(), `http://assets.test:${server.port}/hop-file`);
    assert.equal(result.error.code, 'MONTAGE_E_FETCH_FORBIDDEN');
    assert.match(result.error.message, /file: URL/);
  });
});

describe('the address checked is the address connected to', () => {
  test('a name resolving to a private address through the injected resolver is refused', async () => {
    const resolve: Resolver = async () => [{ address: '10.0.0.1', family: 4 }];
    const result = await refusal(new SafeFetcher({ allowList: EMPTY_ALLOW_LIST, resolve }), 'https://innocent.test/');
    assert.equal(result.error.code, 'MONTAGE_E_FETCH_FORBIDDEN');
    assert.match(result.error.message, /innocent\.test resolves to 10\.0\.0\.1/);
    assert.deepEqual(result.attempts, []);
  });

  test('every address of a name is checked, not only the first', async () => {
    const resolve: Resolver = async () => [
      { address: '127.0.0.1', family: 4 },
      { address: '127.0.0.2', family: 4 },
    ];
    const fetcher = new SafeFetcher({ allowList: allow('127.0.0.1/32'), resolve });
    const result = await refusal(fetcher, `http://mixed.test:${server.port}/`);
    assert.equal(result.error.code, 'MONTAGE_E_FETCH_FORBIDDEN');
    assert.deepEqual(result.attempts, []);
  });

  test('DNS rebinding: a name that answers differently on each lookup is resolved once per connection', async () => {
    // 127.0.0.1 stands in for the public address (trusted through the allow list) and 127.0.0.2,
    // where a second listener waits on the same port, for the internal one.
    let lookups = 0;
    const resolve: Resolver = async () => {
      lookups += 1;
      return [{ address: lookups % 2 === 1 ? '127.0.0.1' : '127.0.0.2', family: 4 }];
    };
    const fetcher = new SafeFetcher({ allowList: allow('127.0.0.1/32'), resolve });
    const internalBefore = server.connectionsTo('127.0.0.2');

    const fetched = await fetcher.fetchToFile(`http://rebind.test:${server.port}/`, join(dir, 'ok.bin'));
    assert.equal(fetched.bytes, 'internal secret'.length);
    assert.equal(lookups, 1, 'one lookup for one connection: no separate check-then-connect');

    const result = await refusal(fetcher, `http://rebind.test:${server.port}/`);
    assert.equal(result.error.code, 'MONTAGE_E_FETCH_FORBIDDEN');
    assert.equal(lookups, 2);
    assert.equal(server.connectionsTo('127.0.0.2') - internalBefore, 0, 'the rebound address was never contacted');
  });
});
