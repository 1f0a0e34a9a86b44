/**
 * Small compositions for the cluster tests: cheap to render on a busy 2-core machine, yet a real
 * picture (colour, shape, text with a transition) and, with a soundtrack, a real audio stream.
 */

export interface TinyOptions {
  /** Seconds (default 2). */
  readonly seconds?: number;
  /** Background colour, so renders differ (default #336699). */
  readonly color?: string;
  /** A `src` for the soundtrack (e.g. `asset:ID`); none by default. */
  readonly soundtrack?: string;
  /** Frames per second (default 10). */
  readonly fps?: number;
  readonly label?: string;
}

export function tinyComposition(o: TinyOptions = {}): Record<string, unknown> {
  const seconds = o.seconds ?? 2;
  return {
    output: { format: 'mp4', width: 320, height: 180, fps: o.fps ?? 10, quality: 'draft' },
    ...(o.soundtrack ? { soundtrack: { src: o.soundtrack, volume: 0.8 } } : {}),
    tracks: [
      { clips: [{ asset: { type: 'color', color: o.color ?? '#336699' }, start: 0, length: seconds }] },
      { clips: [
        { asset: { type: 'shape', shape: 'circle', width: 60, height: 60, fill: '#ffcc00' }, start: 0, length: seconds, position: 'right',
          keyframes: { x: [{ time: 0, value: -0.3 }, { time: seconds, value: 0.3 }] } },
        { asset: { type: 'text', text: o.label ?? 'cluster', font: { size: 28, color: '#ffffff' } }, start: 0, length: seconds, transition: { in: 'fade', duration: 0.3 } },
      ] },
    ],
  };
}

/**
 * A longer composition (for chunked renders): `seconds` of scenes that change every 2 s, each with
 * moving shapes and a caption, so the parts joined at chunk boundaries can be told apart.
 */
export function scenesComposition(seconds: number, opts: { readonly fps?: number; readonly soundtrack?: string } = {}): Record<string, unknown> {
  const colors = ['#1c2541', '#3a506b', '#5bc0be', '#6a4c93', '#8ac926', '#ff595e', '#1982c4', '#ffca3a'];
  const scenes = Math.ceil(seconds / 2);
  const clip = (i: number) => ({ start: i * 2, length: Math.min(2, seconds - i * 2) });
  return {
    output: { format: 'mp4', width: 320, height: 180, fps: opts.fps ?? 15, quality: 'draft' },
    ...(opts.soundtrack ? { soundtrack: { src: opts.soundtrack, volume: 0.8 } } : {}),
    tracks: [
      { clips: Array.from({ length: scenes }, (_, i) => ({ asset: { type: 'color', color: colors[i % colors.length] }, ...clip(i) })) },
      { clips: Array.from({ length: scenes }, (_, i) => ({
        asset: { type: 'shape', shape: i % 2 ? 'circle' : 'rectangle', width: 50, height: 50, fill: '#ffffff' }, ...clip(i),
        keyframes: { x: [{ time: 0, value: -0.35 }, { time: clip(i).length, value: 0.35 }] },
      })) },
      { clips: Array.from({ length: scenes }, (_, i) => ({
        asset: { type: 'text', text: `scene ${i + 1}`, font: { size: 24, color: '#000000' } }, ...clip(i), position: 'top',
      })) },
    ],
  };
}
