/**
 * The public Render object (API.md) made from a stored render: what the HTTP API answers and what
 * webhooks carry. Output URLs point at the API's output route, which redirects or streams.
 */
import type { RenderError, RenderPieces, RenderRecord, RenderStatus } from '../ports/render-store.ts';
import { roundProgress } from './round-progress.ts';

export interface OutputView {
  readonly url: string;
  readonly contentType: string;
  readonly bytes: number;
}

export interface RenderView {
  readonly id: string;
  readonly status: RenderStatus;
  readonly progress: number;
  readonly priority: RenderRecord['priority'];
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly duration: number;
  readonly format: string;
  readonly error: RenderError | null;
  readonly outputs: { readonly video?: OutputView; readonly poster?: OutputView; readonly thumbnail?: OutputView };
  readonly metadata: Record<string, unknown> | null;
  /** Pieces of the video and how many the piece cache reused; null when the cache was not used. */
  readonly pieces: RenderPieces | null;
}

/** `baseUrl` is the public URL without trailing slash (config.publicUrl or the request's origin). */
export function toRenderView(r: RenderRecord, baseUrl: string): RenderView {
  const outputs: Record<string, OutputView> = {};
  for (const kind of ['video', 'poster', 'thumbnail'] as const) {
    const o = r.outputs[kind];
    if (o) outputs[kind] = { url: `${baseUrl}/v1/renders/${r.id}/output?kind=${kind}`, contentType: o.contentType, bytes: o.bytes };
  }
  return {
    id: r.id, status: r.status, progress: roundProgress(r.progress), priority: r.priority, createdAt: r.createdAt,
    startedAt: r.startedAt, finishedAt: r.finishedAt, duration: r.duration, format: r.format, error: r.error,
    outputs, metadata: r.metadata, pieces: r.pieces,
  };
}
