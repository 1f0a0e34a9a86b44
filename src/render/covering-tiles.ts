/**
 * Stretches of the output where an opaque, frame-sized layer hides everything beneath it (a
 * full-frame still or colour: plan-visual-clip.ts, VisualLayer.covers). There the layer's own
 * frames are the picture: no background is drawn and no overlay blends the layer onto it, which
 * for a slideshow of full-frame stills was a full-frame alpha blend on every frame. Layers drawn
 * later inside one stretch (a crossfade's incoming clip, a title) are overlaid onto that stretch
 * alone, with the very overlay they would get on the whole frame, so every pixel is the same as
 * overlaying all of them onto the background. At the end the stretches, and the background
 * between them, are joined one after the other.
 *
 * Only what is exact is taken: a covering layer that would cut into an earlier stretch anywhere
 * but its end, and any other layer that reaches outside a single stretch, end the tiling (the
 * frames so far are joined, and the rest is overlaid as before).
 */
import type { FilterGraph } from './filter-graph.ts';

/** Output frames [first, end) drawn by the stream `label`, whose first frame is `first`. */
interface Tile { readonly first: number; readonly end: number; readonly label: string }

export interface TileSpan { readonly first: number; readonly count: number }

export class CoveringTiles {
  #tiles: Tile[] = [];

  constructor(private readonly graph: FilterGraph) {}

  get empty(): boolean {
    return this.#tiles.length === 0;
  }

  /** Takes a covering layer's frames as a stretch; false where that would not be exact. */
  cover(label: string, span: TileSpan): boolean {
    const first = span.first;
    const end = span.first + span.count;
    const next: Tile[] = [];
    for (const t of this.#tiles) {
      if (t.end <= first || t.first >= end) next.push(t);
      // The new layer hides the end of an earlier stretch: that stretch stops where it starts.
      else if (t.first < first && t.end <= end) next.push({ ...t, end: first, label: this.graph.chain([t.label], [`trim=end_frame=${first - t.first}`], this.graph.label('tile')) });
      else return false;
    }
    next.push({ first, end, label });
    this.#tiles = next.sort((a, b) => a.first - b.first);
    return true;
  }

  /**
   * Overlays a layer onto the one stretch that holds all of its frames (`draw` makes the overlay
   * from the stretch's label); false where no stretch holds them all.
   */
  drawInside(span: TileSpan, draw: (under: string) => string): boolean {
    const i = this.#tiles.findIndex((t) => t.first <= span.first && span.first + span.count <= t.end);
    if (i < 0) return false;
    const t = this.#tiles[i];
    this.#tiles[i] = { ...t, label: draw(t.label) };
    return true;
  }

  /**
   * The output's `frames` frames as one stream: the stretches in order, and between them the
   * frames of `background` (a source chain of n frames). Timestamps are the output's, N·1000 in
   * 1/tbDen, as the background's would be.
   */
  join(frames: number, tbDen: number | string, background: (n: number) => string[]): string {
    const tiles = this.#tiles;
    this.#tiles = [];
    // Square pixels, as the background's: overlay kept the background's, a zoom's frames carry
    // its stacked copies' (concat refuses pieces that differ, and the output would show it).
    // One stretch holding every frame is the picture already, with the output's timestamps.
    if (tiles.length === 1 && tiles[0].first === 0 && tiles[0].end === frames) return this.graph.chain([tiles[0].label], ['setsar=1'], this.graph.label('tiles'));
    const pieces: string[] = [];
    let at = 0;
    for (const t of [...tiles, { first: frames, end: frames, label: '' }]) {
      if (t.first > at) pieces.push(this.graph.chain([], [...background(t.first - at), 'setpts=PTS-STARTPTS'], this.graph.label('gap')));
      if (t.label) pieces.push(this.graph.chain([t.label], ['setsar=1', 'setpts=PTS-STARTPTS'], this.graph.label('piece')));
      at = t.end;
    }
    // A layer's last frame may fall one past the output's (its end rounds up, the output's length to the nearest).
    return this.graph.chain(pieces, [`concat=n=${pieces.length}:v=1:a=0`, `trim=end_frame=${frames}`, `settb=1/${tbDen}`, 'setpts=N*1000'], this.graph.label('tiles'));
  }
}
