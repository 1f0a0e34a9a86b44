/**
 * Requests built to hurt the process that reads them, sent over HTTP to a real `montage serve`:
 * each must get a clear 4xx naming the field and the fix, and leave the service answering.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { connect } from 'node:net';
import { startCountingServer } from '../../src/assets/counting-server.ts';
import { pngSolid } from './support/hostile-media.ts';
import { startAdversarialService, type AdversarialService } from './support/adversarial-service.ts';

interface Answer { status: number; body: Record<string, unknown> & { code?: string; errors?: { pointer: string; detail: string }[] } }

describe('hostile requests over HTTP', () => {
  let t: AdversarialService;
  before(async () => { t = await startAdversarialService({ MONTAGE_WORKER_CONCURRENCY: '0' }); });
  after(async () => { await t?.svc.stop(); });

  const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await t.fetch(`${t.svc.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${t.key}`, 'x-api-key': t.key, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) as Answer['body'] : {} };
  };
  const healthy = async () => assert.equal((await fetch(`${t.svc.url}/healthz`)).status, 200);

  // Half a megabyte of request: a 400 000-character merge value and a text that repeats it 2000
  // times, 800 M characters once filled. Filling it threw a RangeError (a 500); spread over a few
  // dozen strings of 200 M characters each, it took the heap past its limit and aborted the process.
  const value = 'x'.repeat(400_000);
  const text = '{{a}} '.repeat(2000);
  const composition = { output: { width: 160, height: 90 }, merge: { a: value }, tracks: [{ clips: [{ asset: { type: 'text', text }, start: 0, length: 1 }] }] };

  it('a merge value repeated past what a string can hold: 422 at the text naming the placeholder, on validate, renders and templates', async () => {
    for (const [path, body] of [
      ['/v1/validate', { composition }],
      ['/v1/renders', { composition }],
      ['/v1/validate', { composition: { ...composition, merge: {} }, merge: { a: value } }],
    ] as const) {
      const r = await send('POST', path, body);
      assert.deepEqual([r.status, r.body.code], [422, 'MONTAGE_E_LIMIT_EXCEEDED'], `${path}: ${JSON.stringify(r.body).slice(0, 400)}`);
      assert.deepEqual(r.body.errors?.map((e) => e.pointer), ['/tracks/0/clips/0/asset/text']);
      assert.match(r.body.errors![0]!.detail, /\{\{a\}\}.*more than 100000: use shorter merge values/);
    }
    const tpl = await send('POST', '/v1/templates', { name: 'bomb', composition: { ...composition, merge: {} } });
    assert.equal(tpl.status, 201, JSON.stringify(tpl.body));
    const r = await send('POST', '/v1/renders', { template: tpl.body.id, merge: { a: value } });
    assert.deepEqual([r.status, r.body.code], [422, 'MONTAGE_E_LIMIT_EXCEEDED'], JSON.stringify(r.body).slice(0, 400));
    await healthy();
  });

  it('the same through the Shotstack API\'s merge: 422 naming the path in the Edit', async () => {
    const edit = {
      timeline: { tracks: [{ clips: [{ asset: { type: 'text', text }, start: 0, length: 1 }] }] },
      output: { format: 'mp4', size: { width: 160, height: 90 } },
      merge: [{ find: 'a', replace: value }],
    };
    const r = await send('POST', '/edit/v1/render', edit);
    assert.equal(r.status, 422, JSON.stringify(r.body).slice(0, 400));
    const response = r.body.response as { code: string; details: { path: string; message: string }[] };
    assert.equal(response.code, 'MONTAGE_E_LIMIT_EXCEEDED');
    assert.deepEqual(response.details.map((d) => d.path), ['/timeline/tracks/0/clips/0/asset/text']);
    await healthy();
  });

  it('an upload sent as a multipart form: 415 saying to send the file\'s own bytes, where a good PNG was called unreadable', async () => {
    const png = new Uint8Array(pngSolid(32, 32, [255, 0, 0]));
    const form = new FormData();
    form.append('file', new Blob([png], { type: 'image/png' }), 'red.png');
    const res = await t.fetch(`${t.svc.url}/v1/assets`, { method: 'POST', headers: { authorization: `Bearer ${t.key}` }, body: form });
    const problem = await res.json() as Answer['body'];
    assert.deepEqual([res.status, problem.code], [415, 'MONTAGE_E_UNSUPPORTED_MEDIA_TYPE'], JSON.stringify(problem));
    assert.match(problem.errors![0]!.detail, /Send the file itself as the body, not a form: curl --data-binary @FILE/);
    const raw = await t.fetch(`${t.svc.url}/v1/assets?filename=red.png`, { method: 'POST', headers: { authorization: `Bearer ${t.key}`, 'content-type': 'image/png' }, body: png });
    assert.equal(raw.status, 201, 'the same bytes sent as the body are kept');
    assert.deepEqual(((await raw.json()) as { probe: { width: number } }).probe.width, 32);
  });

  it('a Shotstack callback to a loopback, private or metadata address: 422 at /callback before anything is queued, no connection', async () => {
    const listener = await startCountingServer((_req, res) => res.end('ok'), ['::1']);
    try {
      const before = (await send('GET', '/v1/renders?limit=100')).body.data as unknown[];
      for (const callback of [`http://127.0.0.1:${listener.port}/cb`, `https://127.0.0.1:${listener.port}/cb`, `https://[::1]:${listener.port}/cb`, 'https://169.254.169.254/latest/meta-data/', 'https://10.0.0.1/cb']) {
        const r = await send('POST', '/edit/v1/render', {
          timeline: { tracks: [{ clips: [{ asset: { type: 'title', text: 'hi' }, start: 0, length: 1 }] }] },
          output: { format: 'mp4', resolution: 'preview' },
          callback,
        });
        assert.equal(r.status, 422, `${callback}: ${JSON.stringify(r.body)}`);
        const response = r.body.response as { code: string; details: { path: string; message: string }[] };
        assert.equal(response.code, 'MONTAGE_E_FETCH_FORBIDDEN', callback);
        assert.deepEqual(response.details.map((d) => d.path), ['/callback'], callback);
        assert.match(response.details[0]!.message, /MONTAGE_ALLOW_HOSTS/, callback);
      }
      assert.equal(((await send('GET', '/v1/renders?limit=100')).body.data as unknown[]).length, before.length, 'no render was queued');
      assert.equal(listener.connections, 0);
    } finally {
      await listener.close();
    }
  });

  it('a body nested 100 000 levels deep, on every JSON route that reads one: 400 at the pointer where it passes 100 levels', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const edit = `{"timeline":{"tracks":[{"clips":[{"asset":{"type":"title","text":"hi","x":${deep}},"start":0,"length":1}]}]},"output":{"format":"mp4","resolution":"preview"}}`;
    const at = (prefix: string) => `${prefix}${'/0'.repeat(100 - prefix.split('/').length + 1)}`;
    for (const [path, body, pointer] of [
      ['/edit/v1/render', edit, at('/timeline/tracks/0/clips/0/asset/x')],
      ['/edit/v1/templates', `{"name":"d","template":${edit}}`, at('/template/timeline/tracks/0/clips/0/asset/x')],
      ['/v1/renders', `{"composition":{"output":{},"tracks":[]},"metadata":{"m":${deep}}}`, at('/metadata/m')],
    ] as const) {
      const r = await send('POST', path, body);
      const problem = (r.body.response as Answer['body'] | undefined) ?? r.body;
      const errors = (problem as { details?: { path: string; message: string }[] }).details?.map((d) => ({ pointer: d.path, detail: d.message })) ?? problem.errors;
      assert.deepEqual([r.status, problem.code], [400, 'MONTAGE_E_INVALID_REQUEST'], `${path}: ${JSON.stringify(r.body).slice(0, 300)}`);
      assert.equal(errors?.[0]?.pointer, pointer, path);
      assert.match(errors![0]!.detail, /nests more than 100 levels deep here; no field of this API is nested that far/);
    }
    await healthy();
  });

  it('a gzip-compressed JSON body: 415 naming Content-Encoding, where it was "not valid JSON: fix the JSON syntax"', async () => {
    const body = gzipSync(JSON.stringify({ composition: { output: {}, tracks: [{ clips: [{ asset: { type: 'color', color: '#fff' }, start: 0, length: 1 }] }] } }));
    const res = await t.fetch(`${t.svc.url}/v1/validate`, { method: 'POST', headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: new Uint8Array(body) });
    const problem = await res.json() as Answer['body'];
    assert.deepEqual([res.status, problem.code], [415, 'MONTAGE_E_UNSUPPORTED_MEDIA_TYPE'], JSON.stringify(problem));
    assert.match(problem.errors![0]!.detail, /Send the JSON uncompressed, without a Content-Encoding header/);
  });

  /** One request written by hand, so a header can be sent twice (fetch and node:http join or refuse repeats); the answer's status and JSON body. */
  const raw = (path: string, headerLines: readonly string[]): Promise<Answer> => new Promise((resolve, reject) => {
    const u = new URL(t.svc.url);
    const socket = connect(Number(u.port), u.hostname, () => {
      socket.end([`GET ${path} HTTP/1.1`, `Host: ${u.host}`, 'Connection: close', ...headerLines, '', ''].join('\r\n'));
    });
    let text = '';
    socket.setEncoding('utf8').on('data', (d: string) => { text += d; }).on('error', reject).on('end', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
      const body = text.slice(text.indexOf('\r\n\r\n') + 4);
      // Connection: close answers are not chunked here, but strip a chunked frame if one came.
      const json = body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1);
      resolve({ status, body: json ? JSON.parse(json) as Answer['body'] : {} });
    });
  });

  it('two Authorization headers (a valid key and another): 400 naming the header and the fix, whichever comes first; one is answered as before', async () => {
    const ok = await raw('/v1/renders', [`Authorization: Bearer ${t.key}`]);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    for (const lines of [[`Authorization: Bearer ${t.key}`, 'Authorization: Bearer mk_someone_else'], ['authorization: Bearer mk_someone_else', `AUTHORIZATION: Bearer ${t.key}`]]) {
      const r = await raw('/v1/renders', lines);
      assert.deepEqual([r.status, r.body.code], [400, 'MONTAGE_E_INVALID_REQUEST'], JSON.stringify(r.body));
      assert.deepEqual(r.body.errors?.map((e) => e.pointer), ['/authorization']);
      assert.match(String(r.body.detail), /The Authorization header was sent 2 times; a request carries one credential, and Montage will not pick one\. Send one Authorization: Bearer <API key or access token> header/);
    }
    // A proxy that joins repeated headers makes one header holding both: refused the same way.
    const joined = await t.fetch(`${t.svc.url}/v1/renders`, { headers: { authorization: `Bearer ${t.key}, Bearer mk_someone_else` } });
    const problem = await joined.json() as Answer['body'];
    assert.deepEqual([joined.status, problem.code], [400, 'MONTAGE_E_INVALID_REQUEST'], JSON.stringify(problem));
    assert.match(String(problem.detail), /The Authorization header holds a list of credentials/);
    await healthy();
  });

  it('two x-api-key headers on the Shotstack-compatible API (Node joins them): 400 naming x-api-key', async () => {
    const r = await raw('/edit/v1/templates', [`x-api-key: ${t.key}`, `x-api-key: ${t.key}`]);
    // In that API's own error shape (docs/shotstack.md): { success, message, response: { error, code, details } }.
    const answer = r.body.response as { error?: string; code?: string; details?: { path: string }[] } | undefined;
    assert.deepEqual([r.status, answer?.code], [400, 'MONTAGE_E_INVALID_REQUEST'], JSON.stringify(r.body));
    assert.deepEqual(answer?.details?.map((e) => e.path), ['/x-api-key']);
    assert.match(String(answer?.error), /The x-api-key header was sent 2 times; .* Send one x-api-key: <API key> header/);
  });

  it('an x-api-key and an Authorization: Bearer that differ: 400 on both APIs, where x-api-key silently won; the same key in both passes', async () => {
    for (const path of ['/v1/renders', '/edit/v1/templates']) {
      const both = await raw(path, [`x-api-key: ${t.key}`, `Authorization: Bearer ${t.key}`]);
      assert.equal(both.status, 200, `${path}: ${JSON.stringify(both.body)}`);
      const r = await raw(path, [`x-api-key: ${t.key}`, 'Authorization: Bearer mk_someone_else']);
      assert.equal(r.status, 400, `${path}: ${JSON.stringify(r.body)}`);
      const text = JSON.stringify(r.body);
      assert.match(text, /The Authorization and x-api-key headers carry two different credentials/);
      assert.match(text, /\/x-api-key/);
    }
    await healthy();
  });
});
