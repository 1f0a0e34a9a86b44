/**
 * What the shotstack-sdk tests share: the files of a folder served over HTTP (the Edits' asset URLs,
 * and the receiver of their callbacks), a `montage serve` that may fetch from it, the real
 * `shotstack-sdk` EditApi pointed at its Shotstack-compatible routes with a key of its own, and a
 * render polled until it ends and saved. `sdkSuite` does all of it around a test file (or a describe).
 */
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { loadRealEngine } from '../../../src/jobs/load-real-engine.ts';
import type { RenderEngine } from '../../../src/ports/render-engine.ts';
import { startTestService, type TestMode, type TestService } from '../../../src/main/start-test-service.ts';
import type { ConfigVariable } from '../../../src/config/load-config.ts';

// The SDK is CommonJS (as published) and untyped; loaded the way its users load it.
export const Shotstack = createRequire(import.meta.url)('shotstack-sdk');

/** What shotstack-sdk rejects with for a 4xx or 401: Shotstack's error envelope, each problem at its path in the Edit. */
export type Refusal = {
  status: number;
  response: { body: { success: boolean; message: string; response: { code: string; error: string; details: { path: string; message: string }[] } } };
};

/** A render's status as getRender answers it (`data: false`), with the statuses `pollRender` saw on the way. */
export interface RenderStatus {
  id: string; status: string; url?: string; error?: string; duration?: number; poster?: string; thumbnail?: string; data?: unknown;
}

/** The calls of the SDK's EditApi these tests make, with the parts of the answers they read. */
export interface SdkApi {
  postRender: (e: unknown) => Promise<{ success: boolean; message: string; response: { id: string; message: string } }>;
  getRender: (id: string, o?: object) => Promise<{ response: RenderStatus }>;
  postTemplate: (t: unknown) => Promise<{ response: { id: string; message: string } }>;
  getTemplates: () => Promise<{ response: { templates: { id: string; name: string }[] } }>;
  postTemplateRender: (t: unknown) => Promise<{ response: { id: string } }>;
  probe: (url: string) => Promise<{ success: boolean; response: { metadata: { streams: { codec_type: string; channels?: number }[]; format: { duration: string } } } }>;
}

/** A POST the served folder received (an Edit's callback). */
export interface Callback { readonly path: string; readonly body: Record<string, unknown>; readonly headers: IncomingHttpHeaders }

export interface RigOptions {
  /** `scale-out` starts `montage api` + worker instead of `montage serve`. */
  readonly mode?: TestMode;
  /** More variables (MONTAGE_CHUNK_SECONDS for a chunked render, MONTAGE_URL_SECRET, limits). */
  readonly env?: Partial<Record<ConfigVariable, string>>;
  readonly webhookPollMs?: number;
}

export interface SdkRig {
  /** Base URL of the served folder (`${mediaUrl}/red.png`); a POST to it is kept in `callbacks`. */
  readonly mediaUrl: string;
  readonly callbacks: Callback[];
  readonly svc: TestService;
  /** The SDK's key for `svc`. */
  readonly key: string;
  readonly api: SdkApi;
  /** Another EditApi on `svc`: the `stage` routes, or another key. */
  editApi(o?: { key?: string; stage?: 'v1' | 'stage' }): SdkApi;
  close(): Promise<void>;
}

/** The SDK's EditApi on the service at `url`: only the host of the base path and the key change. */
const editApi = (url: string, key: string, stage: 'v1' | 'stage' = 'v1'): SdkApi => {
  const client = new Shotstack.ApiClient(`${url}/edit/${stage}`);
  client.authentications.DeveloperKey.apiKey = key;
  return new Shotstack.EditApi(client);
};

/**
 * Serves `dir` (and keeps what is POSTed to it), starts `montage serve` allowed to fetch from it
 * (`o.mode`, `o.env`), and gives the SDK a key named `keyName`.
 */
