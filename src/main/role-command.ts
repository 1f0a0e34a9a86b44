/**
 * The long-running roles as commands (`serve`, `api`, `worker`): start, then run until SIGTERM or
 * SIGINT, drain (each role's `stop`) and return exit code 0. A second signal while draining exits
 * at once with 1. Start-up failures (a port taken, a store that does not answer) return 1 with the
 * reason on stderr.
 */
import type { Config } from '../config/load-config.ts';
import type { CommandIo } from '../cli/keys-command.ts';
import { describeError } from '../cli/print-problems.ts';
import type { RunningServe } from './serve.ts';

export async function runRoleCommand(
  role: string, usage: string, argv: readonly string[], io: CommandIo, start: () => Promise<RunningServe>,
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) { io.stdout.write(`${usage}\n`); return 0; }
  if (argv.length > 0) { io.stderr.write(`Unexpected arguments: ${argv.join(' ')}\n${usage}\n`); return 2; }
  let server: RunningServe;
  try {
    server = await start();
  } catch (e) {
    io.stderr.write(`montage ${role} could not start: ${listenProblem(e) ?? describeError(e)}\n`);
    // A client still retrying a store that never answered must not keep the process alive.
    setTimeout(() => process.exit(1), 500).unref();
    return 1;
  }
  return new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals += 1;
      if (signals > 1) { server.app.log.warn({ signal }, 'second signal while draining: exiting now'); process.exit(1); }
      server.app.log.info({ signal }, 'shutting down');
      server.stop().then(() => resolve(0), (e: unknown) => {
        io.stderr.write(`shutdown failed: ${describeError(e)}\n`);
        resolve(1);
      }).finally(() => {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        // Whatever still holds the event loop (a keep-alive socket of the webhook agent) must not hold the exit.
        setTimeout(() => process.exit(process.exitCode ?? 0), 2_000).unref();
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

/**
 * A port that is taken (8080 often is) or not this user's to open, said in the variables that
 * choose it, instead of Node's bare "Error: listen EADDRINUSE: address already in use 0.0.0.0:8080".
 */
function listenProblem(e: unknown): string | undefined {
  const err = e as NodeJS.ErrnoException & { port?: number; address?: string };
  if (err?.syscall !== 'listen') return undefined;
  const where = `port ${err.port} on ${err.address}`;
  if (err.code === 'EADDRINUSE') return `${where} is already in use (MONTAGE_PORT, MONTAGE_HOST). Stop what listens there, or set MONTAGE_PORT to a free port (MONTAGE_PORT=0 takes any free one).`;
  if (err.code === 'EACCES') return `${where} may not be opened by this user (ports below 1024 need privileges). Set MONTAGE_PORT to 1024 or above (default 8080).`;
  if (err.code === 'EADDRNOTAVAIL') return `${err.address} is not an address of this machine (MONTAGE_HOST). Use 0.0.0.0 (every interface, the default) or one of its addresses.`;
  return undefined;
}

/** Used by `montage serve|api|worker` for their `--help`. */
export const ROLE_USAGE = {
  serve: `Usage: montage serve

Runs the HTTP API, a render worker and the webhook dispatcher in one process, on SQLite and files
under MONTAGE_DATA_DIR. Configured by environment variables (MONTAGE_PORT, MONTAGE_DATA_DIR,
MONTAGE_WORKER_CONCURRENCY, MONTAGE_SHUTDOWN_GRACE, MONTAGE_RATE_LIMIT, ...; see docs/configuration.md).
SIGTERM drains: no new renders, running ones get MONTAGE_SHUTDOWN_GRACE to finish, then exit 0.`,
  api: `Usage: montage api

Runs a stateless HTTP API instance of the scale-out mode on PostgreSQL (DATABASE_URL), Redis
(REDIS_URL, MONTAGE_REDIS_PREFIX) and storage (MONTAGE_STORAGE=s3://bucket/prefix with S3_ENDPOINT,
or a volume shared under MONTAGE_DATA_DIR). Run as many as you like behind a load balancer; see
docs/scaling.md. Refuses to start, naming it, when a store does not answer.`,
  worker: `Usage: montage worker

Runs a render worker of the scale-out mode: leases jobs from Redis (BullMQ), renders with ffmpeg,
stores outputs, delivers webhooks and reconciles lost jobs. MONTAGE_WORKER_CONCURRENCY renders at a
time; /healthz, /readyz and /metrics on MONTAGE_PORT. SIGTERM: running renders get
MONTAGE_SHUTDOWN_GRACE to finish, then go back to the queue; exit 0. See docs/scaling.md.`,
} as const;
