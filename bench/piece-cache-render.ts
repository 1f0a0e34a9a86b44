/**
 * `node --import tsx bench/piece-cache-render.ts COMPOSITION.json OUT.mp4 [--cache DIR] [--piece-seconds S] [--pieces-per-process N] [--edit-last-filter F] [--chunks N]`
 *
 * One render through the real engine in this process, for the piece-cache benchmarks
 * (bench/run.ts `--only pieces`, docs/benchmarks.md): with `--cache DIR` through the piece cache
 * (tenant `bench`), else a plain render. `--edit-last-filter F` sets the `filter` of the last clip
 * of the first track (ref-b's edit-and-re-render). Prints one JSON line: wall seconds and pieces.
 * Run it under `/usr/bin/time` for the CPU of the process and its ffmpeg children.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createRenderEngine } from '../src/render/engine.ts';
import { openCliPieceCache } from '../src/cli/cli-piece-cache.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { cache: { type: 'string' }, 'pieces-per-process': { type: 'string' }, 'piece-seconds': { type: 'string' }, 'edit-last-filter': { type: 'string' }, chunks: { type: 'string' } },
});
const [file, out] = positionals;
if (!file || !out) { console.error('Usage: piece-cache-render.ts COMPOSITION.json OUT.mp4 [--cache DIR] [--pieces-per-process N] [--edit-last-filter F] [--chunks N]'); process.exit(2); }
const raw = JSON.parse(readFileSync(file, 'utf8'));
if (values['edit-last-filter']) raw.tracks[0].clips.at(-1).filter = values['edit-last-filter'];
const base = dirname(resolve(file));
const engine = createRenderEngine({ ffmpegPath: process.env.MONTAGE_FFMPEG ?? 'ffmpeg', ffprobePath: process.env.MONTAGE_FFPROBE ?? 'ffprobe' });
const { composition } = engine.validate(raw);
const cache = values.cache ? openCliPieceCache(values.cache) : undefined;
const workDir = mkdtempSync(join(dirname(resolve(out)), 'work-'));
const t0 = performance.now();
try {
  const r = await engine.render({
    composition, workDir, outputPath: resolve(out), resolveSrc: async (src) => resolve(base, src),
    ...(values.chunks ? { chunks: Number(values.chunks) } : {}),
    ...(cache ? { pieceCache: { cache: cache.cache, tenant: 'bench', ...(values['pieces-per-process'] ? { piecesPerProcess: Number(values['pieces-per-process']) } : {}), ...(values['piece-seconds'] ? { pieceSeconds: Number(values['piece-seconds']) } : {}) } } : {}),
  });
  console.log(JSON.stringify({ seconds: (performance.now() - t0) / 1000, pieces: r.pieces ?? null }));
} finally {
  cache?.close();
  rmSync(workDir, { recursive: true, force: true });
}
