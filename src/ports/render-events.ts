/**
 * The RenderEvents port: live status and progress of renders, across instances. Feeds the
 * `GET /v1/renders/{id}/events` stream and tells a worker at once that its render was canceled.
 * Implemented in-process for `serve` and later by Redis pub/sub. Best effort: a lost event is
 * recovered by reading the RenderStore (SSE sends the current row first; workers also poll), so
 * nothing depends on delivery for correctness.
 */
import type { RenderStage } from './render-engine.ts';
import type { RenderStatus } from './render-store.ts';

export type RenderEvent =
  | { readonly type: 'status'; readonly tenant: string; readonly renderId: string; readonly status: RenderStatus }
  | { readonly type: 'progress'; readonly tenant: string; readonly renderId: string; readonly progress: number; readonly stage: RenderStage };

export type RenderEventListener = (event: RenderEvent) => void;

export interface RenderEvents {
  publish(event: RenderEvent): Promise<void>;
  /** Listens to one render's events until the returned function is called. */
  subscribe(renderId: string, listener: RenderEventListener): Promise<() => Promise<void>>;
}
