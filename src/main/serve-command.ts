/** `montage serve`, `montage api` and `montage worker` as commands (see role-command.ts). */
import type { Config } from '../config/load-config.ts';
import type { CommandIo } from '../cli/keys-command.ts';
import { ROLE_USAGE, runRoleCommand } from './role-command.ts';

export async function runServeCommand(argv: readonly string[], config: Config, io: CommandIo): Promise<number> {
  return runRoleCommand('serve', ROLE_USAGE.serve, argv, io, async () => (await import('./serve.ts')).startServe(config));
}

export async function runApiCommand(argv: readonly string[], config: Config, io: CommandIo): Promise<number> {
  return runRoleCommand('api', ROLE_USAGE.api, argv, io, async () => (await import('./api.ts')).startApi(config));
}

export async function runWorkerCommand(argv: readonly string[], config: Config, io: CommandIo): Promise<number> {
  return runRoleCommand('worker', ROLE_USAGE.worker, argv, io, async () => (await import('./worker.ts')).startWorker(config));
}
