/**
 * What happens when a render reaches a final status, by whoever won that move (the worker, or a
 * cancel): publish the status event and, if the request asked for one, put the webhook in the
 * outbox. The delivery id is derived from the render and its final status, so calling this twice
 * for the same render queues one webhook.
 */
import { createHash } from 'node:crypto';
import type { RenderEvents } from '../ports/render-events.ts';
import { isFinalStatus, type RenderRecord } from '../ports/render-store.ts';
import type { NewDelivery, WebhookOutbox } from '../ports/webhook-outbox.ts';
import { toRenderView } from './render-view.ts';
import { CALLBACK_METADATA_KEY, callbackBody } from '../shotstack/shotstack-views.ts';

export interface NotifyDeps {
  readonly outbox: WebhookOutbox;
  readonly events: RenderEvents;
  /** Public base URL for output links in webhook bodies. */
  readonly publicUrl: string;
}

/**
 * `replay`: the render reached its final status earlier and this repeats the notification after a
 * crash (process-render-job); metrics must not count the render a second time.
 */
export type NotifyFinalStatus = ((render: RenderRecord, opts?: { readonly replay?: boolean }) => Promise<void>) & {
  /**
   * The webhook delivery of a render in a final status (null when it asked for none), for a final
   * move's `TransitionRequest.webhook`: the store writes it in the move's own transaction, so no
   * crash or outage between the move and this notification can lose the webhook. Notifying
   * afterwards enqueues the same id again, which the outbox ignores.
   */
  readonly webhookFor: (render: RenderRecord) => NewDelivery | null;
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

/** A render submitted as a Shotstack Edit with a `callback`: Shotstack's callback body, for that URL. */
export function shotstackCallbackDelivery(render: RenderRecord, publicUrl: string): NewDelivery | null {
  const callback = render.metadata?.[CALLBACK_METADATA_KEY];
  if (!isFinalStatus(render.status) || typeof callback !== 'string') return null;
  const id = `msg_${createHash('sha256').update(`${render.tenant}/${render.id}/shotstack-callback`).digest('base64url').slice(0, 22)}`;
  const base = `${publicUrl}/edit/v1/render/${render.id}/output`;
  const links = Object.fromEntries((['video', 'poster', 'thumbnail'] as const).filter((k) => render.outputs[k]).map((k) => [k, `${base}?kind=${k}`]));
  return {
    id, tenant: render.tenant, renderId: render.id, url: callback, eventType: 'shotstack.render',
    payload: JSON.stringify(callbackBody(render, links)),
  };
}

export function createNotifyFinalStatus(deps: NotifyDeps): NotifyFinalStatus {
  const webhookFor = (render: RenderRecord) => webhookDelivery(render, deps.publicUrl);
  return Object.assign(async (render: RenderRecord) => {
    if (!isFinalStatus(render.status)) return;
    const delivery = webhookFor(render);
    if (delivery) await deps.outbox.enqueue(delivery);
    // Enqueued here, after the final move (notify runs again on every replay path; the id is fixed).
    const callback = shotstackCallbackDelivery(render, deps.publicUrl);
    if (callback) await deps.outbox.enqueue(callback);
    await deps.events.publish({ type: 'status', tenant: render.tenant, renderId: render.id, status: render.status });
  }, { webhookFor });
}
