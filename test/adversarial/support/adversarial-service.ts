/**
 * Test support: a real `montage serve` (start-test-service) with the real engine, a client whose
 * every response body is kept (to search for leaked bytes), and polling helpers.
 */
import type { ConfigVariable } from '../../../src/config/load-config.ts';
import { createRenderEngine } from '../../../src/render/engine.ts';
import { startTestService, type TestService } from '../../../src/main/start-test-service.ts';
import { MontageClient } from '../../../src/http/montage-client.ts';
import type { RenderView } from '../../../src/http/api-schemas.ts';

export interface AdversarialService {
  readonly svc: TestService;
  readonly client: MontageClient;
  readonly key: string;
  /** Every response body received so far (with its status and URL). */
  readonly responses: { url: string; status: number; body: Buffer }[];
  /** A fetch that records what it receives, for other clients and raw requests. */
  readonly fetch: typeof fetch;
}

export async function startAdversarialService(env: Partial<Record<ConfigVariable, string>> = {}): Promise<AdversarialService> {
  const svc = await startTestService({
    engine: createRenderEngine({ ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' }),
    env: { MONTAGE_RATE_LIMIT: '0', ...env },
  });
  const responses: AdversarialService['responses'] = [];
  const recording: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const body = Buffer.from(await res.arrayBuffer());
    responses.push({ url: String(input), status: res.status, body });
    return new Response(res.status === 204 || res.status === 304 ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  const k = await svc.createKey('adversary');
  return { svc, key: k.key, client: new MontageClient({ baseUrl: svc.url, apiKey: k.key, fetch: recording }), responses, fetch: recording };
}

export const FINAL = new Set(['succeeded', 'failed', 'canceled']);

/** Polls until the render is final or `timeoutMs` passes; returns the last view and the time taken. */
export async function waitFinal(client: MontageClient, id: string, timeoutMs: number): Promise<{ render: RenderView; ms: number }> {
  const t = Date.now();
  let render = await client.getRender(id);
  while (!FINAL.has(render.status) && Date.now() - t < timeoutMs) {
    await new Promise((r) => setTimeout(r, 50));
    render = await client.getRender(id);
  }
  return { render, ms: Date.now() - t };
}
