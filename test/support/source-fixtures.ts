/**
 * Sources that are stored one way and seen another, made on the spot: a JPEG with an EXIF
 * orientation tag (written by hand: a tiny APP1 segment after the SOI marker), a video with
 * rotation metadata, non-square pixels, 10-bit, variable frame rate, and videos with an alpha
 * channel in each container/codec Montage keeps alpha from.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ffmpeg } from './ffmpeg-tools.ts';

/** An EXIF APP1 segment holding only IFD0 with the Orientation tag (0x0112), big-endian TIFF. */
export const exifOrientationSegment = (orientation: number): Buffer => {
  const tiff = Buffer.alloc(8 + 2 + 12 + 4);
  tiff.write('MM', 0, 'ascii');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4); // IFD0 right after the header
  tiff.writeUInt16BE(1, 8); // one entry
  tiff.writeUInt16BE(0x0112, 10); // Orientation
  tiff.writeUInt16BE(3, 12); // SHORT
  tiff.writeUInt32BE(1, 14); // one value
  tiff.writeUInt16BE(orientation, 18); // the value, left-justified in the 4-byte field
  tiff.writeUInt32BE(0, 22); // no next IFD
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
};

/** Copies a JPEG, inserting an EXIF orientation right after its SOI marker. */
export const withExifOrientation = (jpegPath: string, outPath: string, orientation: number): string => {
  const jpeg = readFileSync(jpegPath);
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error(`${jpegPath} is not a JPEG`);
  writeFileSync(outPath, Buffer.concat([jpeg.subarray(0, 2), exifOrientationSegment(orientation), jpeg.subarray(2)]));
  return outPath;
};

const lav = (hex: string) => `0x${hex.replace('#', '')}`;

/**
 * A w×h picture of `base` with a `corner`-coloured block (a quarter of each side) in its stored
 * top-left corner: where the block lands shows how the picture was turned.
 */
export const cornerGraph = (w: number, h: number, base: string, corner: string, extra = '') =>
  `color=c=${lav(base)}:s=${w}x${h}:d=1,drawbox=x=0:y=0:w=${w / 4}:h=${h / 4}:c=${lav(corner)}:t=fill${extra}`;

export const cornerJpeg = async (dir: string, name: string, w: number, h: number, base: string, corner: string): Promise<string> => {
  const path = join(dir, name);
  await ffmpeg('-f', 'lavfi', '-i', cornerGraph(w, h, base, corner), '-frames:v', '1', '-q:v', '2', path);
  return path;
};

/**
 * An H.264 MP4 of the corner picture with a display matrix of `degrees` (ffmpeg's convention:
 * counter-clockwise, as a phone held the other way writes it). ffmpeg 5.1 writes the `rotate`
 * tag only when copying streams, so the video is encoded first and then copied with it.
 */
export const rotatedVideo = async (dir: string, name: string, w: number, h: number, base: string, corner: string, degrees: number): Promise<string> => {
  const plain = join(dir, `plain-${name}`);
  const path = join(dir, name);
  await ffmpeg('-f', 'lavfi', '-i', `${cornerGraph(w, h, base, corner)},format=yuv420p`, '-t', '1', '-r', '10',
    '-c:v', 'libx264', '-preset', 'ultrafast', plain);
  await ffmpeg('-i', plain, '-c', 'copy', '-metadata:s:v:0', `rotate=${degrees}`, path);
  return path;
};

/** A video stored w×h whose pixels are `sar` times wider than tall. */
export const anamorphicVideo = async (dir: string, name: string, w: number, h: number, sar: number, base: string, corner: string): Promise<string> => {
  const path = join(dir, name);
  await ffmpeg('-f', 'lavfi', '-i', `${cornerGraph(w, h, base, corner)},setsar=${sar},format=yuv420p`, '-t', '1', '-r', '10',
    '-c:v', 'libx264', '-preset', 'ultrafast', path);
  return path;
};

/** A 10-bit H.264 (High 10) video of one colour. */
export const tenBitVideo = async (dir: string, name: string, w: number, h: number, colour: string): Promise<string> => {
  const path = join(dir, name);
  await ffmpeg('-f', 'lavfi', '-i', `color=c=${lav(colour)}:s=${w}x${h}:r=10:d=1,format=yuv420p10le`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'high10', path);
  return path;
};

