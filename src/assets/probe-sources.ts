/**
 * `validate --probe` and POST /v1/validate?probe=true: every source fetched (through the caller's
 * ResolveSrc, so the same policy and limits as a render) and every media source probed with the
 * render's hostile-media guards, and every problem reported at once with its pointer, instead of
 * the first one failing the render.
 */
import { readFile } from 'node:fs/promises';
import type { Composition } from '../composition/schema.ts';
import { isMontageError, type FieldProblem } from '../errors/registry.ts';
import type { ResolveSrc } from '../ports/render-engine.ts';
import type { MediaInfo } from './media-info.ts';
import { probeMedia } from './probe-media.ts';
import { fontFileProblem } from '../render/raster/font-registry.ts';

interface Source { readonly src: string; readonly pointer: string; readonly media: boolean; readonly font?: string }

/** Each distinct source once, with the pointer of its first use; media sources are probed too. */
export function sourcesOf(c: Composition): Source[] {
  const seen = new Map<string, Source>();
  const add = (src: string | undefined, pointer: string, media: boolean) => {
    if (src === undefined) return;
    const had = seen.get(src);
    if (!had) seen.set(src, { src, pointer, media });
    else if (media && !had.media) seen.set(src, { ...had, media });
  };
  c.tracks.forEach((t, ti) => t.clips.forEach((clip, ci) => {
    const a = clip.asset as { type: string; src?: string };
    add(a.src, `/tracks/${ti}/clips/${ci}/asset/src`, a.type === 'video' || a.type === 'image' || a.type === 'audio');
  }));
  if (c.soundtrack) add(c.soundtrack.src, '/soundtrack/src', true);
  (c.fonts ?? []).forEach((f, i) => {
    add(f.src, `/fonts/${i}/src`, false);
    const s = seen.get(f.src)!;
    if (!s.media && s.font === undefined) seen.set(f.src, { ...s, font: f.family });
  });
  return [...seen.values()];
}

export interface ProbedSources {
  readonly problems: FieldProblem[];
  /** What each media source holds, by pointer of its first use. */
  readonly media: ReadonlyMap<string, MediaInfo>;
}

export async function probeSources(
  composition: Composition,
  opts: { readonly resolveSrc: ResolveSrc; readonly ffprobePath: string; readonly signal?: AbortSignal; readonly concurrency?: number },
): Promise<ProbedSources> {
  const signal = opts.signal ?? new AbortController().signal;
  const sources = sourcesOf(composition);
  const problems: FieldProblem[][] = sources.map(() => []);
  const media = new Map<string, MediaInfo>();
  let next = 0;
  const work = async () => {
    while (next < sources.length) {
      const i = next++;
      const s = sources[i]!;
      try {
        const path = await opts.resolveSrc(s.src, s.pointer, signal);
        if (s.media) media.set(s.pointer, await probeMedia(path, { ffprobePath: opts.ffprobePath, pointer: s.pointer, signal }));
        else if (s.font !== undefined) {
          // What the render's font registry would refuse (not a font, no usable character map).
          const why = fontFileProblem(await readFile(path), path);
          if (why) problems[i] = [{ pointer: s.pointer, detail: `The font for family "${s.font}" could not be loaded: ${why}.` }];
        }
      } catch (e) {
        const detail = e instanceof Error ? e.message : String(e);
        problems[i] = isMontageError(e) && e.problems.length > 0 ? [...e.problems] : [{ pointer: s.pointer, detail }];
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 4, sources.length) }, work));
  return { problems: problems.flat(), media };
}
