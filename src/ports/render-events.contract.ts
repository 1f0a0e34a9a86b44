/** The contract every RenderEvents adapter must honour (see render-events.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withHarness, type ContractHarness } from './contract-harness.ts';
import type { RenderEvent, RenderEvents } from './render-events.ts';

const waitFor = async (cond: () => boolean, ms = 2_000) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
};

export function renderEventsContract(name: string, make: () => Promise<ContractHarness<RenderEvents>>): void {
  const t = (fn: (s: RenderEvents) => Promise<void>) => withHarness(make, fn);

  describe(`RenderEvents contract: ${name}`, () => {
    it("delivers a render's events to its subscribers only, until they unsubscribe", t(async (s) => {
      const got: RenderEvent[] = [];
      const other: RenderEvent[] = [];
      const off = await s.subscribe('r1', (e) => got.push(e));
      await s.subscribe('r2', (e) => other.push(e));
      await s.publish({ type: 'progress', tenant: 't1', renderId: 'r1', progress: 0.5, stage: 'rendering' });
      await s.publish({ type: 'status', tenant: 't1', renderId: 'r1', status: 'canceled' });
      await waitFor(() => got.length === 2);
      assert.deepEqual(got.map((e) => e.type), ['progress', 'status']);
      assert.equal(other.length, 0);
      await off();
      await s.publish({ type: 'status', tenant: 't1', renderId: 'r1', status: 'failed' });
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(got.length, 2);
    }));
  });
}
