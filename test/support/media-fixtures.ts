/**
 * Test media made on the spot with ffmpeg's lavfi sources, so every expected colour, tone and
 * length is known exactly: solid-colour quadrant pictures (position, fit and crop show as which
 * colour lands where), videos whose colour changes every second (trim and speed show as which
 * colour plays when), and sine tones (levels and frequencies to measure).
 */
import { join } from 'node:path';
import { ffmpeg } from './ffmpeg-tools.ts';

/** Colours of the four quadrants: top-left, top-right, bottom-left, bottom-right. */
export type Quadrants = readonly [string, string, string, string];
export const QUADRANTS: Quadrants = ['#ff0000', '#00ff00', '#0000ff', '#ffff00'];

const lavColour = (hex: string) => `0x${hex.replace('#', '')}`;

/** A w×h picture in four solid quadrants (png, jpg, webp…, by the file's extension). */
export const quadrantImage = async (dir: string, name: string, w: number, h: number, q: Quadrants = QUADRANTS): Promise<string> => {
  const path = join(dir, name);
  const [hw, hh] = [w / 2, h / 2];
  const src = q.map((c, i) => `color=c=${lavColour(c)}:s=${hw}x${hh}:d=1[q${i}]`).join(';');
  const graph = `${src};[q0][q1]hstack[top];[q2][q3]hstack[bottom];[top][bottom]vstack,format=rgb24[out]`;
  const quality = name.endsWith('.jpg') ? ['-q:v', '2'] : name.endsWith('.webp') ? ['-lossless', '1'] : [];
  await ffmpeg('-filter_complex', graph, '-map', '[out]', '-frames:v', '1', ...quality, path);
  return path;
};

/** One solid colour, w×h; `#rrggbbaa` makes an RGBA PNG. */
export const solidImage = async (dir: string, name: string, w: number, h: number, colour: string): Promise<string> => {
  const path = join(dir, name);
  const alpha = colour.length === 9 ? parseInt(colour.slice(7), 16) / 255 : 1;
  await ffmpeg('-f', 'lavfi', '-i', `color=c=${lavColour(colour.slice(0, 7))}@${alpha.toFixed(3)}:s=${w}x${h}:d=1,format=rgba`, '-frames:v', '1', path);
  return path;
};

/** An animated GIF with one frame of each colour, 0.2 s each. */
export const animatedGif = async (dir: string, name: string, w: number, h: number, colours: readonly string[]): Promise<string> => {
  const path = join(dir, name);
  const src = colours.map((c, i) => `color=c=${lavColour(c)}:s=${w}x${h}:r=5:d=0.2[c${i}]`).join(';');
  // A palette made from the frames: left to itself, the GIF encoder would pick grey for a YUV source.
  const concat = `${colours.map((_, i) => `[c${i}]`).join('')}concat=n=${colours.length}:v=1:a=0,format=rgb24,split[x][y];[x]palettegen[p];[y][p]paletteuse[out]`;
  await ffmpeg('-filter_complex', `${src};${concat}`, '-map', '[out]', '-loop', '0', path);
  return path;
};

/**
 * An animated WebP (libwebp's ANIM/ANMF chunks, which ffmpeg 5.1 cannot decode), one colour per
 * 0.2 s frame; `#rrggbbaa` colours make frames with alpha.
 */
export const animatedWebp = async (dir: string, name: string, w: number, h: number, colours: readonly string[]): Promise<string> => {
  const path = join(dir, name);
  const src = colours.map((c, i) => {
    const alpha = c.length === 9 ? parseInt(c.slice(7), 16) / 255 : 1;
    return `color=c=${lavColour(c.slice(0, 7))}@${alpha.toFixed(3)}:s=${w}x${h}:r=5:d=0.2,format=rgba[c${i}]`;
  }).join(';');
  const concat = `${colours.map((_, i) => `[c${i}]`).join('')}concat=n=${colours.length}:v=1:a=0[out]`;
  await ffmpeg('-filter_complex', `${src};${concat}`, '-map', '[out]', '-c:v', 'libwebp_anim', '-lossless', '1', '-loop', '0', path);
  return path;
};

