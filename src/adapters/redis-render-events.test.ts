// Redis pub/sub RenderEvents against the shared contract, and across two instances as two API
// processes would use it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderEventsContract } from '../ports/render-events.contract.ts';
import type { RenderEvent } from '../ports/render-events.ts';
import { createRedisRenderEvents } from './redis-render-events.ts';
import { TEST_REDIS_URL, uniqueTestPrefix } from './redis-test-keys.ts';

renderEventsContract('redis', async () => {
  const events = createRedisRenderEvents({ url: TEST_REDIS_URL, prefix: uniqueTestPrefix() });
  return { store: events, close: () => events.close() };
});

describe('redis render events', () => {
  it('carry a worker instance\'s events to a listener on another instance, and not across prefixes', async () => {
    const prefix = uniqueTestPrefix();
    const api = createRedisRenderEvents({ url: TEST_REDIS_URL, prefix });
    const worker = createRedisRenderEvents({ url: TEST_REDIS_URL, prefix });
    const elsewhere = createRedisRenderEvents({ url: TEST_REDIS_URL, prefix: uniqueTestPrefix() });
    try {
      const got: RenderEvent[] = [];
      const stray: RenderEvent[] = [];
      await api.subscribe('r1', (e) => got.push(e));
      await elsewhere.subscribe('r1', (e) => stray.push(e));
      const sent: RenderEvent = { type: 'progress', tenant: 't1', renderId: 'r1', progress: 0.25, stage: 'rendering' };
      await worker.publish(sent);
      const end = Date.now() + 2_000;
      while (got.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(got, [sent]);
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(stray, []);
    } finally {
      await Promise.all([api.close(), worker.close(), elsewhere.close()]);
    }
  });
});
