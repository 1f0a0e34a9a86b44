/**
 * The page's side of the HTTP API (same origin, /v1, `Authorization: Bearer <key>`).
 *
 * Server-Sent Events are read from a streamed fetch response, not EventSource: EventSource cannot
 * send an Authorization header, and putting the key in a URL would leak it to logs and history.
 */
import type { FieldProblem, Render, RenderRequest, ValidationResult, Asset } from './types.ts';

export interface Problem {
  readonly status: number;
  readonly code: string;
  readonly title?: string;
  readonly detail: string;
  readonly errors?: readonly FieldProblem[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
    this.name = 'ApiError';
  }
}

export interface ServerSentEvent { readonly event: string; readonly data: unknown }

export class Api {
  constructor(private readonly key: () => string) {}

  private async fetch(method: string, path: string, init: { body?: BodyInit; json?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Response> {
    const key = this.key();
    if (!key) throw new ApiError({ status: 401, code: 'MONTAGE_E_UNAUTHORIZED', detail: 'Enter an API key first (montage keys create --tenant NAME).' });
    const headers: Record<string, string> = { authorization: `Bearer ${key}`, ...init.headers };
    let body = init.body;
    if (init.json !== undefined) { body = JSON.stringify(init.json); headers['content-type'] = 'application/json'; }
    const res = await fetch(path, { method, headers, body, signal: init.signal });
    if (!res.ok) {
      let problem: Problem;
      try { problem = (await res.json()) as Problem; } catch { problem = { status: res.status, code: 'HTTP', detail: `${res.status} ${res.statusText}` }; }
      throw new ApiError({ ...problem, status: res.status });
    }
    return res;
  }

  private async json<T>(method: string, path: string, init: Parameters<Api['fetch']>[2] = {}): Promise<T> {
    return (await (await this.fetch(method, path, init)).json()) as T;
  }

  createRender(body: RenderRequest): Promise<Render> { return this.json('POST', '/v1/renders', { json: body }); }
  getRender(id: string): Promise<Render> { return this.json('GET', `/v1/renders/${encodeURIComponent(id)}`); }
  listRenders(limit = 10): Promise<{ data: Render[] }> { return this.json('GET', `/v1/renders?limit=${limit}`); }
  validate(body: RenderRequest, signal?: AbortSignal): Promise<ValidationResult> { return this.json('POST', '/v1/validate', { json: body, signal }); }

  uploadAsset(file: Blob, filename: string): Promise<Asset> {
    return this.json('POST', `/v1/assets?filename=${encodeURIComponent(filename.slice(0, 255))}`, {
      body: file, headers: { 'content-type': file.type || 'application/octet-stream' },
    });
  }

  /** An output's bytes, for a blob: URL (a <video src> could not send the key). */
  async output(id: string, kind: 'video' | 'poster' | 'thumbnail' = 'video'): Promise<Blob> {
    return (await this.fetch('GET', `/v1/renders/${encodeURIComponent(id)}/output?kind=${kind}`)).blob();
  }

  /** The render's events until the stream ends (after `final`). */
  async *events(id: string, signal?: AbortSignal): AsyncGenerator<ServerSentEvent> {
    const res = await this.fetch('GET', `/v1/renders/${encodeURIComponent(id)}/events`, { headers: { accept: 'text/event-stream' }, signal });
    if (!res.body) return;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += value.replace(/\r\n?/g, '\n');
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

  /**
   * Submits a render and follows it to its final state. `onProgress` gets 0–1 and the status.
   * If the event stream breaks off early, the render is read until it is final.
   */
  async render(body: RenderRequest, onProgress: (progress: number, status: string) => void, signal?: AbortSignal): Promise<Render> {
    const created = await this.createRender(body);
    onProgress(created.progress, created.status);
    let last = created;
    try {
      for await (const e of this.events(created.id, signal)) {
        const d = e.data as { progress?: number; status?: string };
        if (e.event === 'final') return e.data as Render;
        if (e.event === 'status' && d.status) last = { ...last, status: d.status as Render['status'] };
        if (typeof d.progress === 'number') last = { ...last, progress: d.progress };
        onProgress(last.progress, last.status);
      }
    } catch (e) {
      if (signal?.aborted) throw e;
    }
    for (;;) {
      const r = await this.getRender(created.id);
      onProgress(r.progress, r.status);
      if (['succeeded', 'failed', 'canceled'].includes(r.status)) return r;
      await new Promise((res) => setTimeout(res, 1000));
    }
  }
}
