/**
 * RenderEngine.validate without the engine: validation and the summary, nothing that renders.
 * `montage validate` uses it so that it loads neither the raster code (@napi-rs/canvas, about
 * 0.3 s of CPU to load) nor the planner; the engine's own validate is the same function.
 */
import type { RenderEngine } from '../ports/render-engine.ts';
import { summarizeComposition } from './summarize-composition.ts';
import { validateComposition } from './validate-composition.ts';

export const checkComposition: RenderEngine['validate'] = (raw, merge, opts) => {
  const { composition, warnings } = validateComposition(raw, merge, { filled: opts?.filled });
  return { composition, summary: summarizeComposition(composition, warnings) };
};
