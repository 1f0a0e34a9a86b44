/**
 * Errors of background connections (a Redis that restarts emits one per reconnect try), logged at
 * most once per dependency every `everyMs`, with a count of what was skipped, so an outage shows in
 * the logs without flooding them.
 */
export interface WarnLogger { warn(obj: object, msg: string): void }

export function createDependencyErrorLog(log: () => WarnLogger | null, everyMs = 5_000) {
  const last = new Map<string, { at: number; skipped: number }>();
  return (error: unknown, dependency: string): void => {
    const now = Date.now();
    const seen = last.get(dependency);
    if (seen && now - seen.at < everyMs) { seen.skipped += 1; return; }
    last.set(dependency, { at: now, skipped: 0 });
    const entry = { dependency, err: error, skippedSinceLast: seen?.skipped ?? 0 };
    const l = log();
    if (l) l.warn(entry, `${dependency}: ${(error as Error)?.message ?? String(error)}`);
    else process.stderr.write(`${JSON.stringify({ level: 40, time: now, dependency, msg: (error as Error)?.message ?? String(error) })}\n`);
  };
}
