/**
 * Progress on a terminal: one line redrawn in place with a bar, the percentage and the time left.
 * Redraws at most ten times a second so a fast render does not flood a slow terminal.
 */
import type { RenderProgress } from '../ports/render-engine.ts';

const formatEta = (s?: number): string => {
  if (s === undefined || !Number.isFinite(s)) return '--:--';
  const t = Math.max(0, Math.round(s));
  return `${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}`;
};

export const progressLine = (p: RenderProgress, width = 30): string => {
  const f = Math.min(1, Math.max(0, p.fraction));
  const filled = Math.round(f * width);
  return `${p.stage.padEnd(10)} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${String(Math.floor(f * 100)).padStart(3)}%  ${formatEta(p.etaSeconds)} left`;
};

export const createProgressBar = (out: NodeJS.WritableStream) => {
  let last = 0;
  return {
    update(p: RenderProgress) {
      const now = Date.now();
      if (now - last < 100 && p.fraction < 1) return;
      last = now;
      out.write(`\r${progressLine(p)}`);
    },
    done() {
      out.write('\r\x1b[2K');
    },
  };
};
