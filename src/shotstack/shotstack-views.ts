/**
 * Montage's render and template records in Shotstack's response shapes: the `{success, message,
 * response}` envelope, the render statuses (queued → fetching → rendering → saving → done |
 * failed) and the callback body Shotstack POSTs when a render ends.
 */
import type { RenderRecord, RenderStatus } from '../ports/render-store.ts';
import type { TemplateRecord } from '../ports/template-store.ts';

export const envelope = (message: string, response: unknown) => ({ success: true, message, response });

const STATUS: Record<RenderStatus, string> = {
  queued: 'queued', preparing: 'fetching', rendering: 'rendering', finalizing: 'saving',
  succeeded: 'done', failed: 'failed', canceled: 'failed',
};
export const shotstackStatus = (s: RenderStatus): string => STATUS[s];

/** The metadata key under which a render keeps its Edit's `callback` URL. */
export const CALLBACK_METADATA_KEY = 'shotstackCallback';
/** The metadata key of the sha256 of the Edit as submitted, kept in the object store (editObjectKey). */
export const EDIT_METADATA_KEY = 'shotstackEdit';
/** The metadata key that makes a GIF play once (the Edit's `output.repeat: false`; RenderJob.gifPlaysOnce). */
export const GIF_PLAYS_ONCE_METADATA_KEY = 'shotstackGifPlaysOnce';
/**
 * The metadata keys above: the worker acts on them (a callback, a GIF that plays once), so only the
 * Shotstack-compatible routes set them; a client's own metadata may not hold them.
 */
export const SERVICE_METADATA_KEYS: readonly string[] = [CALLBACK_METADATA_KEY, EDIT_METADATA_KEY, GIF_PLAYS_ONCE_METADATA_KEY];
/** Where the Edit a render was submitted as is kept: by tenant and content hash. */
export const editObjectKey = (tenant: string, sha256: string) => `shotstack-edits/${tenant}/${sha256}.json`;

/** Where each output of a render can be fetched (a signed URL, or the route that serves it). */
export type OutputLinks = Partial<Record<'video' | 'poster' | 'thumbnail', string>>;

/** GET render's `response`; `data` is the Edit as submitted (omitted when not asked for or not kept). */
export function renderResponse(r: RenderRecord, links: OutputLinks, data?: unknown) {
  const renderTime = r.startedAt && r.finishedAt ? Date.parse(r.finishedAt) - Date.parse(r.startedAt) : undefined;
  return {
    id: r.id,
    owner: r.tenant,
    plan: 'self-hosted',
    status: shotstackStatus(r.status),
    ...(r.error ? { error: r.error.message } : r.status === 'canceled' ? { error: 'The render was canceled.' } : {}),
    duration: r.duration,
    ...(renderTime !== undefined ? { renderTime } : {}),
    ...(links.video ? { url: links.video } : {}),
    ...(links.poster ? { poster: links.poster } : {}),
    ...(links.thumbnail ? { thumbnail: links.thumbnail } : {}),
    ...(data !== undefined ? { data } : {}),
    created: r.createdAt,
    updated: r.finishedAt ?? r.startedAt ?? r.createdAt,
  };
}

/** The body of the POST to an Edit's `callback` when its render ends. */
export function callbackBody(r: RenderRecord, links: OutputLinks) {
  return {
    type: 'edit',
    action: 'render',
    id: r.id,
    owner: r.tenant,
    status: r.status === 'succeeded' ? 'done' : 'failed',
    url: links.video ?? null,
    error: r.error?.message ?? (r.status === 'canceled' ? 'The render was canceled.' : null),
    completed: r.finishedAt ?? new Date().toISOString(),
  };
}

export const templateListItem = (t: TemplateRecord) => ({ id: t.id, name: t.name, created: t.createdAt, updated: t.updatedAt });
