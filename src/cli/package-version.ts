/** Montage's version, from the package.json two folders up (the same from src/ and from dist/). */
import { readFileSync } from 'node:fs';

export const packageVersion = (): string =>
  (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
