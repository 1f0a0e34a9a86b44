/**
 * What happens when a render reaches a final status, by whoever won that move (the worker, or a
 * cancel): publish the status event (best effort) and, if the request asked for one, put the
 * webhook in the outbox. The delivery id is derived from the render and its final status, so calling this twice
 * for the same render queues one webhook.
 */
import { createHash } from 'node:crypto';
import type { RenderEvents } from '../ports/render-events.ts';
import { isFinalStatus, type RenderRecord } from '../ports/render-store.ts';
import type { NewDelivery, WebhookOutbox } from '../ports/webhook-outbox.ts';
import { toRenderView } from './render-view.ts';
import { CALLBACK_METADATA_KEY, callbackBody } from '../shotstack/shotstack-views.ts';
import { CALLBACK_LINK_TTL_SECONDS, type OutputLinkSigner } from '../shotstack/signed-output-links.ts';
import { waitAtMost } from './wait-at-most.ts';

export interface NotifyDeps {
  readonly outbox: WebhookOutbox;
  readonly events: RenderEvents;
  /** Public base URL for output links in webhook bodies. */
  readonly publicUrl: string;
  /**
   * Signs the output links of Shotstack callbacks so that they download without an API key;
   * absent or null: the links are the output route's, which needs the key (docs/shotstack.md).
   */
  readonly signer?: OutputLinkSigner | null;
  /** A status event that could not be published (Redis away); the notification goes on without it. */
  readonly onPublishError?: (error: unknown) => void;
}

/**
 * Ms a notification waits for its status event to be published. The event is best effort (the
 * RenderEvents port): SSE streams poll the row and workers poll for cancels, so a Redis that is
 * away must not fail, or hold, a cancel that is already written (it answered 500 after 9 s).
 */
const PUBLISH_WAIT_MS = 1_000;

/**
 * `replay`: the render reached its final status earlier and this repeats the notification after a
 * crash (process-render-job); metrics must not count the render a second time.
 */
export type NotifyFinalStatus = ((render: RenderRecord, opts?: { readonly replay?: boolean }) => Promise<void>) & {
  /**
   * The deliveries of a render in a final status (its webhook, its Shotstack callback; none when it
   * asked for neither), for a final move's `TransitionRequest.webhook`: the store writes them in the
   * move's own transaction, so no crash or outage between the move and this notification can lose
   * one. Notifying afterwards enqueues the same ids again, which the outbox ignores.
   */
  readonly webhookFor: (render: RenderRecord) => readonly NewDelivery[];
};

/** The delivery for `render`'s final status; its id is derived from render and status, so it is the same on every call. */
export function webhookDelivery(render: RenderRecord, publicUrl: string): NewDelivery | null {
  if (!isFinalStatus(render.status) || !render.webhookUrl) return null;
  const type = `render.${render.status}`;
  const id = `msg_${createHash('sha256').update(`${render.tenant}/${render.id}/${type}`).digest('base64url').slice(0, 22)}`;
  return {
    id, tenant: render.tenant, renderId: render.id, url: render.webhookUrl, eventType: type,
    payload: JSON.stringify({ type, timestamp: new Date().toISOString(), data: toRenderView(render, publicUrl) }),
  };
}

/**
 * A render submitted as a Shotstack Edit with a `callback`: Shotstack's callback body, for that URL.
 * Its links are signed (valid CALLBACK_LINK_TTL_SECONDS from the render's end) when a signer is given.
 */
export function shotstackCallbackDelivery(render: RenderRecord, publicUrl: string, signer?: OutputLinkSigner | null): NewDelivery | null {
  const callback = render.metadata?.[CALLBACK_METADATA_KEY];
  if (!isFinalStatus(render.status) || typeof callback !== 'string') return null;
  const id = `msg_${createHash('sha256').update(`${render.tenant}/${render.id}/shotstack-callback`).digest('base64url').slice(0, 22)}`;
  const base = `${publicUrl}/edit/v1/render/${render.id}/output`;
  const expiresAt = Date.parse(render.finishedAt ?? new Date().toISOString()) / 1000 + CALLBACK_LINK_TTL_SECONDS;
  const links = Object.fromEntries((['video', 'poster', 'thumbnail'] as const).filter((k) => render.outputs[k])
    .map((k) => [k, `${base}${signer ? signer.query(render.tenant, render.id, k, expiresAt) : `?kind=${k}`}`]));
  return {
    id, tenant: render.tenant, renderId: render.id, url: callback, eventType: 'shotstack.render',
    payload: JSON.stringify(callbackBody(render, links)),
  };
}

/** Every delivery a render in a final status owes: its webhook and its Shotstack callback, each if asked for. */
export function finalDeliveries(render: RenderRecord, publicUrl: string, signer?: OutputLinkSigner | null): readonly NewDelivery[] {
  return [webhookDelivery(render, publicUrl), shotstackCallbackDelivery(render, publicUrl, signer)].filter((d): d is NewDelivery => d !== null);
}

export function createNotifyFinalStatus(deps: NotifyDeps): NotifyFinalStatus {
  const webhookFor = (render: RenderRecord) => finalDeliveries(render, deps.publicUrl, deps.signer);
  return Object.assign(async (render: RenderRecord) => {
    if (!isFinalStatus(render.status)) return;
    // Already written with the final move where the mover passed webhookFor; the ids are fixed, so this is a no-op then.
    for (const delivery of webhookFor(render)) await deps.outbox.enqueue(delivery);
    const published = deps.events.publish({ type: 'status', tenant: render.tenant, renderId: render.id, status: render.status })
      .catch((e: unknown) => deps.onPublishError?.(e));
    await waitAtMost(published, PUBLISH_WAIT_MS);
  }, { webhookFor });
}
