/**
 * The secret that signs the Shotstack-compatible API's output links (src/shotstack/signed-output-links.ts):
 * MONTAGE_URL_SECRET when set; otherwise `montage serve` makes a random one on first start and
 * keeps it in the data dir (mode 0600), so links it handed out keep working across restarts.
 * `api` and `worker` never make one: each would make its own, and a link signed by the worker (a
 * callback) would not verify on the api.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Config } from '../config/load-config.ts';

export function embeddedUrlSecret(config: Pick<Config, 'urlSecret' | 'paths'>): string {
  if (config.urlSecret) return config.urlSecret;
  const path = config.paths.urlSecret;
  try {
    const kept = readFileSync(path, 'utf8').trim();
    if (kept.length >= 32) return kept;
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') throw e;
  }
  mkdirSync(dirname(path), { recursive: true });
  const made = randomBytes(32).toString('hex');
  writeFileSync(path, `${made}\n`, { mode: 0o600 });
  return made;
}
