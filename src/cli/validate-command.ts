/**
 * `montage validate FILE [--merge K=V]... [--json]`: checks a composition without rendering.
 * Prints every problem with its JSON Pointer and exits 2, or prints a summary and exits 0.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { RenderEngine } from '../ports/render-engine.ts';
import { describeError, errorJson } from './print-problems.ts';
import { parseMergeFlags, readCompositionFile } from './read-composition-file.ts';
import { EXIT, type CliIo } from './cli-io.ts';

export const VALIDATE_USAGE = 'Usage: montage validate FILE [--merge NAME=VALUE]... [--json]';

export const runValidateCommand = async (argv: string[], io: CliIo, engine: Pick<RenderEngine, 'validate'>): Promise<number> => {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { merge: { type: 'string', multiple: true }, json: { type: 'boolean' } } });
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n${VALIDATE_USAGE}\n`);
    return EXIT.invalid;
  }
  if (args.positionals.length !== 1) { io.stderr.write(`${VALIDATE_USAGE}\n`); return EXIT.invalid; }
  const json = !!args.values.json;
  try {
    const raw = await readCompositionFile(resolve(io.cwd, args.positionals[0]));
    const { summary } = engine.validate(raw, parseMergeFlags(args.values.merge ?? []));
    if (json) {
      io.stdout.write(`${JSON.stringify({ valid: true, ...summary })}\n`);
    } else {
      io.stdout.write(`Valid: ${summary.format}, ${summary.width}×${summary.height}, ${summary.fps} fps, ${summary.duration.toFixed(2)} s\n`);
      for (const w of summary.warnings) io.stdout.write(`  warning ${w.pointer}: ${w.detail}\n`);
    }
    return EXIT.ok;
  } catch (e) {
    if (json) io.stdout.write(`${JSON.stringify({ valid: false, ...errorJson(e) })}\n`);
    else io.stderr.write(`${describeError(e)}\n`);
    return EXIT.invalid;
  }
};
