/**
 * RenderEvents inside one process (`montage serve`, where the API and the worker share it).
 * See src/ports/render-events.ts. A listener that throws is isolated from the others.
 */
import type { RenderEvent, RenderEventListener, RenderEvents } from '../ports/render-events.ts';

export function createInProcessRenderEvents(): RenderEvents {
  const listeners = new Map<string, Set<RenderEventListener>>();
  return {
    async publish(event: RenderEvent) {
      for (const l of [...(listeners.get(event.renderId) ?? [])]) {
        try { l(event); } catch { /* one bad listener must not starve the rest */ }
      }
    },
    async subscribe(renderId, listener) {
      const set = listeners.get(renderId) ?? new Set<RenderEventListener>();
      set.add(listener);
      listeners.set(renderId, set);
      return async () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(renderId) === set) listeners.delete(renderId);
      };
    },
  };
}
