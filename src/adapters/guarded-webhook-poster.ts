/**
 * WebhookPoster over src/assets' guardedRequest: webhook deliveries pass the same destination
 * checks as asset downloads (no private, loopback or metadata addresses unless allowed), and
 * redirects are not followed.
 */
import { guardedRequest } from '../assets/guarded-request.ts';
import type { GuardedAgents } from '../assets/guarded-agents.ts';
import type { WebhookPoster } from '../ports/remote-fetcher.ts';

export function createGuardedWebhookPoster(agents: GuardedAgents): WebhookPoster {
  return {
    async post(url, headers, body, opts) {
      const r = await guardedRequest(url, {
        agents, method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body,
        timeoutMs: opts.timeoutMs, signal: opts.signal,
      });
      return { status: r.status };
    },
  };
}
