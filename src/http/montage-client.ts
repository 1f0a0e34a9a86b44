/**
 * A typed client for the Montage HTTP API. Its types are the `Static` types of the TypeBox
 * schemas that also generate /openapi.json (api-schemas.ts), so client, server and document
 * cannot drift apart. Uses the platform `fetch`; no dependencies.
 *
 *   const montage = new MontageClient({ baseUrl: 'http://localhost:8080', apiKey: 'mk_…' });
 *   const render = await montage.createRender({ composition }, { idempotencyKey: 'order-42' });
 *   for await (const e of montage.renderEvents(render.id)) if (e.event === 'final') break;
 *
 * Every non-2xx answer rejects with MontageApiError, carrying the problem+json body.
 */
import type {
  AssetView, ProblemBody, RenderRequest, RenderView, TemplateCreate, TemplateUpdate, TemplateView, ValidationResult, WebhookDeliveryView,
} from './api-schemas.ts';

export interface Page<T> { readonly data: readonly T[]; readonly nextCursor: string | null }
export type RenderStatusFilter = RenderView['status'];

export class MontageApiError extends Error {
  constructor(readonly status: number, readonly problem: ProblemBody, readonly headers: Headers) {
    super(`${status} ${problem.code}: ${problem.detail}`);
    this.name = 'MontageApiError';
  }
  get code(): string { return this.problem.code; }
}

export interface MontageClientOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly fetch?: typeof fetch;
}

export interface ServerSentEvent { readonly event: string; readonly data: unknown }

export class MontageClient {
  readonly #base: string;
  readonly #key: string;
  readonly #fetch: typeof fetch;

  constructor(o: MontageClientOptions) {
    this.#base = o.baseUrl.replace(/\/+$/, '');
    this.#key = o.apiKey;
    this.#fetch = o.fetch ?? fetch;
  }

  /** The raw response of any request, authenticated; for callers that inspect status and headers. */
  async request(method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; query?: Record<string, string | number | undefined> } = {}): Promise<Response> {
    const url = new URL(`${this.#base}${path}`);
    for (const [k, v] of Object.entries(init.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { authorization: `Bearer ${this.#key}`, ...init.headers };
    let body: BodyInit | undefined;
    if (init.body !== undefined) {
      if (typeof init.body === 'string' || init.body instanceof Uint8Array || init.body instanceof ReadableStream) body = init.body as BodyInit;
      else { body = JSON.stringify(init.body); headers['content-type'] ??= 'application/json'; }
    }
    return this.#fetch(url, { method, headers, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
  }

  async #json<T>(method: string, path: string, init: Parameters<MontageClient['request']>[2] = {}): Promise<T> {
    const res = await this.request(method, path, init);
    if (!res.ok) throw new MontageApiError(res.status, (await res.json()) as ProblemBody, res.headers);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }

  createRender(body: RenderRequest, opts: { idempotencyKey?: string } = {}): Promise<RenderView> {
    return this.#json('POST', '/v1/renders', { body, headers: opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {} });
  }
  getRender(id: string): Promise<RenderView> { return this.#json('GET', `/v1/renders/${encodeURIComponent(id)}`); }
  listRenders(q: { status?: RenderStatusFilter; limit?: number; cursor?: string } = {}): Promise<Page<RenderView>> {
    return this.#json('GET', '/v1/renders', { query: q });
  }
  cancelRender(id: string): Promise<RenderView> { return this.#json('POST', `/v1/renders/${encodeURIComponent(id)}/cancel`); }
  validate(body: RenderRequest): Promise<ValidationResult> { return this.#json('POST', '/v1/validate', { body }); }
  /** The render's webhook deliveries: tries, last status code, last error, next try. */
  async listWebhookDeliveries(id: string): Promise<readonly WebhookDeliveryView[]> {
    return (await this.#json<{ data: WebhookDeliveryView[] }>('GET', `/v1/renders/${encodeURIComponent(id)}/webhooks`)).data;
  }

  /** The output's bytes (`kind` video, poster or thumbnail). */
  async downloadOutput(id: string, kind: 'video' | 'poster' | 'thumbnail' = 'video'): Promise<Uint8Array> {
    const res = await this.request('GET', `/v1/renders/${encodeURIComponent(id)}/output`, { query: { kind } });
    if (!res.ok) throw new MontageApiError(res.status, (await res.json()) as ProblemBody, res.headers);
    return new Uint8Array(await res.arrayBuffer());
  }

  /** The render's Server-Sent Events until the stream ends (after the `final` event). */
  async *renderEvents(id: string, signal?: AbortSignal): AsyncGenerator<ServerSentEvent> {
    const res = await this.#fetch(`${this.#base}/v1/renders/${encodeURIComponent(id)}/events`, {
      headers: { authorization: `Bearer ${this.#key}`, accept: 'text/event-stream' }, signal,
    });
    if (!res.ok || !res.body) throw new MontageApiError(res.status, (await res.json()) as ProblemBody, res.headers);
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, end);
        buf = buf.slice(end + 2);
        let event = 'message';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
        }
        if (data.length > 0) yield { event, data: JSON.parse(data.join('\n')) as unknown };
      }
    }
  }

  createTemplate(body: TemplateCreate): Promise<TemplateView> { return this.#json('POST', '/v1/templates', { body }); }
  getTemplate(id: string): Promise<TemplateView> { return this.#json('GET', `/v1/templates/${encodeURIComponent(id)}`); }
  listTemplates(q: { limit?: number; cursor?: string } = {}): Promise<Page<TemplateView>> { return this.#json('GET', '/v1/templates', { query: q }); }
  updateTemplate(id: string, body: TemplateUpdate): Promise<TemplateView> { return this.#json('PUT', `/v1/templates/${encodeURIComponent(id)}`, { body }); }
  deleteTemplate(id: string): Promise<void> { return this.#json('DELETE', `/v1/templates/${encodeURIComponent(id)}`); }

  /** Uploads a file; `body` may be a stream so nothing is held in memory. */
  uploadAsset(body: Uint8Array | ReadableStream<Uint8Array>, opts: { contentType?: string; filename?: string } = {}): Promise<AssetView> {
    return this.#json('POST', '/v1/assets', { body, query: { filename: opts.filename }, headers: { 'content-type': opts.contentType ?? 'application/octet-stream' } });
  }
  getAsset(id: string): Promise<AssetView> { return this.#json('GET', `/v1/assets/${encodeURIComponent(id)}`); }
  deleteAsset(id: string): Promise<void> { return this.#json('DELETE', `/v1/assets/${encodeURIComponent(id)}`); }
}
