import http from 'node:http';
import https from 'node:https';
import type { GuardedAgents } from './guarded-agents.ts';

export interface SendRequestOptions {
  readonly method?: string;
  readonly headers?: http.OutgoingHttpHeaders;
  readonly body?: string | Uint8Array;
  readonly signal?: AbortSignal;
}

/**
 * Sends one request through the guarded agents and resolves with the response head; the body is
 * left for the caller to stream. Redirects are not followed here: each hop is the caller's
 * decision. Rejects with the agent's MONTAGE_E_FETCH_FORBIDDEN error when the destination is
 * refused, or with the socket error / AbortError otherwise.
 */
export function sendRequest(url: URL, agents: GuardedAgents, options: SendRequestOptions = {}): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const request = (secure ? https : http).request(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: secure ? agents.https : agents.http,
        signal: options.signal,
      },
      resolve,
    );
    request.on('error', reject);
    request.end(options.body);
  });
}
