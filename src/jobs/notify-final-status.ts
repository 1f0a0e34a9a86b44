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
    await deps.events.publish({ type: 'status', tenant: render.tenant, renderId: render.id, status: render.status });
  };
}
