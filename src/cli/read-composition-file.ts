/** Reads a composition file and the `--merge K=V` pairs given with it. */
import { readFile } from 'node:fs/promises';
import { MontageError } from '../errors/registry.ts';

export const readCompositionFile = async (path: string): Promise<unknown> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new MontageError('MONTAGE_E_INVALID_REQUEST', `Cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new MontageError('MONTAGE_E_INVALID_JSON', `${path} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
};

/** `--merge name=World --merge seconds=5` → {name: "World", seconds: "5"}; the validator types them. */
export const parseMergeFlags = (pairs: readonly string[]): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) {
      throw new MontageError('MONTAGE_E_INVALID_REQUEST', `--merge ${p}: expected NAME=VALUE, e.g. --merge title="Hello"`);
    }
    out[p.slice(0, i).trim()] = p.slice(i + 1);
  }
  return out;
};
