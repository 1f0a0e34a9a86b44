/**
 * Test support: the real render engine (src/render/engine.ts), or the reason it cannot load yet.
 * Loaded by path at run time so the use-case tests compile and skip cleanly while the engine is
 * being written, instead of swapping in a fake that pretends to render.
 */
import type { RenderEngine } from '../ports/render-engine.ts';

export async function loadRealEngine(): Promise<{ engine: RenderEngine } | { skip: string }> {
  const spec = new URL('../render/engine.ts', import.meta.url).href;
  try {
    const m = (await import(spec)) as { createRenderEngine?: (o: { ffmpegPath: string; ffprobePath: string }) => RenderEngine };
    if (typeof m.createRenderEngine !== 'function') return { skip: 'src/render/engine.ts does not export createRenderEngine yet' };
    return { engine: m.createRenderEngine({ ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' }) };
  } catch (e) {
    return { skip: `the real render engine does not load yet: ${(e as Error).message.split('\n')[0]}` };
  }
}
