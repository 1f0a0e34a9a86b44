/**
 * A render's time limit (RenderTimeLimit, MONTAGE_RENDER_TIMEOUT): runs the rendering under a
 * signal that also fires when the limit passes. Every ffmpeg and ffprobe the render starts takes
 * that signal (run-ffmpeg.ts stops its process with SIGTERM, then SIGKILL a second later, and
 * settles only once it has exited), so an overrun stops them all, and whatever they failed with is
 * reported as MONTAGE_E_RENDER_TIMEOUT naming the limit and the fix. The caller's own abort (a
 * cancel, a shutdown) stays what it was.
 */
import { MontageError } from '../errors/registry.ts';
import type { RenderTimeLimit } from '../ports/render-engine.ts';

const MAX_TIMER_MS = 2 ** 31 - 1;

/** Ms a render of `outputSeconds` may take under `limit`. */
export const renderBudgetMs = (limit: RenderTimeLimit, outputSeconds: number): number =>
  Math.round(limit.baseMs + limit.msPerOutputSecond * Math.max(0, outputSeconds));

export async function withinTimeLimit<T>(
  limit: RenderTimeLimit | undefined, outputSeconds: number, signal: AbortSignal, run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (!limit) return run(signal);
  const budgetMs = renderBudgetMs(limit, outputSeconds);
  const overrun = new AbortController();
  // setTimeout fires at once past 2^31-1 ms (24.8 days): a larger budget is as good as none.
  const timer = setTimeout(() => overrun.abort(), Math.min(budgetMs, MAX_TIMER_MS));
  try {
    return await run(AbortSignal.any([signal, overrun.signal]));
  } catch (e) {
    if (overrun.signal.aborted && !signal.aborted) throw renderTimeout(limit, budgetMs, outputSeconds);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

const seconds = (ms: number): string => {
  const s = ms / 1000;
  if (s < 60) return `${Number(s.toFixed(s < 10 ? 2 : 1))} s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - m * 60);
  return rest ? `${m} min ${rest} s` : `${m} min`;
};

function renderTimeout(limit: RenderTimeLimit, budgetMs: number, outputSeconds: number): MontageError {
  const name = limit.setting.split(/[= ]/)[0]!;
  const rule = limit.msPerOutputSecond > 0
    ? `${seconds(limit.baseMs)} plus ${seconds(limit.msPerOutputSecond)} per second of output, for ${Number(outputSeconds.toFixed(2))} s of output`
    : 'the same for any length of output';
  return new MontageError('MONTAGE_E_RENDER_TIMEOUT',
    `The render ran past its time limit of ${seconds(budgetMs)} (${limit.setting}: ${rule}) and was stopped. `
    + `Simplify the composition (fewer or smaller scaled, rotated or blurred layers, a smaller frame or fewer fps) or shorten it, or raise ${name}.`);
}
