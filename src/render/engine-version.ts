/** The engine's version (package.json's), read once: it keys cached pieces with the ffmpeg version. */
import { readFileSync } from 'node:fs';

export const ENGINE_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
