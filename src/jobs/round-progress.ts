/**
 * Progress as users see it (the Render, SSE events, webhooks): 0–1 to 4 decimals, so 0.1321 and
 * not 0.13209601550000002. Finer steps than 0.01 % mean nothing to a person or a progress bar.
 */
export const roundProgress = (p: number): number => Math.round(p * 10_000) / 10_000;
