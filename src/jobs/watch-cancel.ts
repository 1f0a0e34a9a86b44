/**
 * Tells a running render that it was canceled: at once through RenderEvents, and by polling the
 * store every `pollMs` in case the event was lost (another instance, a restart of the bus), so a
 * canceled render's ffmpeg stops within ~pollMs even without events. Also aborts when the render
 * vanished or reached any final status some other way.
 */
import type { RenderEvents } from '../ports/render-events.ts';
import { isFinalStatus, type RenderStore } from '../ports/render-store.ts';

export interface CancelWatch {
  readonly signal: AbortSignal;
  stop(): Promise<void>;
}

export async function watchCancel(
  deps: { readonly renders: RenderStore; readonly events: RenderEvents },
  tenant: string, renderId: string, pollMs = 500,
): Promise<CancelWatch> {
  const ac = new AbortController();
  const cancel = () => { if (!ac.signal.aborted) ac.abort(new Error('render canceled')); };
  const unsubscribe = await deps.events.subscribe(renderId, (e) => {
    if (e.type === 'status' && isFinalStatus(e.status)) cancel();
  });
  let polling = false;
  const timer = setInterval(() => {
    if (polling || ac.signal.aborted) return;
    polling = true;
    deps.renders.get(tenant, renderId)
      .then((r) => { if (!r || isFinalStatus(r.status)) cancel(); })
      .catch(() => { /* a failed poll is retried on the next tick */ })
      .finally(() => { polling = false; });
  }, pollMs);
  return {
    signal: ac.signal,
    async stop() {
      clearInterval(timer);
      await unsubscribe();
    },
  };
}
