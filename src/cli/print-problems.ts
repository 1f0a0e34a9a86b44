/** How the CLI shows a MontageError: the message, then one line per field problem. */
import { isMontageError } from '../errors/registry.ts';

export const describeError = (e: unknown): string => {
  if (!isMontageError(e)) return `Error: ${e instanceof Error ? e.message : String(e)}`;
  const lines = [`${e.message} [${e.code}]`];
  // The configuration's message lists every bad variable already ("Invalid configuration:\n  - …"): not twice.
  if (e.code !== 'MONTAGE_E_CONFIG_INVALID') for (const p of e.problems) lines.push(`  ${p.pointer || '/'}: ${p.detail}`);
  // The composition's sentences are the API's too; the command-line way out is added here only.
  if (e.code === 'MONTAGE_E_MISSING_PLACEHOLDER') lines.push('Give the missing values in the composition\'s merge, or with --merge NAME=VALUE.');
  return lines.join('\n');
};

export const errorJson = (e: unknown) => isMontageError(e)
  ? { type: 'error', code: e.code, message: e.message, problems: e.problems }
  : { type: 'error', code: 'MONTAGE_E_INTERNAL', message: e instanceof Error ? e.message : String(e), problems: [] };
