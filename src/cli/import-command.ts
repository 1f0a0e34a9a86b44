/**
 * `montage import shotstack EDIT.json [-o OUT.json]`: a saved Shotstack Edit as a Montage
 * composition, to read or keep (docs/shotstack.md). Prints the composition (placeholders kept, the
 * Edit's merge as `merge`); every field Montage cannot render is listed with its path in the Edit,
 * and nothing is written (exit 2). Approximations are warnings on stderr.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo } from './cli-io.ts';
import { pathText } from '../shotstack/edit-problems.ts';
import { importShotstackEdit } from '../shotstack/edit-to-composition.ts';
import { readCompositionFile } from './read-composition-file.ts';
import { describeError } from './print-problems.ts';

export const IMPORT_USAGE = `Usage: montage import shotstack EDIT.json [-o OUT.json]

Converts a Shotstack Edit into a Montage composition (see docs/shotstack.md).
  -o, --output FILE   write the composition there instead of printing it`;

export const runImportCommand = async (argv: string[], io: CliIo): Promise<number> => {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n\n${IMPORT_USAGE}\n`);
    return 2;
  }
  if (args.values.help) { io.stdout.write(`${IMPORT_USAGE}\n`); return 0; }
  const [kind, file] = args.positionals;
  if (kind !== 'shotstack' || !file || args.positionals.length !== 2) { io.stderr.write(`${IMPORT_USAGE}\n`); return 2; }
  try {
    const r = importShotstackEdit(await readCompositionFile(resolve(io.cwd, file)));
    for (const w of r.warnings) io.stderr.write(`warning: ${w}\n`);
    if (r.problems.length) {
      io.stderr.write(`The Edit has ${r.problems.length} problem(s) Montage cannot render (MONTAGE_E_EDIT_UNSUPPORTED):\n`);
      for (const p of r.problems) io.stderr.write(`  ${pathText(p.path) || '(the Edit)'}: ${p.message}\n`);
      return 2;
    }
    if (r.callback) io.stderr.write(`note: the Edit's callback (${r.callback}) is not part of a composition; give it as the render request's webhook.\n`);
    const text = `${JSON.stringify(r.composition, null, 2)}\n`;
    if (args.values.output) await writeFile(resolve(io.cwd, args.values.output), text);
    else io.stdout.write(text);
    return 0;
  } catch (e) {
    io.stderr.write(`${describeError(e)}\n`);
    return 2;
  }
};