export const startSdkRig = async (engine: RenderEngine, dir: string, keyName: string, o: RigOptions = {}): Promise<SdkRig> => {
  const callbacks: Callback[] = [];
  const server = createServer((req, res) => {
    if (req.method === 'POST') {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => { callbacks.push({ path: req.url ?? '', body: JSON.parse(body), headers: req.headers }); res.end('ok'); });
      return;
    }
    try {
      const data = readFileSync(join(dir, (req.url ?? '').slice(1)));
      res.writeHead(200, { 'content-length': data.length }).end(data);
    } catch { res.writeHead(404).end(); }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const mediaUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const svc = await startTestService({
    mode: o.mode ?? 'embedded', engine, webhookPollMs: o.webhookPollMs,
    env: { MONTAGE_ALLOW_HOSTS: '127.0.0.1', MONTAGE_WORKER_CONCURRENCY: '1', ...o.env },
  });
  const { key } = await svc.createKey(keyName);
  return {
    mediaUrl, callbacks, svc, key, api: editApi(svc.url, key),
    editApi: (e = {}) => editApi(svc.url, e.key ?? key, e.stage),
    close: async () => {
      await svc.stop();
      await new Promise<void>((res) => server.close(() => res()));
    },
  };
};

/** A test file's rig, live between its `before` and `after`; `skip` says why it could not start. */
export interface SdkSuite extends Omit<SdkRig, 'close'> {
  /** Set when the real render engine does not load: each test skips with it. */
  readonly skip: string | undefined;
  /** The folder `makeMedia` filled (served at `mediaUrl`), where outputs are saved. */
  readonly dir: string;
}

/**
 * Registers the `before` and `after` of a file (or of the describe it is called in): loads the real
 * engine, makes a folder `montage-<name>-…` and its media with `makeMedia`, and starts the rig on it
 * with a key named `name`; after, stops it and removes the folder (kept where `o.keepDir`).
 */
export const sdkSuite = (name: string, makeMedia: (dir: string) => Promise<unknown>, o: RigOptions & { keepDir?: boolean } = {}): SdkSuite => {
  let skip: string | undefined;
  let dir: string | undefined;
  let rig: SdkRig | undefined;
  before(async () => {
    const r = await loadRealEngine();
    if (!('engine' in r)) { skip = r.skip; return; }
    dir = mkdtempSync(join(tmpdir(), `montage-${name}-`));
    await makeMedia(dir);
    rig = await startSdkRig(r.engine, dir, name, o);
  });
  after(async () => {
    await rig?.close();
    if (dir && !o.keepDir) rmSync(dir, { recursive: true, force: true });
  });
  const live = (): SdkRig => rig ?? assert.fail(`the ${name} rig is not running${skip ? `: ${skip}` : ''}`);
  return {
    get skip() { return skip; },
    get dir() { return dir ?? assert.fail(`the ${name} folder is not made`); },
    get mediaUrl() { return live().mediaUrl; },
    get callbacks() { return live().callbacks; },
    get svc() { return live().svc; },
    get key() { return live().key; },
    get api() { return live().api; },
    editApi: (e) => live().editApi(e),
  };
};

/**
 * Polls getRender every `everyMs` (250 by default: quicker polls of several renders a file meet the
 * key's 300 requests a minute) until the render is done or failed, and answers its last status with
 * the statuses seen in order; one that has not ended after `polls` polls fails the test.
 */
export const pollRender = async (api: SdkApi, id: string, o: { polls?: number; everyMs?: number } = {}): Promise<RenderStatus & { seen: string[] }> => {
  const seen: string[] = [];
  for (let i = 0; i < (o.polls ?? 1200); i++) {
    const r = (await api.getRender(id, { data: false })).response;
    if (seen.at(-1) !== r.status) seen.push(r.status);
    if (r.status === 'done' || r.status === 'failed') return { ...r, seen };
    await new Promise((res) => setTimeout(res, o.everyMs ?? 250));
  }
  assert.fail(`render ${id} did not end: ${seen.join(' → ')}`);
};

/** Downloads `url` as a browser or `curl URL` would (no key, no headers: Shotstack's links are plain) to `path`. */
export const saveOutput = async (url: string, path: string): Promise<string> => {
  const res = await fetch(url);
  assert.equal(res.status, 200, `GET ${url}: ${res.status} ${res.status === 200 ? '' : await res.text()}`);
  writeFileSync(path, Buffer.from(await res.arrayBuffer()));
  return path;
};

/** Submits an Edit, polls it until it is done (`polls` polls of 250 ms), and saves its output to `path`; a failed render fails the test. */
export const renderToFile = async (api: SdkApi, edit: unknown, path: string, polls = 1200): Promise<string> => {
  const r = await pollRender(api, (await api.postRender(edit)).response.id, { polls });
  if (r.status === 'failed') assert.fail(`render failed: ${r.error}`);
  return saveOutput(r.url!, path);
};
