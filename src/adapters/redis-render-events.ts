/**
 * RenderEvents over Redis pub/sub, so an SSE client connected to any `montage api` instance sees
 * the progress published by whichever worker renders, and a worker hears a cancel made through any
 * instance. See src/ports/render-events.ts: best effort by design (pub/sub drops messages while a
 * connection is down), the RenderStore stays the truth.
 *
 * One publishing and one subscribing connection per instance, however many listeners: a channel
 * per render (`<prefix>:render-events:<renderId>`) is subscribed while at least one local listener
 * wants it. ioredis re-subscribes by itself after a reconnect.
 */
import { Redis } from 'ioredis';
import type { RenderEvent, RenderEventListener, RenderEvents } from '../ports/render-events.ts';
import { waitAtMost } from '../jobs/wait-at-most.ts';

export interface RedisRenderEventsOptions {
  /** `redis://…` (REDIS_URL). */
  readonly url: string;
  /** Channel prefix (default `montage`); tests use one each. */
  readonly prefix?: string;
  readonly onError?: (error: unknown) => void;
  /** Ms a publish may wait for Redis before it fails (default 10 s): a silent network must not hang a notification. */
  readonly commandTimeoutMs?: number;
  /**
   * Ms `subscribe` waits for Redis to confirm the subscription (default 1 s). Past it, it resolves
   * anyway and the subscription is made when Redis is back: a caller that also reads the store
   * (the SSE stream polls the row) goes on without events instead of waiting for Redis.
   */
  readonly subscribeWaitMs?: number;
}

export interface RedisRenderEvents extends RenderEvents {
  close(): Promise<void>;
}

const isRenderEvent = (v: unknown): v is RenderEvent => typeof v === 'object' && v !== null
  && ((v as RenderEvent).type === 'status' || (v as RenderEvent).type === 'progress')
  && typeof (v as RenderEvent).renderId === 'string';

export function createRedisRenderEvents(opts: RedisRenderEventsOptions): RedisRenderEvents {
  const prefix = opts.prefix ?? 'montage';
  const onError = opts.onError ?? (() => {});
  const pub = new Redis(opts.url, { maxRetriesPerRequest: 2, commandTimeout: opts.commandTimeoutMs ?? 10_000 });
  const sub = new Redis(opts.url);
  pub.on('error', onError);
  sub.on('error', onError);
  const channel = (renderId: string) => `${prefix}:render-events:${renderId}`;
  const listeners = new Map<string, Set<RenderEventListener>>();
  // Subscribe/unsubscribe calls for one channel run in order, so a quick off-then-on never ends unsubscribed.
  const pending = new Map<string, Promise<unknown>>();
  const serial = (ch: string, fn: () => Promise<unknown>) => {
    const next = (pending.get(ch) ?? Promise.resolve()).then(fn, fn);
    pending.set(ch, next);
    void next.finally(() => { if (pending.get(ch) === next) pending.delete(ch); }).catch(() => {});
    return next;
  };

  sub.on('message', (ch: string, text: string) => {
    let event: unknown;
    try { event = JSON.parse(text); } catch { return; }
    if (!isRenderEvent(event) || channel(event.renderId) !== ch) return;
    for (const l of [...(listeners.get(event.renderId) ?? [])]) {
      try { l(event); } catch { /* one bad listener must not starve the rest */ }
    }
  });

  return {
    async publish(event) {
      await pub.publish(channel(event.renderId), JSON.stringify(event));
    },

    async subscribe(renderId, listener) {
      let set = listeners.get(renderId);
      if (!set) {
        set = new Set();
        listeners.set(renderId, set);
      }
      set.add(listener);
      const ch = channel(renderId);
      // Resolves once Redis confirmed the subscription, so events published after this are heard;
      // or after subscribeWaitMs while Redis does not answer (ioredis keeps the command and sends
      // it once reconnected; best effort, as the port says).
      const confirmed = serial(ch, async () => { if (listeners.has(renderId)) await sub.subscribe(ch); });
      await waitAtMost(confirmed.catch(onError), opts.subscribeWaitMs ?? 1_000);
      let done = false;
      return async () => {
        if (done) return;
        done = true;
        set.delete(listener);
        if (set.size === 0 && listeners.get(renderId) === set) {
          listeners.delete(renderId);
          // While Redis is away the unsubscribe fails: nothing listens here any more, so a channel
          // left subscribed only carries messages nobody reads (best effort, never a rejection).
          await serial(ch, async () => { if (!listeners.has(renderId)) await sub.unsubscribe(ch); }).catch(onError);
        }
      };
    },

    async close() {
      listeners.clear();
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
