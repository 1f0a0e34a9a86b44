/**
 * Waits for `p`, but no longer than `ms`: true once it fulfilled in time, false once `ms` passed
 * first (`p` goes on, unwatched). Rejects if `p` rejects first. The timer is cleared either way, so
 * a short wait never keeps the process alive. (src/adapters/with-timeout.ts rejects instead.)
 */
export async function waitAtMost(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((r) => { timer = setTimeout(() => r(false), ms); });
  try {
    return await Promise.race([p.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
