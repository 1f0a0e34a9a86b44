/**
 * What the shotstack-sdk tests share: the files of a folder served over HTTP (the Edits' asset URLs),
 * a `montage serve` that may fetch from it, the real `shotstack-sdk` EditApi pointed at its
 * Shotstack-compatible routes with a key of its own, and a render polled until it ends and saved.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { RenderEngine } from '../../../src/ports/render-engine.ts';
import { startTestService, type TestService } from '../../../src/main/start-test-service.ts';
import type { ConfigVariable } from '../../../src/config/load-config.ts';

export const Shotstack = createRequire(import.meta.url)('shotstack-sdk');

/** What shotstack-sdk rejects with for a 4xx: the answer's problems, each at its path in the Edit. */
export type Refusal = { status: number; response: { body: { response: { details: { path: string; message: string }[] } } } };

export interface SdkApi {
  postRender: (e: unknown) => Promise<{ response: { id: string } }>;
  getRender: (id: string, o: object) => Promise<{ response: { status: string; url?: string; error?: string } }>;
}

export interface SdkRig {
  /** Base URL of the served folder (`${mediaUrl}/red.png`). */
  readonly mediaUrl: string;
  readonly svc: TestService;
  readonly api: SdkApi;
  close(): Promise<void>;
}

/**
 * Serves `dir`, starts `montage serve` allowed to fetch from it, and gives the SDK a key named
 * `keyName`; `o.mode` `scale-out` starts `montage api` + worker instead, `o.env` adds variables
 * (MONTAGE_CHUNK_SECONDS for a chunked render).
 */
export const startSdkRig = async (
  engine: RenderEngine, dir: string, keyName: string, o: { mode?: 'embedded' | 'scale-out'; env?: Partial<Record<ConfigVariable, string>> } = {},
): Promise<SdkRig> => {
  const server = createServer((req, res) => {
    try {
      const data = readFileSync(join(dir, (req.url ?? '').slice(1)));
      res.writeHead(200, { 'content-length': data.length }).end(data);
    } catch { res.writeHead(404).end(); }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const mediaUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const svc = await startTestService({ mode: o.mode ?? 'embedded', engine, env: { MONTAGE_ALLOW_HOSTS: '127.0.0.1', MONTAGE_WORKER_CONCURRENCY: '1', ...o.env } });
  const client = new Shotstack.ApiClient(`${svc.url}/edit/v1`);
  client.authentications.DeveloperKey.apiKey = (await svc.createKey(keyName)).key;
  return {
    mediaUrl, svc, api: new Shotstack.EditApi(client),
    close: async () => {
      await svc.stop();
      await new Promise<void>((res) => server.close(() => res()));
    },
  };
};

/**
 * Submits an Edit, polls every 250 ms (quicker polls of several renders a file meet the key's 300
 * requests a minute) until it is done, and saves the output to `path`; a failed render fails the test.
 */
export const renderToFile = async (api: SdkApi, edit: unknown, path: string, polls = 1200): Promise<string> => {
  const { id } = (await api.postRender(edit)).response;
  for (let i = 0; i < polls; i++) {
    const r = (await api.getRender(id, { data: false })).response;
    if (r.status === 'failed') assert.fail(`render failed: ${r.error}`);
    if (r.status === 'done') {
      writeFileSync(path, Buffer.from(await (await fetch(r.url!)).arrayBuffer()));
      return path;
    }
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new Error(`render ${id} did not end`);
};
