/**
 * Renders compositions through the real engine the way `montage render` does (validate with merge,
 * local paths resolved against the media folder by the CLI's resolver), each into its own work
 * directory under one temp folder that the test file removes at the end.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRenderEngine } from '../../src/render/engine.ts';
import { createLocalSrcResolver } from '../../src/cli/local-src-resolver.ts';
import { SafeFetcher } from '../../src/assets/safe-fetcher.ts';
import { EMPTY_ALLOW_LIST } from '../../src/assets/allow-list.ts';
import type { RenderOutputs } from '../../src/ports/render-engine.ts';
import { FFMPEG, FFPROBE } from './ffmpeg-tools.ts';

/** The frame every render test uses unless it needs another: tiny, fast, still divisible by 4 and 9. */
export const TINY = { width: 320, height: 180, fps: 10, quality: 'draft' } as const;

export interface RenderHarness {
  /** Where the test media lives; `src` paths in compositions are relative to it. */
  readonly dir: string;
  readonly engine: ReturnType<typeof createRenderEngine>;
  /** Validates (with `merge` overriding the composition's) and renders; the output is named `name.EXT`. */
  render(name: string, raw: object, opts?: { merge?: Record<string, string | number | boolean>; ext?: string }): Promise<RenderOutputs>;
  /** Removes everything. */
  dispose(): void;
}

export const createRenderHarness = (prefix: string): RenderHarness => {
  const dir = mkdtempSync(join(tmpdir(), `montage-${prefix}-`));
  const outDir = join(dir, 'out');
  mkdirSync(outDir);
  const engine = createRenderEngine({ ffmpegPath: FFMPEG, ffprobePath: FFPROBE });
  const fetcher = new SafeFetcher({ allowList: EMPTY_ALLOW_LIST });
  return {
    dir,
    engine,
    async render(name, raw, opts = {}) {
      const { composition, summary } = engine.validate(raw, opts.merge);
      const workDir = mkdtempSync(join(dir, `work-${name}-`));
      const outputPath = join(outDir, `${name}.${opts.ext ?? summary.format}`);
      try {
        return await engine.render({ composition, workDir, outputPath, resolveSrc: createLocalSrcResolver({ baseDir: dir, workDir, fetcher }) });
      } finally {
        rmSync(workDir, { recursive: true, force: true });
      }
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
