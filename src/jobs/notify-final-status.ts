/**
 * What happens when a render reaches a final status, by whoever won that move (the worker, or a
 * cancel): publish the status event and, if the request asked for one, put the webhook in the
 * outbox. The delivery id is derived from the render and its final status, so calling this twice
 * for the same render queues one webhook.
 */
import { createHash } from 'node:crypto';
import type { RenderEvents } from '../ports/render-events.ts';
import { isFinalStatus, type RenderRecord } from '../ports/render-store.ts';
import type { WebhookOutbox } from '../ports/webhook-outbox.ts';
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
export type NotifyFinalStatus = (render: RenderRecord, opts?: { readonly replay?: boolean }) => Promise<void>;

export function createNotifyFinalStatus(deps: NotifyDeps): NotifyFinalStatus {
  return async (render) => {
    if (!isFinalStatus(render.status)) return;
    if (render.webhookUrl) {
      const type = `render.${render.status}`;
      const id = `msg_${createHash('sha256').update(`${render.tenant}/${render.id}/${type}`).digest('base64url').slice(0, 22)}`;
      await deps.outbox.enqueue({
        id, tenant: render.tenant, renderId: render.id, url: render.webhookUrl, eventType: type,
        payload: JSON.stringify({ type, timestamp: new Date().toISOString(), data: toRenderView(render, deps.publicUrl) }),
      });
    }
    // A render submitted as a Shotstack Edit with a `callback`: Shotstack's callback body goes there too.
    const callback = render.metadata?.[CALLBACK_METADATA_KEY];
    if (typeof callback === 'string') {
      const id = `msg_${createHash('sha256').update(`${render.tenant}/${render.id}/shotstack-callback`).digest('base64url').slice(0, 22)}`;
      const base = `${deps.publicUrl}/edit/v1/render/${render.id}/output`;
      const links = Object.fromEntries((['video', 'poster', 'thumbnail'] as const).filter((k) => render.outputs[k]).map((k) => [k, `${base}?kind=${k}`]));
      await deps.outbox.enqueue({
        id, tenant: render.tenant, renderId: render.id, url: callback, eventType: 'shotstack.render',
        payload: JSON.stringify(callbackBody(render, links)),
      });
    }
    await deps.events.publish({ type: 'status', tenant: render.tenant, renderId: render.id, status: render.status });
  };
}
