/**
 * Polls a render through the API until `done` holds for it (by default: a final status), or throws
 * after `timeoutMs` with the last state seen. Errors of single polls (an api instance being killed
 * behind the balancer) are tolerated until the deadline.
 */
import type { MontageClient } from '../../../src/http/montage-client.ts';
import type { RenderView } from '../../../src/http/api-schemas.ts';

export const FINAL_STATUSES: readonly string[] = ['succeeded', 'failed', 'canceled'];

export async function waitForRender(
  client: MontageClient, id: string,
  done: (r: RenderView) => boolean = (r) => FINAL_STATUSES.includes(r.status),
  opts: { readonly timeoutMs?: number; readonly intervalMs?: number } = {},
): Promise<RenderView> {
  const end = Date.now() + (opts.timeoutMs ?? 120_000);
  let last: RenderView | string = 'no answer yet';
  for (;;) {
    try {
      const r = await client.getRender(id);
      last = r;
      if (done(r)) return r;
    } catch (e) { last = (e as Error).message; }
    if (Date.now() > end) throw new Error(`render ${id}: condition not met within ${opts.timeoutMs ?? 120_000} ms; last: ${JSON.stringify(last)}`);
    await new Promise((ok) => setTimeout(ok, opts.intervalMs ?? 200));
  }
}

/** Waits until `check` returns a truthy value (or throws after `timeoutMs` naming `what`). */
export async function waitUntil<T>(what: string, check: () => Promise<T> | T, opts: { readonly timeoutMs?: number; readonly intervalMs?: number } = {}): Promise<NonNullable<T>> {
  const end = Date.now() + (opts.timeoutMs ?? 60_000);
  let lastError = '';
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (e) { lastError = ` (last error: ${(e as Error).message})`; }
    if (Date.now() > end) throw new Error(`timed out after ${opts.timeoutMs ?? 60_000} ms waiting for ${what}${lastError}`);
    await new Promise((ok) => setTimeout(ok, opts.intervalMs ?? 100));
  }
}
