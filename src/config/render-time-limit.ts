/**
 * MONTAGE_RENDER_TIMEOUT (and `montage render --timeout`): how long one render may run once its
 * sources are fetched. `5m+20x` = 5 minutes plus 20 seconds per second of output (the default);
 * `45m` = a fixed 45 minutes whatever the length; `0` or `off` = no limit. Why the default is what
 * it is: docs/configuration.md.
 */
import type { RenderTimeLimit } from '../ports/render-engine.ts';
import { Invalid, parseDurationMs } from './parse-env.ts';

export const DEFAULT_RENDER_TIMEOUT = '5m+20x';

const MAX_BASE_MS = 7 * 24 * 3600_000;
const MAX_FACTOR = 1000;

/** `value` as `setting` (the variable or flag) gave it: a limit, null for none, or what was expected. */
export function parseRenderTimeLimit(value: string, setting: string): RenderTimeLimit | null | Invalid {
  const s = value.trim();
  if (/^(0+(\.0+)?|off)$/i.test(s)) return null;
  const expected = new Invalid(`expected a duration (45m, 90s, 600), or a duration plus a multiple of the output's length (5m+20x: 5 minutes plus 20 s per second of output), or 0 for no limit; the duration at most 7 days, the multiple at most ${MAX_FACTOR}`);
  const m = /^([^+]+?)\s*(?:\+\s*(\d+(?:\.\d+)?)\s*x)?$/i.exec(s);
  if (!m) return expected;
  const baseMs = parseDurationMs(m[1]!, 1, MAX_BASE_MS);
  const factor = m[2] === undefined ? 0 : Number(m[2]);
  if (baseMs instanceof Invalid || !(factor <= MAX_FACTOR)) return expected;
  const written = setting.startsWith('--') ? `${setting} ${s}` : `${setting}=${s}`;
  return { baseMs, msPerOutputSecond: Math.round(factor * 1000), setting: written };
}
