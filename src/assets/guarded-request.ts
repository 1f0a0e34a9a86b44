import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { FetchDeadline } from './fetch-deadline.ts';
import { describeUrl, parseFetchableUrl } from './fetchable-url.ts';
import type { GuardedAgents } from './guarded-agents.ts';
import { sendRequest } from './send-request.ts';

export interface GuardedRequestInit {
  /** From createGuardedAgents or SafeFetcher#agents: they carry the allow list and resolver. */
  readonly agents: GuardedAgents;
  readonly method?: string;
  readonly headers?: OutgoingHttpHeaders;
  readonly body?: string | Uint8Array;
  readonly signal?: AbortSignal;
  /** Whole exchange, connect to last response byte, in ms. Default 15 000. */
  readonly timeoutMs?: number;
}

export interface GuardedResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The first 64 KiB of the response body as UTF-8, for delivery logs; the rest is not read. */
  readonly body: string;
}

const KEPT_BODY_BYTES = 64 * 1024;

/**
 * One request with the same destination checks as asset downloads, for webhook delivery and
 * other small outbound calls. Redirects are returned, not followed: a webhook receiver that
 * redirects is misconfigured, and following a redirect with a signed POST body would hand it to
 * whoever the receiver points at. Rejects like SafeFetcher#fetchToFile (FORBIDDEN, FAILED,
 * TIMEOUT, or the caller's abort reason); any HTTP status resolves.
 */
export async function guardedRequest(url: string | URL, init: GuardedRequestInit): Promise<GuardedResponse> {
  const target = parseFetchableUrl(url);
  const what = `${init.method ?? 'GET'} ${describeUrl(target)}`;
  const timeoutMs = init.timeoutMs ?? 15_000;
  const deadline = new FetchDeadline(what, { startTimeoutMs: timeoutMs, totalTimeoutMs: timeoutMs }, init.signal);
  try {
    const response = await sendRequest(target, init.agents, {
      method: init.method,
      headers: init.headers,
      body: init.body,
      signal: deadline.signal,
    });
    const kept: Buffer[] = [];
    let keptBytes = 0;
    for await (const chunk of response as AsyncIterable<Buffer>) {
      kept.push(chunk.subarray(0, KEPT_BODY_BYTES - keptBytes));
      keptBytes += Math.min(chunk.length, KEPT_BODY_BYTES - keptBytes);
      // Leaving the loop destroys the response: nobody needs the rest of a large answer.
      if (keptBytes >= KEPT_BODY_BYTES) break;
    }
    return { status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(kept).toString('utf8') };
  } catch (error) {
    throw deadline.failure(error, what);
  } finally {
    deadline.dispose();
  }
}