/**
 * A variable-frame-rate MKV, one colour per second, whose frames come at irregular instants
 * (a frame every 0.05 s, then 0.15 s, …): the frame grid must still pick colours by time.
 */
export const vfrVideo = async (dir: string, name: string, w: number, h: number, colours: readonly string[]): Promise<string> => {
  const path = join(dir, name);
  const src = colours.map((c, i) => `color=c=${lav(c)}:s=${w}x${h}:r=20:d=1[c${i}]`).join(';');
  // Keep frames 0,1,4,5,8,9… of a 20 fps stream: gaps of 0.05 s and 0.15 s alternate.
  const graph = `${src};${colours.map((_, i) => `[c${i}]`).join('')}concat=n=${colours.length}:v=1:a=0,select='lt(mod(n,4),2)',format=yuv420p[v]`;
  await ffmpeg('-filter_complex', graph, '-map', '[v]', '-fps_mode', 'vfr', '-c:v', 'libx264', '-preset', 'ultrafast', path);
  return path;
};

/** The video formats Montage keeps alpha from, each holding one second of `colour` at `alpha`. */
export const ALPHA_SOURCES = {
  'VP9 WebM': { file: 'alpha-vp9.webm', args: ['-c:v', 'libvpx-vp9', '-pix_fmt', 'yuva420p'] },
  'ProRes 4444': { file: 'alpha-prores.mov', args: ['-c:v', 'prores_ks', '-profile:v', '4', '-pix_fmt', 'yuva444p10le'] },
  'QuickTime RLE': { file: 'alpha-qtrle.mov', args: ['-c:v', 'qtrle', '-pix_fmt', 'argb'] },
  'PNG in MOV': { file: 'alpha-png.mov', args: ['-c:v', 'png', '-pix_fmt', 'rgba'] },
  'animated PNG': { file: 'alpha-anim.png', args: ['-f', 'apng', '-plays', '0'] },
} as const;

export const alphaVideo = async (dir: string, kind: keyof typeof ALPHA_SOURCES, w: number, h: number, colour: string, alpha: number): Promise<string> => {
  const { file, args } = ALPHA_SOURCES[kind];
  const path = join(dir, file);
  await ffmpeg('-f', 'lavfi', '-i', `color=c=${lav(colour)}@${alpha}:s=${w}x${h}:r=10:d=1,format=rgba`, ...args, path);
  return path;
};

/** A 10-bit H.264 tagged HDR10 (PQ transfer, BT.2020): one grey at `code` (0–1) of the PQ range. */
export const pqVideo = async (dir: string, name: string, w: number, h: number, code: number): Promise<string> => {
  const path = join(dir, name);
  const v = Math.round(code * 255).toString(16).padStart(2, '0');
  await ffmpeg('-f', 'lavfi', '-i', `color=c=0x${v}${v}${v}:s=${w}x${h}:r=10:d=1,format=yuv420p10le`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'high10',
    '-color_primaries', 'bt2020', '-color_trc', 'smpte2084', '-colorspace', 'bt2020nc', path);
  return path;
};

/**
 * An MP4 whose sound outlasts its picture, as a camera's or an editor's export can: `colours.length`
 * seconds of picture (one colour a second, 10 fps) and `soundSeconds` of a 440 Hz tone.
 */
export const shortPictureVideo = async (dir: string, name: string, w: number, h: number, colours: readonly string[], soundSeconds: number): Promise<string> => {
  const path = join(dir, name);
  const src = colours.map((c, i) => `color=c=${lav(c)}:s=${w}x${h}:r=10:d=1[c${i}]`).join(';');
  const graph = `${src};${colours.map((_, i) => `[c${i}]`).join('')}concat=n=${colours.length}:v=1:a=0,format=yuv420p[v];sine=f=440:r=48000:d=${soundSeconds}[a]`;
  await ffmpeg('-filter_complex', graph, '-map', '[v]', '-map', '[a]', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', path);
  return path;
};
