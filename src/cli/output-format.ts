/**
 * Which format `montage render -o FILE` writes. The composition's `output.format` wins when it
 * sets one; when it does not, a known extension of `-o` chooses (`-o preview.gif` writes a GIF);
 * a composition that pins one format and an `-o` that names another is refused, naming both,
 * rather than writing an MP4 called `.gif`. An unknown extension (or none) keeps the format.
 */
import { extname } from 'node:path';
import { MontageError } from '../errors/registry.ts';

const FORMAT_OF_EXTENSION: Readonly<Record<string, string>> = {
  mp4: 'mp4', m4v: 'mp4', webm: 'webm', mov: 'mov', gif: 'gif', mp3: 'mp3', wav: 'wav', png: 'png', jpg: 'jpg', jpeg: 'jpg',
};

export const formatOfPath = (path: string): string | undefined => FORMAT_OF_EXTENSION[extname(path).slice(1).toLowerCase()];

/** The raw composition with the format `-o` implies, or as it is; throws on a contradiction. */
export function applyOutputExtension(raw: unknown, outputPath: string | undefined): unknown {
  if (outputPath === undefined) return raw;
  const wanted = formatOfPath(outputPath);
  if (wanted === undefined || raw === null || typeof raw !== 'object') return raw;
  const output = (raw as { output?: unknown }).output;
  const pinned = output !== null && typeof output === 'object' ? (output as { format?: unknown }).format : undefined;
  if (pinned === undefined) {
    return { ...raw, output: { ...(output !== null && typeof output === 'object' ? output : {}), format: wanted } };
  }
  if (pinned === wanted || typeof pinned !== 'string') return raw;
  const name = outputPath.split(/[\\/]/).pop();
  throw new MontageError('MONTAGE_E_INVALID_REQUEST',
    `The composition's output.format is "${pinned}", but -o ${name} names a ${wanted} file.`,
    { problems: [{ pointer: '/output/format', detail: `Is "${pinned}" while -o names a ${wanted} file. Give -o a .${pinned} name, or set output.format to "${wanted}".` }] });
}
