/**
 * `montage render FILE [-o OUT] [--merge K=V]... [--chunks N] [--cache DIR] [--timeout S] [--json]`: renders one composition
 * on this machine. Exit 0 on success, 2 for an invalid composition (nothing written), 1 when the
 * render fails. Progress: a bar on a terminal, JSON lines with --json, nothing otherwise.
 */
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { RenderEngine } from '../ports/render-engine.ts';
import { sourceProblemsError } from '../jobs/check-sources.ts';
import { findLocalSourceProblems } from './check-local-sources.ts';
import { cliAllowList, cliDestinationCheck } from './cli-destination-check.ts';
import { createLocalSrcResolver } from './local-src-resolver.ts';
import { lazySafeFetcher } from './lazy-safe-fetcher.ts';
import { applyOutputExtension } from './output-format.ts';
import { describeOutput } from './describe-output.ts';
import { createProgressBar } from './progress-bar.ts';
import { describeError, errorJson } from './print-problems.ts';
import { parseMergeFlags, readRenderInput, type RenderInput } from './read-composition-file.ts';
import { inEditTerms, inEditWarning } from '../shotstack/composition-problem-paths.ts';
import { EXIT, type CliIo } from './cli-io.ts';
import { cachesPieces, ignoredOptionWarnings, unusedMergeWarnings } from './ignored-options.ts';
import { isMontageError, MontageError } from '../errors/registry.ts';
import { parseRenderTimeLimit } from '../config/render-time-limit.ts';
import { Invalid } from '../config/parse-env.ts';

export const RENDER_USAGE = `Usage: montage render FILE [-o OUT] [--merge NAME=VALUE]... [--chunks N] [--cache DIR] [--timeout S] [--json]

Renders the composition in FILE. Local paths in it are relative to FILE.
  -o, --output PATH     where to write (default: FILE's name with the format's extension); a folder
                        (an existing one, or a path ending in /) gets that default name inside it;
                        without an output.format in FILE, a known extension (.gif, .webm, .png, …)
                        picks the format
      --merge K=V       value for a {{K}} placeholder (repeatable; overrides the file's merge)
      --chunks N        render N time ranges in parallel processes and join them (mp4, webm,
                        mov; other formats render in one process, with a warning). Default: an
                        mp4 of 8 s or more at up to 1280x720 and 30 fps (quality below high) is
                        split in one part per core, up to 4 and at least 4 s each; anything
                        else renders in one process. --chunks 1 never splits
      --cache DIR       reuse unchanged pieces (time ranges, 4 s at 1080p) of earlier renders in DIR,
                        and keep this render's pieces there (mp4, webm), with what it learned of
                        its local inputs (probes, keyframes, hashes), kept while a file is unchanged
      --piece-seconds S with --cache: piece length (default: 4 s for 1080p30, longer for
                        smaller outputs, at most 60 s)
      --timeout S       stop the render (every ffmpeg it runs) once it has run S seconds after its
                        sources were fetched: 90, 30m, or 5m+20x (5 minutes plus 20 s per second of
                        output), as MONTAGE_RENDER_TIMEOUT takes it (default: no limit)
      --json            progress and result as JSON lines on stdout
Exit codes: 0 rendered, 2 invalid composition or sources (nothing written), 1 render failed,
130 stopped by Ctrl-C (SIGINT), 143 stopped by SIGTERM (every ffmpeg stopped, nothing left behind).`;

/** 128 + the signal's number, as a shell reports a command a signal ended. */
const EXIT_ON_SIGNAL: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

const INVALID_CODES = new Set(['MONTAGE_E_INVALID_COMPOSITION', 'MONTAGE_E_MISSING_PLACEHOLDER', 'MONTAGE_E_INVALID_JSON', 'MONTAGE_E_INVALID_REQUEST', 'MONTAGE_E_EDIT_UNSUPPORTED']);
/** Source problems found before rendering: the same exit as `validate` (2), since nothing was written. */
const SOURCE_CODES = new Set(['MONTAGE_E_UNREACHABLE', 'MONTAGE_E_FETCH_FORBIDDEN', 'MONTAGE_E_ASSET_NOT_FOUND']);

