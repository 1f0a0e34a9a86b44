/**
 * `montage serve` as a command: starts the embedded service and runs until SIGTERM or SIGINT, then
 * drains (see serve.ts) and returns exit code 0. A second signal while draining exits at once
 * with 1. Returns 1 when start-up fails (port taken, database unreadable).
 */
import type { Config } from '../config/load-config.ts';
import type { CommandIo } from '../cli/keys-command.ts';
import { describeError } from '../cli/print-problems.ts';
import { startServe } from './serve.ts';

const USAGE = `Usage: montage serve

Runs the HTTP API, a render worker and the webhook dispatcher in one process, on SQLite and files
under MONTAGE_DATA_DIR. Configured by environment variables (MONTAGE_PORT, MONTAGE_DATA_DIR,
MONTAGE_WORKER_CONCURRENCY, MONTAGE_SHUTDOWN_GRACE, MONTAGE_RATE_LIMIT, ...; see the README).
SIGTERM drains: no new renders, running ones get MONTAGE_SHUTDOWN_GRACE to finish, then exit 0.`;

export async function runServeCommand(argv: readonly string[], config: Config, io: CommandIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) { io.stdout.write(`${USAGE}\n`); return 0; }
  if (argv.length > 0) { io.stderr.write(`Unexpected arguments: ${argv.join(' ')}\n${USAGE}\n`); return 2; }
  let running;
  try {
    running = await startServe(config);
  } catch (e) {
    io.stderr.write(`montage serve could not start: ${describeError(e)}\n`);
    return 1;
  }
  const server = running;
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
