/**
 * The `montage` executable: one binary, several roles. This file only dispatches; each command
 * is a composition root that builds what it needs from the parsed configuration.
 */
import { processIo } from './cli-io.ts';
import { loadConfig } from '../config/load-config.ts';
import { createRenderEngine } from '../render/engine.ts';
import { runRenderCommand } from './render-command.ts';
import { runValidateCommand } from './validate-command.ts';
import { describeError } from './print-problems.ts';
import { runKeysCommand } from './keys-command.ts';
import { runMigrateCommand } from './migrate-command.ts';
import { runServeCommand } from '../main/serve-command.ts';

const USAGE = `Usage: montage <command> [options]

Commands:
  render FILE [-o OUT] [--merge K=V]... [--chunks N] [--json]   render a composition here
  validate FILE [--merge K=V]... [--json]                       check a composition
  serve                                                          API + worker, SQLite and files (embedded)
  api | worker                                                   the scaled-out roles
  keys create --tenant NAME [--json] | keys list | keys revoke ID
  migrate                                                        bring the database schema up to date

Run 'montage <command> --help' for a command's options.`;

const main = async (argv: string[]): Promise<number> => {
  const io = processIo();
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  let config;
  try {
    config = loadConfig(io.env);
  } catch (e) {
    io.stderr.write(`${describeError(e)}\n`);
    return 2;
  }
  const engine = () => createRenderEngine({ ffmpegPath: config.ffmpegPath, ffprobePath: config.ffprobePath });
  switch (command) {
    case 'render': return runRenderCommand(rest, io, engine());
    case 'validate': return runValidateCommand(rest, io, engine());
    case 'serve': return runServeCommand(rest, config, io);
    case 'keys': return runKeysCommand(rest, config, io);
    case 'migrate': return runMigrateCommand(rest, config, io);
    default:
      io.stderr.write(`Unknown command "${command}".\n\n${USAGE}\n`);
      return 2;
  }
};

process.exitCode = await main(process.argv.slice(2));
