/** The RMS level of each channel of a rendered file's sound over a window (dBFS), and its loudness. */
import { ffmpeg, ffmpegLog } from './ffmpeg-tools.ts';

export const channelRmsDb = async (path: string, start: number, end: number): Promise<[number, number]> => {
  const b = Buffer.from(await ffmpeg('-i', path, '-map', '0:a:0', '-f', 'f32le', '-ac', '2', '-ar', '48000', '-'));
  const s = new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  const sums = [0, 0];
  const [i0, i1] = [Math.round(start * 48000), Math.min(s.length / 2, Math.round(end * 48000))];
  for (let i = i0; i < i1; i++) { sums[0] += s[2 * i] ** 2; sums[1] += s[2 * i + 1] ** 2; }
  const db = (x: number) => 10 * Math.log10(Math.max(1e-20, x / Math.max(1, i1 - i0)));
  return [db(sums[0]), db(sums[1])];
};

/** Integrated loudness (LUFS) and true peak (dBTP) by ffmpeg's EBU R128 meter. */
export const loudness = async (path: string): Promise<{ integrated: number; truePeak: number }> => {
  const log = await ffmpegLog('-nostats', '-i', path, '-map', '0:a:0', '-af', 'ebur128=peak=true', '-f', 'null', '-');
  const summary = log.slice(log.lastIndexOf('Summary:'));
  const integrated = Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)?.[1]);
  const truePeak = Number(/Peak:\s+(-?[\d.]+|-inf) dBFS/.exec(summary.slice(summary.indexOf('True peak')))?.[1]);
  return { integrated, truePeak };
};
