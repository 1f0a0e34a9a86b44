/**
 * The audio of a render as one filter chain: every clip's own sound (trimmed, sped, faded, placed)
 * and the soundtrack (looped, faded, ducked under the clips' sound), mixed without normalization
 * so each source keeps the level the composition asked for. Always 48 kHz stereo, exactly as long
 * as the rendered range, so audio for any range lines up with its video sample-exactly.
 */
import { minus, num } from './easing.ts';
import { boundedExpr, keyframeCurve } from './keyframe-curve.ts';
import type { FilterGraph } from './filter-graph.ts';
import type { Timeline, TimelineClip } from './timeline.ts';
import { normalizeSound, soundPieces } from './plan-clip-sound.ts';
import { sourcePlay } from './source-segments.ts';
import { tempoFilters } from './audio-tempo.ts';

export const SAMPLE_RATE = 48000;
/** Ducking ramps: the soundtrack reaches `duck` when a clip's sound starts and recovers after it ends. */
export const DUCK_RAMP_SECONDS = 0.25;

/** Does this clip contribute sound? (audio clips, and video clips that are not muted and have sound) */
export const isAudible = (c: TimelineClip): boolean =>
  !!c.media?.audio && ((c.asset.type === 'audio' && (c.asset.volume ?? 1) > 0) ||
    (c.asset.type === 'video' && !c.asset.muted && (c.asset.volume ?? 1) > 0));

/** Where on the timeline a clip's sound plays: its window, cut where the source runs out. */
export const soundWindow = (c: TimelineClip): { start: number; end: number } => {
  const a = c.asset as { trim?: number; speed?: number; extend?: string; reverse?: boolean };
  if (a.extend === 'loop') return { start: c.start, end: c.start + c.length };
  if (a.reverse) { const p = sourcePlay(c); return { start: c.start, end: c.start + Math.min(c.length, p.span / p.speed) }; }
  const left = c.media?.duration !== undefined ? (c.media.duration - (a.trim ?? 0)) / (a.speed ?? 1) : c.length;
  return { start: c.start, end: c.start + Math.max(0, Math.min(c.length, left)) };
};

/**
 * Gains that change over time (volume keyframes, ducking, a fade that began before the range) are
 * evaluated once per audio frame, so they step from frame to frame: in ffmpeg's frames of 1024
 * samples a keyframed fade over 0.1 s rose in five 21 ms stairs (zipper noise) and a `hold` jumped
 * up to 21 ms late. Cut into frames of GAIN_STEP_SAMPLES first, the steps are 1 ms.
 */
const GAIN_STEP_SAMPLES = 48;
const FINE_FRAMES = `asetnsamples=n=${GAIN_STEP_SAMPLES}:p=0`;

/** Appends a time-varying gain (an expression of `t`) to a chain, in 1 ms steps. */
const pushGain = (chain: string[], expr: string): void => {
  if (!chain.includes(FINE_FRAMES)) chain.push(FINE_FRAMES);
  chain.push(`volume=eval=frame:volume='${expr}'`);
};

/** A fade that may begin before the rendered range: afade when it can, else a time-varying gain. */
const pushFade = (chain: string[], dir: 'in' | 'out', st: number, d: number): void => {
  if (st >= 0) chain.push(`afade=t=${dir}:st=${num(st)}:d=${num(d)}`);
  else pushGain(chain, dir === 'in' ? `clip((${minus('t', st)})/${num(d)},0,1)` : `clip(1-(${minus('t', st)})/${num(d)},0,1)`);
};

