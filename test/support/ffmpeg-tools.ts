/**
 * ffmpeg and ffprobe for tests: the same binaries the engine uses (MONTAGE_FFMPEG / MONTAGE_FFPROBE,
 * else the ones on PATH), run without a shell, their output returned as a Buffer.
 */
import { execFile } from 'node:child_process';

export const FFMPEG = process.env.MONTAGE_FFMPEG || 'ffmpeg';
export const FFPROBE = process.env.MONTAGE_FFPROBE || 'ffprobe';

const run = (bin: string, args: readonly string[]): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    execFile(bin, args, { encoding: 'buffer', maxBuffer: 1 << 28 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${bin} ${args.join(' ')} failed: ${String(stderr).trim().split('\n').slice(-4).join('\n')}`));
      else resolve(stdout);
    });
  });

/** `ffmpeg -hide_banner -v error -y ARGS`; stdout is returned (for `-f rawvideo -` and the like). */
export const ffmpeg = (...args: string[]): Promise<Buffer> => run(FFMPEG, ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args]);

/** ffmpeg's log (stderr) at `info` level, for filters that report there (volumedetect, showinfo). */
export const ffmpegLog = (...args: string[]): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile(FFMPEG, ['-hide_banner', '-nostdin', '-y', ...args], { maxBuffer: 1 << 26 }, (err, _out, stderr) => {
      if (err) reject(new Error(`ffmpeg ${args.join(' ')} failed: ${stderr.trim().split('\n').slice(-4).join('\n')}`));
      else resolve(stderr);
    });
  });

export const ffprobe = (...args: string[]): Promise<Buffer> => run(FFPROBE, ['-v', 'error', ...args]);
