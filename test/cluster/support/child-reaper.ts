/**
 * The last line of defence against orphans: every process group the cluster harness starts is
 * registered here, and if the test process exits without having stopped them (an assertion threw
 * past a `finally`, the runner's timeout, Ctrl-C, an uncaught error), they are SIGKILLed on the way
 * out. Children are started `detached` (each leads its own process group, so a kill reaches its
 * ffmpeg children too), which also means a terminal's Ctrl-C would not reach them without this.
 * Only SIGKILL of the test process itself gets past it.
 */
const live = new Set<number>();
let installed = false;

const killAll = () => {
  for (const pgid of live) {
    try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone already */ }
  }
  live.clear();
};

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal); // then die of it as we would have
    });
  }
}

/** Registers a detached child's process group (its pid). */
export function reapOnExit(pgid: number): void {
  install();
  live.add(pgid);
}

/** The group ended (or was stopped by its owner). */
export function forget(pgid: number): void {
  live.delete(pgid);
}

/** SIGKILLs a whole process group now; false if it was gone. */
export function killGroup(pgid: number, signal: NodeJS.Signals = 'SIGKILL'): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
