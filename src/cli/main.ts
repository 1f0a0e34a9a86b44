/**
 * The `montage` executable: one binary, several roles. This file only dispatches; each command
 * is a composition root that builds what it needs from the parsed configuration.
 */
import { processIo } from './cli-io.ts';

const USAGE = `Usage: montage <command> [options]

Commands:
  --version                                                      print Montage's version
  render FILE [-o OUT] [--merge K=V]... [--chunks N] [--cache DIR] [--timeout S] [--json]   render a composition (or a Shotstack Edit) here
  validate FILE [--merge K=V]... [--json]                       check a composition
  serve                                                          API + worker, SQLite and files (embedded)
  api | worker                                                   the scaled-out roles
  import shotstack EDIT.json [-o OUT.json]                      a Shotstack Edit as a composition
  keys create --tenant NAME [--json] | keys list | keys revoke ID
  migrate                                                        bring the database schema up to date

Run 'montage <command> --help' for a command's options.`;

const COMMANDS = ['render', 'validate', 'serve', 'api', 'worker', 'import', 'keys', 'migrate'];

const main = async (argv: string[]): Promise<number> => {
  const io = processIo();
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v' || command === 'version') {
    io.stdout.write(`${(await import('./package-version.ts')).packageVersion()}\n`);
    return 0;
  }
  // `montage help render` is `montage render --help`; a bare `help` (or none) lists the commands.
  if (command === 'help' && rest[0] !== undefined && COMMANDS.includes(rest[0])) return main([rest[0], '--help']);
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  if (!COMMANDS.includes(command)) {
    // The typo rule of every other did-you-mean in Montage (composition fields, enum values, fonts).
    const near = (await import('../composition/did-you-mean.ts')).didYouMean(command, COMMANDS);
    io.stderr.write(`Unknown command "${command}".${near ? ` Did you mean "montage ${near}"?` : ''}\n\n${USAGE}\n`);
    return 2;
  }
  // The configuration and the error registry load after --version and --help, which need neither.
  let config;
  try {
    config = (await import('../config/load-config.ts')).loadConfig(io.env);
  } catch (e) {
    io.stderr.write(`${(await import('./print-problems.ts')).describeError(e)}\n`);
    return 2;
  }
  // Each command loads only what it uses: `render` starts without Fastify, `keys` without ffmpeg's engine.
  const engine = async () => (await import('../render/engine.ts')).createRenderEngine({ ffmpegPath: config.ffmpegPath, ffprobePath: config.ffprobePath });
  switch (command) {
    case 'render': return (await import('./render-command.ts')).runRenderCommand(rest, io, await engine());
    // validate needs no engine: checkComposition is the engine's validate without the raster code.
    case 'validate': return (await import('./validate-command.ts')).runValidateCommand(rest, io, { validate: (await import('../composition/check-composition.ts')).checkComposition });
    case 'serve': return (await import('../main/serve-command.ts')).runServeCommand(rest, config, io);
    case 'api': return (await import('../main/serve-command.ts')).runApiCommand(rest, config, io);
    case 'worker': return (await import('../main/serve-command.ts')).runWorkerCommand(rest, config, io);
    case 'import': return (await import('./import-command.ts')).runImportCommand(rest, io);
    case 'keys': return (await import('./keys-command.ts')).runKeysCommand(rest, config, io);
    case 'migrate': return (await import('./migrate-command.ts')).runMigrateCommand(rest, config, io);
    default: return 2; // not reached: unknown commands are answered above
  }
};

process.exitCode = await main(process.argv.slice(2));