export interface SegmentVideoOptions {
  readonly width: number;
  readonly height: number;
  readonly fps?: number;
  /** One colour per second of video. */
  readonly colours: readonly string[];
  /** A sine tone of this frequency under the whole video (none: no audio stream). */
  readonly tone?: number;
  /** Tone amplitude per second (default 0.5 throughout; 0 = silence in that second). */
  readonly toneLevels?: readonly number[];
}

/** An H.264 (+ AAC) MP4 whose picture is one solid colour per second: which second plays shows as colour. */
export const segmentVideo = async (dir: string, name: string, o: SegmentVideoOptions): Promise<string> => {
  const path = join(dir, name);
  const fps = o.fps ?? 10;
  const n = o.colours.length;
  const video = o.colours.map((c, i) => `color=c=${lavColour(c)}:s=${o.width}x${o.height}:r=${fps}:d=1[v${i}]`).join(';');
  const parts = [`${video};${o.colours.map((_, i) => `[v${i}]`).join('')}concat=n=${n}:v=1:a=0,format=yuv420p[v]`];
  const maps = ['-map', '[v]'];
  if (o.tone !== undefined) {
    const levels = o.toneLevels ?? o.colours.map(() => 0.5);
    const gain = levels.map((l, i) => `between(t,${i},${i + 1})*${l}`).join('+');
    parts.push(`sine=f=${o.tone}:r=48000:d=${n},volume=eval=frame:volume='if(lt(t,${n}),${gain},0)'/0.125,aformat=channel_layouts=stereo[a]`);
    maps.push('-map', '[a]', '-c:a', 'aac', '-b:a', '128k');
  }
  await ffmpeg('-filter_complex', parts.join(';'), ...maps, '-c:v', 'libx264', '-preset', 'ultrafast', '-g', String(fps), '-t', String(n), path);
  return path;
};

export interface ToneOptions {
  readonly freq: number;
  readonly seconds: number;
  /** Peak amplitude, 0–1 (default 0.5). */
  readonly amplitude?: number;
  /** Seconds of silence before the tone starts. */
  readonly silenceBefore?: number;
}

/** A stereo 48 kHz WAV holding a sine tone (lavfi's sine is at amplitude 1/8; this scales it). */
export const toneWav = async (dir: string, name: string, o: ToneOptions): Promise<string> => {
  const path = join(dir, name);
  const gain = (o.amplitude ?? 0.5) / 0.125;
  const pad = o.silenceBefore ? `,adelay=delays=${Math.round(o.silenceBefore * 1000)}:all=1` : '';
  await ffmpeg('-f', 'lavfi', '-i', `sine=f=${o.freq}:r=48000:d=${o.seconds},volume=${gain}${pad},aformat=channel_layouts=stereo`,
    '-c:a', 'pcm_s16le', path);
  return path;
};

/** A WAV made of tones played one after another: [freq, seconds, amplitude] (freq 0 = silence). */
export const toneSequenceWav = async (dir: string, name: string, parts: ReadonlyArray<readonly [number, number, number]>): Promise<string> => {
  const path = join(dir, name);
  const srcs = parts.map(([f, s, a], i) => (f === 0
    ? `anullsrc=r=48000:cl=mono,atrim=duration=${s}[p${i}]`
    : `sine=f=${f}:r=48000:d=${s},volume=${a / 0.125}[p${i}]`)).join(';');
  await ffmpeg('-filter_complex', `${srcs};${parts.map((_, i) => `[p${i}]`).join('')}concat=n=${parts.length}:v=0:a=1,aformat=channel_layouts=stereo[out]`,
    '-map', '[out]', '-c:a', 'pcm_s16le', path);
  return path;
};

/** A picture of horizontal bands, top to bottom: [colour, rows]. Asymmetric, so crops and stretches tell apart. */
export const bandImage = async (dir: string, name: string, width: number, bands: ReadonlyArray<readonly [string, number]>): Promise<string> => {
  const path = join(dir, name);
  const src = bands.map(([c, rows], i) => `color=c=${lavColour(c)}:s=${width}x${rows}:d=1[b${i}]`).join(';');
  await ffmpeg('-filter_complex', `${src};${bands.map((_, i) => `[b${i}]`).join('')}vstack=inputs=${bands.length},format=rgb24[out]`,
    '-map', '[out]', '-frames:v', '1', path);
  return path;
};