export const runRenderCommand = async (argv: string[], io: CliIo, engine: RenderEngine): Promise<number> => {
  let args;
  try {
    args = parseArgs({
      args: argv, allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o' }, merge: { type: 'string', multiple: true },
        chunks: { type: 'string' }, cache: { type: 'string' }, timeout: { type: 'string' }, 'piece-seconds': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n\n${RENDER_USAGE}\n`);
    return EXIT.invalid;
  }
  if (args.values.help) { io.stdout.write(`${RENDER_USAGE}\n`); return EXIT.ok; }
  if (args.positionals.length !== 1) { io.stderr.write(`${RENDER_USAGE}\n`); return EXIT.invalid; }
  const json = !!args.values.json;
  const emit = (o: object) => io.stdout.write(`${JSON.stringify(o)}\n`);
  // Without --chunks the engine picks the parts (src/render/auto-chunks.ts): 1 unless they pay.
  const chunks = args.values.chunks === undefined ? 'auto' : Number(args.values.chunks);
  if (chunks !== 'auto' && (!Number.isInteger(chunks) || chunks < 1 || chunks > 64)) {
    io.stderr.write('--chunks must be a whole number from 1 to 64\n');
    return EXIT.invalid;
  }

  const pieceSeconds = args.values['piece-seconds'] === undefined ? undefined : Number(args.values['piece-seconds']);
  if (pieceSeconds !== undefined && !(pieceSeconds >= 0.1 && pieceSeconds <= 3600)) {
    io.stderr.write('--piece-seconds must be a number of seconds from 0.1 to 3600\n');
    return EXIT.invalid;
  }
  const timeLimit = args.values.timeout === undefined ? null : parseRenderTimeLimit(args.values.timeout, '--timeout');
  if (timeLimit instanceof Invalid) {
    io.stderr.write(`--timeout ${args.values.timeout}: ${timeLimit.expected}\n`);
    return EXIT.invalid;
  }
  const file = resolve(io.cwd, args.positionals[0]);
  let outputPath = '';
  let workDir: string | undefined;
  let stageDir: string | undefined;
  let sourcesRefused = false;
  let closeCache: (() => Promise<void>) | undefined;
  // An Edit's: a problem found in the composition it became is named at its path in the Edit.
  let clipOrigins: RenderInput['clipOrigins'];
  // Ctrl-C or SIGTERM stops the render as a timeout does: every ffmpeg it started is stopped, the
  // scratch and staging folders are removed (Node's default exit on a signal left both, and ffmpeg
  // running on), and the exit code is 128 + the signal's number. A second signal exits at once.
  const stop = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppedBy) process.exit(EXIT_ON_SIGNAL[signal] ?? EXIT.failed);
    stoppedBy = signal;
    stop.abort(new MontageError('MONTAGE_E_RENDER_CANCELED', `Stopped by ${signal}.`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const input = await readRenderInput(file, parseMergeFlags(args.values.merge ?? []), { ffprobePath: io.env.MONTAGE_FFPROBE || 'ffprobe' });
    clipOrigins = input.clipOrigins;
    // `-o renders/` or `-o renders` (an existing folder): the default name, in that folder.
    const outArg = args.values.output;
    const outFolder = outArg !== undefined && (/[\\/]$/.test(outArg) || await isFolder(resolve(io.cwd, outArg))) ? resolve(io.cwd, outArg) : undefined;
    const raw = applyOutputExtension(input.raw, outFolder ? undefined : outArg);
    const { composition, summary } = engine.validate(raw, input.merge, { filled: input.filled });
    // Options this format cannot use: said now (before a long render), and again in --json's result.
    const optionWarnings = [
      ...ignoredOptionWarnings(summary.format, { chunks: chunks === 'auto' ? 1 : chunks, cache: !!args.values.cache }),
      // An Edit was merged by its own rules already (readRenderInput): its --merge names were used there.
      ...(input.filled ? [] : unusedMergeWarnings(raw, input.merge)),
    ];
    if (!json) for (const w of optionWarnings) io.stderr.write(`warning ${w.option}: ${w.detail}\n`);
    // Every source problem that needs no download, at once, before any work (as `validate` reports them).
    const unreachable = await findLocalSourceProblems(composition, { baseDir: dirname(file), checkDestination: cliDestinationCheck(io.env) });
    if (unreachable.length > 0) { sourcesRefused = true; throw sourceProblemsError(unreachable); }
    outputPath = outArg !== undefined && !outFolder
      ? resolve(io.cwd, outArg)
      : join(outFolder ?? dirname(file), `${basename(file, extname(file))}.${summary.format}`);
    await mkdir(dirname(outputPath), { recursive: true }); // -o out/video.mp4 works in a fresh checkout
    workDir = await mkdtemp(join(tmpdir(), 'montage-'));
    // Written beside the destination under a hidden name and moved into place only when whole: a
    // failed render leaves what was there (an earlier output, or a source the output path names).
    stageDir = await mkdtemp(join(dirname(outputPath), '.montage-'));
    const stagedPath = join(stageDir, basename(outputPath));
    const fetcher = lazySafeFetcher({ allowList: cliAllowList(io.env) });
    const bar = !json && io.stderr.isTTY ? createProgressBar(io.stderr) : undefined;
    const started = Date.now();
    // SQLite (libsql) loads only with --cache: a plain render starts without it.
    const { CLI_TENANT, openCliPieceCache } = args.values.cache ? await import('./cli-piece-cache.ts') : { CLI_TENANT: '', openCliPieceCache: undefined };
    const pieceCache = args.values.cache && openCliPieceCache ? openCliPieceCache(resolve(io.cwd, args.values.cache)) : undefined;
    closeCache = pieceCache && (async () => {
      // What this render learned of its inputs is kept even when it failed: facts of files, not of the render.
      await pieceCache.inputs.save().catch(() => {});
      pieceCache.close();
    });
    const result = await engine.render({
      composition, workDir, outputPath: stagedPath, chunks, timeLimit: timeLimit ?? undefined, signal: stop.signal,
      ...(input.gifPlaysOnce ? { gifPlaysOnce: true } : {}),
      ...(pieceCache ? { pieceCache: { cache: pieceCache.cache, tenant: CLI_TENANT, pieceSeconds }, ...(cachesPieces(summary.format) ? { inputMemo: pieceCache.inputs } : {}), chunks: args.values.chunks === undefined ? undefined : chunks } : {}),
      resolveSrc: createLocalSrcResolver({ baseDir: dirname(file), workDir, fetcher }),
      onProgress: (p) => {
        if (json) emit({ type: 'progress', stage: p.stage, fraction: Number(p.fraction.toFixed(4)), etaSeconds: p.etaSeconds === undefined ? null : Math.round(p.etaSeconds) });
        bar?.update(p);
      },
    });
    bar?.done();
    const into = async <F extends { path: string }>(f: F | undefined): Promise<F | undefined> => {
      if (!f) return undefined;
      const to = join(dirname(outputPath), basename(f.path));
      await rename(f.path, to);
      return { ...f, path: to };
    };
    const placed = { video: (await into(result.video))!, poster: await into(result.poster), thumbnail: await into(result.thumbnail) };
    if (result.pieces && !json) io.stderr.write(`Pieces: ${result.pieces.reused} of ${result.pieces.total} reused from the cache\n`);
    const seconds = (Date.now() - started) / 1000;
    if (json) {
      emit({ type: 'done', seconds, outputs: { video: placed.video, poster: placed.poster ?? null, thumbnail: placed.thumbnail ?? null }, summary: result.summary, ...(result.pieces ? { pieces: result.pieces } : {}), ...(optionWarnings.length ? { warnings: optionWarnings } : {}) });
    } else {
      const s = result.summary;
      io.stdout.write(`Wrote ${placed.video.path} (${describeOutput(s, result.video.bytes)}) in ${seconds.toFixed(1)} s\n`);
      for (const extra of [placed.poster, placed.thumbnail]) if (extra) io.stdout.write(`Wrote ${extra.path}\n`);
      // Validation's warnings, then what the render found (text in declared fonts), each once.
      const said = new Set<string>();
      for (const w of [...summary.warnings, ...result.summary.warnings].map((x) => (clipOrigins ? inEditWarning(x, clipOrigins) : x))) {
        if (!said.has(`${w.pointer} ${w.detail}`)) io.stderr.write(`warning ${w.pointer}: ${w.detail}\n`);
        said.add(`${w.pointer} ${w.detail}`);
      }
    }
    return EXIT.ok;
  } catch (caught) {
    if (stoppedBy) {
      const message = `Stopped by ${stoppedBy}: the render was abandoned and nothing was written.`;
      if (json) emit({ type: 'error', code: 'MONTAGE_E_RENDER_CANCELED', message, problems: [] }); else io.stderr.write(`\n${message}\n`);
      return EXIT_ON_SIGNAL[stoppedBy] ?? EXIT.failed;
    }
    const e = clipOrigins ? inEditTerms(caught, clipOrigins) : caught;
    if (json) emit(errorJson(e)); else io.stderr.write(`\n${describeError(e)}\n`);
    return isMontageError(e) && (INVALID_CODES.has(e.code) || (sourcesRefused && SOURCE_CODES.has(e.code))) ? EXIT.invalid : EXIT.failed;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await closeCache?.();
    if (stageDir) await rm(stageDir, { recursive: true, force: true });
    if (workDir && !io.env.MONTAGE_KEEP_WORK) await rm(workDir, { recursive: true, force: true });
  }
};

const isFolder = async (path: string): Promise<boolean> => {
  try { return (await stat(path)).isDirectory(); } catch { return false; }
};
