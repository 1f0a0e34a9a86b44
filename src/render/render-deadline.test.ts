// The time limit's own arithmetic and edges, without ffmpeg (test/cli/render-timeout.test.ts and
// test/adversarial/render-timeout.test.ts stop real renders).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMontageError } from '../errors/registry.ts';
import { renderBudgetMs, withinTimeLimit } from './render-deadline.ts';

const limit = (baseMs: number, msPerOutputSecond: number) => ({ baseMs, msPerOutputSecond, setting: 'MONTAGE_RENDER_TIMEOUT=x' });
const never = (signal: AbortSignal) => new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));

test('the budget is the base plus the per-second share of the output', () => {
  assert.equal(renderBudgetMs(limit(300_000, 20_000), 600), 12_300_000);
  assert.equal(renderBudgetMs(limit(45 * 60_000, 0), 600), 45 * 60_000);
});

test('a budget past what a timer can hold (24.8 days) does not fire at once', async () => {
  const caller = new AbortController();
  const run = withinTimeLimit(limit(7 * 24 * 3600_000, 1_000_000), 86_400, caller.signal, never);
  const outcome = await Promise.race([run.then(() => 'settled', (e: Error) => e.message), new Promise((ok) => setTimeout(() => ok('still running'), 200))]);
  caller.abort();
  await run.catch(() => {});
  assert.equal(outcome, 'still running');
});

test('the caller\'s own abort stays what it was; an overrun becomes MONTAGE_E_RENDER_TIMEOUT', async () => {
  const caller = new AbortController();
  const run = withinTimeLimit(limit(60_000, 0), 1, caller.signal, never);
  caller.abort();
  await assert.rejects(run, { message: 'aborted' });
  await assert.rejects(withinTimeLimit(limit(30, 0), 1, new AbortController().signal, never),
    (e: unknown) => isMontageError(e) && e.code === 'MONTAGE_E_RENDER_TIMEOUT' && /time limit of 0\.03 s/.test(e.message));
});