export const planAudio = (tl: Timeline, graph: FilterGraph): string => {
  const { start: rs, end: re } = tl.range;
  // At least one sample: a range shorter than half a microsecond (a clip `length` of 1e-9 is
  // valid) formatted to 6 decimals was `atrim=duration=0`, which ffmpeg reads as no limit, so
  // the silence never ended and the render ran until its time limit.
  const len = Math.max(re - rs, 1 / SAMPLE_RATE);
  const parts: string[] = [];

  for (const c of tl.clips.filter(isAudible)) {
    const w = soundWindow(c);
    const vs = Math.max(w.start, rs);
    const ve = Math.min(w.end, re);
    if (ve - vs <= 1e-6) continue;
    const a = c.asset as { trim?: number; speed?: number; volume?: number; fadeIn?: number; fadeOut?: number };
    const speed = a.speed ?? 1;
    const skip = vs - c.start;
    // extend "loop" and reverse read the source in pieces (plan-clip-sound.ts); plain play in one.
    const pieces = soundPieces(c, graph, skip, skip + (ve - vs), tl.frame.fps);
    const head = pieces ?? `${graph.input(c.media!.path, ['-ss', num((a.trim ?? 0) + skip * speed), '-t', num((ve - vs) * speed + 0.05)])}:a`;
    const chain = [...(pieces ? [] : [normalizeSound(c.media!), 'asetpts=PTS-STARTPTS']), ...tempoFilters(speed)];
    if ((a.volume ?? 1) !== 1) chain.push(`volume=${num(a.volume ?? 1)}`);
    // (1.1) volume keyframes multiply it, per audio frame, over clip-local time, within 0–2 even
    // where an easing overshoots (a negative gain would invert the sound).
    const vk = c.keyframes.volume;
    if (vk) pushGain(chain, boundedExpr(keyframeCurve(vk), vk, skip ? `(t+${num(skip)})` : 't', 0, 2));
    if (a.fadeIn) pushFade(chain, 'in', -skip, a.fadeIn);
    // fadeOut ends where the sound does: at the clip's end, or where its source runs out first
    // (a fade at the clip's end, after the sound had stopped, left an abrupt cut).
    if (a.fadeOut) pushFade(chain, 'out', w.end - c.start - a.fadeOut - skip, a.fadeOut);
    chain.push(`atrim=duration=${num(ve - vs)}`);
    const delay = Math.round((vs - rs) * SAMPLE_RATE);
    if (delay > 0) chain.push(`adelay=delays=${delay}S:all=1`);
    parts.push(graph.chain([head], chain, graph.label('a')));
  }

  const st = tl.soundtrack;
  if (st?.media.audio) {
    const srcLen = st.media.duration ?? Infinity;
    let pos = st.trim + rs;
    if (pos >= srcLen && st.loop && srcLen > st.trim) pos = (pos - srcLen) % srcLen; // later loops play the whole file
    if (pos < srcLen) {
      const head = soundtrackSource(graph, st, pos, st.loop);
      const chain = [`atrim=duration=${num(len)}`];
      if (st.volume !== 1) chain.push(`volume=${num(st.volume)}`);
      if (st.fadeIn > 0 && rs < st.fadeIn) pushFade(chain, 'in', -rs, st.fadeIn);
      if (st.fadeOut > 0 && re > tl.duration - st.fadeOut) pushFade(chain, 'out', tl.duration - st.fadeOut - rs, st.fadeOut);
      const duck = duckExpr(tl, st.duck, rs);
      if (duck) pushGain(chain, duck);
      parts.push(graph.chain([head], chain, graph.label('a')));
    }
  }

  const tail = [`apad=whole_dur=${num(len)}`, `atrim=duration=${num(len)}`, 'asetpts=PTS-STARTPTS'];
  if (parts.length === 0) {
    // Silence in 20 ms frames, Opus's frame size: in a graph of sources alone (no media input),
    // ffmpeg 5.1 hands the encoder the source's frames as they are, and libopus refuses anullsrc's
    // default 1024 samples ("more samples than frame size"): a webm without sound failed.
    return graph.chain([], [`anullsrc=r=${SAMPLE_RATE}:cl=stereo:nb_samples=${SAMPLE_RATE / 50}`, `atrim=duration=${num(len)}`, 'aformat=sample_fmts=fltp'], graph.label('aout'));
  }
  const mix = parts.length === 1 ? [] : [`amix=inputs=${parts.length}:duration=longest:dropout_transition=0:normalize=0`];
  return graph.chain(parts, [...mix, ...tail], graph.label('aout'));
};

/**
 * The soundtrack from `pos` seconds into its file, looped or not, normalized and starting at 0.
 * A looped one that starts part-way is two inputs joined: the rest of the file once, then the
 * whole file looped. One `-stream_loop -1 -ss POS` input does not do that in ffmpeg 5.1: every
 * pass restarts at POS (the accurate seek drops what precedes it in each pass) and timestamps
 * rewind at each pass, so `atrim` let the sound run past the timeline.
 */
const soundtrackSource = (graph: FilterGraph, media: Timeline['soundtrack'] & object, pos: number, loop: boolean): string => {
  const path = media.media.path;
  const normalized = (input: number) => graph.chain([`${input}:a`], [normalizeSound(media.media), 'asetpts=PTS-STARTPTS'], graph.label('st'));
  if (!loop || pos <= 0) return normalized(graph.input(path, [...(loop ? ['-stream_loop', '-1'] : []), '-ss', num(pos)]));
  const first = normalized(graph.input(path, ['-ss', num(pos)]));
  const rest = normalized(graph.input(path, ['-stream_loop', '-1']));
  return graph.chain([first, rest], ['concat=n=2:v=0:a=1'], graph.label('st'));
};

/**
 * The soundtrack's gain while clips speak: 1 − (1 − duck)·G(T), where G rises to 1 over
 * DUCK_RAMP_SECONDS before each sound window and falls back over the same time after it.
 */
export const duckWindows = (tl: Timeline): Array<{ start: number; end: number }> => {
  const ws = tl.clips.filter(isAudible).map(soundWindow).filter((w) => w.end > w.start).sort((a, b) => a.start - b.start);
  const merged: Array<{ start: number; end: number }> = [];
  for (const w of ws) {
    const last = merged[merged.length - 1];
    if (last && w.start <= last.end + 2 * DUCK_RAMP_SECONDS) last.end = Math.max(last.end, w.end);
    else merged.push({ ...w });
  }
  return merged;
};

const duckExpr = (tl: Timeline, duck: number | undefined, rs: number): string | undefined => {
  if (duck === undefined || duck >= 1) return undefined;
  const windows = duckWindows(tl).filter((w) => w.end + DUCK_RAMP_SECONDS > tl.range.start && w.start - DUCK_RAMP_SECONDS < tl.range.end);
  if (windows.length === 0) return undefined;
  const T = rs ? `(t+${num(rs)})` : 't';
  const r = num(DUCK_RAMP_SECONDS);
  const g = windows
    .map((w) => `min(clip((${minus(T, w.start - DUCK_RAMP_SECONDS)})/${r},0,1),clip((${num(w.end + DUCK_RAMP_SECONDS)}-${T})/${r},0,1))`)
    .reduce((acc, e) => (acc ? `max(${acc},${e})` : e), '');
  return `1-${num(1 - duck)}*${g}`;
};
