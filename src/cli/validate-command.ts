/**
 * `montage validate FILE [--merge K=V]... [--probe] [--json]`: checks a composition without
 * rendering. Prints every problem with its JSON Pointer and exits 2, or prints a summary and exits 0.
 * Besides the format, it checks every source the way `render` will read it, all at once: local
 * files that are missing or unreadable, `asset:` and other schemes, URLs the destination policy
 * refuses (MONTAGE_ALLOW_HOSTS), host names that do not resolve. `--probe` also downloads and
 * probes every source, as a render would, and reports media problems with their pointers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MontageError } from '../errors/registry.ts';
import { sourceProblemsError } from '../jobs/check-sources.ts';
import type { RenderEngine } from '../ports/render-engine.ts';
import type { Composition } from '../composition/schema.ts';
import type { probeSources } from '../assets/probe-sources.ts';
import type { FieldProblem } from '../errors/registry.ts';
import { findLocalSourceProblems } from './check-local-sources.ts';
import { cliAllowList, cliDestinationCheck } from './cli-destination-check.ts';
import { describeError, errorJson } from './print-problems.ts';
import { parseMergeFlags, readRenderInput, type RenderInput } from './read-composition-file.ts';
import { unusedMergeWarnings } from './ignored-options.ts';
import { inEditTerms, inEditWarning } from '../shotstack/composition-problem-paths.ts';
import { EXIT, type CliIo } from './cli-io.ts';

export const VALIDATE_USAGE = `Usage: montage validate FILE [--merge NAME=VALUE]... [--probe] [--json]

Checks the composition (or Shotstack Edit) in FILE and its sources without rendering.
      --merge K=V   value for a {{K}} placeholder (repeatable; overrides the file's merge)
      --probe       also download and probe every source, as a render would
      --json        the result as one JSON line on stdout
Exit codes: 0 valid (the format, size, frame rate and duration are printed), 2 invalid (every problem with its JSON Pointer).`;

export const runValidateCommand = async (argv: string[], io: CliIo, engine: Pick<RenderEngine, 'validate'>): Promise<number> => {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { merge: { type: 'string', multiple: true }, json: { type: 'boolean' }, probe: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n${VALIDATE_USAGE}\n`);
    return EXIT.invalid;
  }
  if (args.values.help) { io.stdout.write(`${VALIDATE_USAGE}\n`); return EXIT.ok; }
  if (args.positionals.length !== 1) { io.stderr.write(`${VALIDATE_USAGE}\n`); return EXIT.invalid; }
  const json = !!args.values.json;
  // An Edit's: a problem found in the composition it became is named at its path in the Edit.
  let clipOrigins: RenderInput['clipOrigins'];
  const inEdit = (w: FieldProblem) => (clipOrigins ? inEditWarning(w, clipOrigins) : w);
  try {
    const file = resolve(io.cwd, args.positionals[0]);
    const { raw, merge, ...input } = await readRenderInput(file, parseMergeFlags(args.values.merge ?? []), { ffprobePath: io.env.MONTAGE_FFPROBE || 'ffprobe' });
    clipOrigins = input.clipOrigins;
    const checked = engine.validate(raw, merge, { filled: input.filled });
    const composition = checked.composition;
    const summary = { ...checked.summary, warnings: [...checked.summary.warnings, ...await glyphWarningsOf(composition, checked.summary.warnings)].map(inEdit) };
    const baseDir = dirname(file);
    const unreachable = await findLocalSourceProblems(composition, { baseDir, checkDestination: cliDestinationCheck(io.env) });
    if (unreachable.length > 0) throw sourceProblemsError(unreachable);
    if (args.values.probe) await probeAll(composition, baseDir, io);
    // An Edit was merged by its own rules already (readRenderInput): its --merge names were used there.
    const optionWarnings = input.filled ? [] : unusedMergeWarnings(raw, merge);
    if (json) {
      io.stdout.write(`${JSON.stringify({ valid: true, ...summary, ...(optionWarnings.length ? { optionWarnings } : {}) })}\n`);
    } else {
      io.stdout.write(`Valid: ${summary.format}, ${summary.width}×${summary.height}, ${summary.fps} fps, ${summary.duration.toFixed(2)} s\n`);
      for (const w of summary.warnings) io.stdout.write(`  warning ${w.pointer}: ${w.detail}\n`);
      for (const w of optionWarnings) io.stdout.write(`  warning ${w.option}: ${w.detail}\n`);
    }
    return EXIT.ok;
  } catch (caught) {
    const e = clipOrigins ? inEditTerms(caught, clipOrigins) : caught;
    if (json) io.stdout.write(`${JSON.stringify({ valid: false, ...errorJson(e) })}\n`);
    else io.stderr.write(`${describeError(e)}\n`);
    return EXIT.invalid;
  }
};

/**
 * Characters no font can draw (a warning naming each), as the engine's validate reports them. The
 * CLI checks compositions without the raster code, so the font tables are loaded only when there
 * is text to check; warnings already given are not repeated.
 */
async function glyphWarningsOf(composition: Composition, given: readonly FieldProblem[]): Promise<FieldProblem[]> {
  const hasText = composition.tracks.some((t) => t.clips.some((c) => c.asset.type === 'text' || c.asset.type === 'captions'));
  if (!hasText) return [];
  const { glyphWarnings } = await import('../render/raster/glyph-warnings.ts');
  const seen = new Set(given.map((w) => `${w.pointer} ${w.detail}`));
  return glyphWarnings(composition).filter((w) => !seen.has(`${w.pointer} ${w.detail}`));
}

/** Downloads and probes every source as `render` would; throws one error listing every media problem. */
async function probeAll(composition: Parameters<typeof probeSources>[0], baseDir: string, io: CliIo): Promise<void> {
  // Loaded only with --probe: plain `montage validate` starts without the fetcher and the prober.
  const [{ probeSources }, { SafeFetcher }, { createLocalSrcResolver }] = await Promise.all([
    import('../assets/probe-sources.ts'), import('../assets/safe-fetcher.ts'), import('./local-src-resolver.ts'),
  ]);
  const workDir = await mkdtemp(join(tmpdir(), 'montage-probe-'));
  try {
    const fetcher = new SafeFetcher({ allowList: cliAllowList(io.env) });
    const { problems } = await probeSources(composition, {
      resolveSrc: createLocalSrcResolver({ baseDir, workDir, fetcher }), ffprobePath: io.env.MONTAGE_FFPROBE || 'ffprobe',
    });
    if (problems.length > 0) {
      throw new MontageError('MONTAGE_E_ASSET_UNREADABLE', `${problems.length === 1 ? 'A source' : `${problems.length} sources`} cannot be used.`, { problems });
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
