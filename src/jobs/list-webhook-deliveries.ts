/**
 * A render's webhook deliveries as its owner sees them (GET /v1/renders/{id}/webhooks): each try
 * count, the receiver's last status code, the last error and when the next try is due, so a
 * refused or failing receiver shows up in the API instead of only in the outbox table.
 */
import { MontageError } from '../errors/registry.ts';
import type { RenderStore } from '../ports/render-store.ts';
import type { DeliveryStatus, WebhookOutbox } from '../ports/webhook-outbox.ts';

export interface WebhookDeliveryView {
  /** The `webhook-id` header of every try. */
  readonly id: string;
  /** `render.succeeded`, `render.failed` or `render.canceled`. */
  readonly event: string;
  readonly url: string;
  readonly status: DeliveryStatus;
  /** Tries made so far. */
  readonly attempts: number;
  /** HTTP status of the receiver's last answer; null when none came (refused, network error, not tried yet). */
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  /** ISO time of the next try while `pending`; null once delivered, failed or stopped. */
  readonly nextAttemptAt: string | null;
  readonly createdAt: string;
}

export function createListWebhookDeliveries(deps: { readonly renders: Pick<RenderStore, 'get'>; readonly outbox: Pick<WebhookOutbox, 'listForRender'> }) {
  return async (tenant: string, renderId: string): Promise<WebhookDeliveryView[]> => {
    if (!(await deps.renders.get(tenant, renderId))) throw new MontageError('MONTAGE_E_NOT_FOUND', `No render ${renderId}.`);
    return (await deps.outbox.listForRender(tenant, renderId)).map((d) => ({
      id: d.id, event: d.eventType, url: d.url, status: d.status, attempts: d.attempts,
      lastStatusCode: d.lastStatus, lastError: d.lastError,
      nextAttemptAt: d.status === 'pending' ? new Date(d.nextAttemptAt).toISOString() : null,
      createdAt: d.createdAt,
    }));
  };
}

export type ListWebhookDeliveries = ReturnType<typeof createListWebhookDeliveries>;
