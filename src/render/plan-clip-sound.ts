/**
 * A clip's own sound, where it is more than one straight read of the source: `extend: "loop"`
 * (one input per pass, each from `trim` again) and `reverse` (each piece reversed with
 * `areverse`, which buffers what it reverses: at most MAX_REVERSE_SECONDS of 48 kHz stereo,
 * 23 MB). Also how every source becomes 48 kHz stereo: a mono source is copied to both channels
 * at its own level, not through ffmpeg's default upmix, which puts it 3 dB lower on each.
 */
import type { MediaInfo } from '../assets/media-info.ts';
import { num } from './easing.ts';
import type { FilterGraph } from './filter-graph.ts';
import { sourcePlay, soundSegments } from './source-segments.ts';
import type { TimelineClip } from './timeline.ts';

/**
 * `first_pts=0`: the sound starts where the file's clock says, not at its first sample. A video
 * whose sound begins after its picture (audio start_time 0.178 s in a file that starts at 0: a
 * camera's, or one cut by stream copy) had that gap dropped, so its sound played 178 ms ahead of
 * the picture; now the gap is silence (and samples before 0, an encoder's priming, are dropped).
 */
const RESAMPLE = 'aresample=48000:first_pts=0,aformat=sample_fmts=fltp:channel_layouts=stereo';

/** The filters that make a source 48 kHz stereo float from the file's time 0 (or the seek point), each channel at the source's own level. */
export const normalizeSound = (m: MediaInfo): string =>
  (m.audio?.channels === 1 ? `pan=stereo|c0=c0|c1=c0,${RESAMPLE}` : RESAMPLE);

/**
 * The label of the clip's sound for clip-local seconds [t0, t1), normalized and starting at 0
 * (before speed and volume), or undefined when one plain input does (no loop, not reversed).
 */
export const soundPieces = (c: TimelineClip, graph: FilterGraph, t0: number, t1: number, fps: number): string | undefined => {
  // A video's sound loops in step with its picture (passes of whole output frames); an audio clip
  // has no picture, and its passes follow each other exactly, as a music loop must.
  const play = sourcePlay(c, c.asset.type === 'video' ? fps : undefined);
  if (!play.reverse && play.extend !== 'loop') return undefined;
  const media = c.media!;
  const pieces = soundSegments(play, t0, t1).map((s) => {
    if (s.silent) return graph.chain([], [`anullsrc=r=48000:cl=stereo`, `atrim=duration=${num(s.length)}`, 'aformat=sample_fmts=fltp'], graph.label('gap'));
    const i = graph.freshInput(media.path, ['-ss', num(s.from), '-t', num(s.length + 0.05)]);
    return graph.chain([`${i}:a`], [
      normalizeSound(media), 'asetpts=PTS-STARTPTS', `atrim=duration=${num(s.length)}`,
      ...(s.reversed ? ['areverse'] : []), 'asetpts=PTS-STARTPTS',
    ], graph.label('snd'));
  });
  if (pieces.length === 0) return graph.chain([], ['anullsrc=r=48000:cl=stereo', 'atrim=duration=0.001', 'aformat=sample_fmts=fltp'], graph.label('snd'));
  if (pieces.length === 1) return pieces[0];
  return graph.chain(pieces, [`concat=n=${pieces.length}:v=0:a=1`], graph.label('snd'));
};
