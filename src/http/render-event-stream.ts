/**
 * GET /v1/renders/{id}/events as Server-Sent Events: `status` events ({id, status, progress}) and
 * `progress` events ({id, progress, stage}) while the render runs, then exactly one `final` event
 * whose data is the whole Render, and the stream ends. A render already final gets its `status`
 * and `final` at once.
 *
 * Events come from the RenderEvents port, which is best effort; the store is also polled every
 * `pollMs`, so a lost event (another instance, a restart of the bus) delays the stream, never
 * stalls it. Comments (`: keep-alive`) every `keepAliveMs` keep proxies from closing an idle
 * stream.
 */
import { roundProgress } from '../jobs/round-progress.ts';
import { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isFinalStatus, type RenderRecord, type RenderStatus } from '../ports/render-store.ts';
import type { RenderEvents } from '../ports/render-events.ts';
import type { GetRenderUseCase } from './use-case-types.ts';

export interface EventStreamDeps {
  readonly getRender: GetRenderUseCase;
  readonly events: RenderEvents;
  readonly view: (r: RenderRecord) => unknown;
  readonly keepAliveMs: number;
  readonly pollMs: number;
}

/** Streams that are open, so shutdown can end them instead of waiting for clients to leave. */
export type OpenStreams = Set<() => void>;

export async function sendRenderEvents(
  req: FastifyRequest, reply: FastifyReply, tenant: string, id: string, deps: EventStreamDeps, open: OpenStreams,
): Promise<FastifyReply> {
  await deps.getRender(tenant, id); // 404 before any stream starts
  const out = new PassThrough();
  let status: RenderStatus | null = null;
  let done = false;
  const send = (event: string, data: unknown) => {
    if (!done) out.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };

  const observe = (r: RenderRecord) => {
    if (done) return;
    if (r.status !== status) {
      status = r.status;
      send('status', { id, status: r.status, progress: roundProgress(r.progress) });
    }
    if (isFinalStatus(r.status)) {
      send('final', deps.view(r));
      close();
    }
  };
  const refresh = () => deps.getRender(tenant, id).then(observe, (e: unknown) => {
    req.log.warn({ err: e }, 'render event stream: the render could not be read');
    close();
  });

  const unsubscribe = await deps.events.subscribe(id, (e) => {
    if (done || e.tenant !== tenant) return;
    if (e.type === 'progress') send('progress', { id, progress: roundProgress(e.progress), stage: e.stage });
    else if (e.status !== status) {
      if (isFinalStatus(e.status)) void refresh(); // the final event carries the stored Render, outputs included
      else { status = e.status; send('status', { id, status: e.status }); }
    }
  });
  const poll = setInterval(() => void refresh(), deps.pollMs);
  const keepAlive = setInterval(() => { if (!done) out.write(': keep-alive\n\n'); }, deps.keepAliveMs);

  function close() {
    if (done) return;
    done = true;
    clearInterval(poll);
    clearInterval(keepAlive);
    open.delete(close);
    void unsubscribe();
    out.end();
  }
  open.add(close);
  reply.raw.on('close', close);

  void refresh(); // the current state first; subscribing before reading means nothing is missed in between
  return reply
    .header('content-type', 'text/event-stream; charset=utf-8')
    .header('cache-control', 'no-cache, no-transform')
    .header('x-accel-buffering', 'no')
    .send(out);
}
