/**
 * Decorators that count what flows through a port, so the use cases stay free of metrics: the
 * composition root wraps the port once and hands the wrapped one on.
 */
import { createNotifyFinalStatus, finalDeliveries, type NotifyDeps, type NotifyFinalStatus } from '../jobs/notify-final-status.ts';
import { isFinalStatus, type RenderRecord } from '../ports/render-store.ts';
import type { WebhookOutbox } from '../ports/webhook-outbox.ts';
import type { Metrics } from './metrics.ts';

/** Webhook delivery outcomes as the dispatcher records them: delivered, retried, failed, stopped. */
export function meteredOutbox(outbox: WebhookOutbox, metrics: Pick<Metrics, 'webhookDeliveries'>): WebhookOutbox {
  const count = (outcome: string) => metrics.webhookDeliveries.inc({ outcome });
  return {
    enqueue: (d) => outbox.enqueue(d),
    claimDue: (now, limit, leaseMs) => outbox.claimDue(now, limit, leaseMs),
    get: (id) => outbox.get(id),
    listForRender: (t, r) => outbox.listForRender(t, r),
    async markDelivered(id, httpStatus) { await outbox.markDelivered(id, httpStatus); count('delivered'); },
    async reschedule(id, at, error, httpStatus) { await outbox.reschedule(id, at, error, httpStatus); count('retried'); },
    async finish(id, status, error, httpStatus) { await outbox.finish(id, status, error, httpStatus); count(status); },
  };
}

/**
 * notify-final-status, counting renders by final status and their duration (start to finish).
 * `publicUrl` is read per call: the root learns its listening address only after start-up.
 */
export function meteredNotify(
  deps: Omit<NotifyDeps, 'publicUrl'> & { readonly publicUrl: () => string },
  metrics: Pick<Metrics, 'rendersFinished' | 'renderDuration'>,
): NotifyFinalStatus {
  return Object.assign(async (render: RenderRecord, opts?: { readonly replay?: boolean }) => {
    if (isFinalStatus(render.status) && !opts?.replay) {
      metrics.rendersFinished.inc({ status: render.status });
      if (render.startedAt && render.finishedAt) {
        metrics.renderDuration.observe({ status: render.status }, (Date.parse(render.finishedAt) - Date.parse(render.startedAt)) / 1000);
      }
    }
    await createNotifyFinalStatus({ ...deps, publicUrl: deps.publicUrl() })(render);
  }, { webhookFor: (render: RenderRecord) => finalDeliveries(render, deps.publicUrl(), deps.signer) });
}
