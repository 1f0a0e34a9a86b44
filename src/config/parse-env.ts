/**
 * Parsers for environment values. Each returns the parsed value, or an `Invalid` saying what was
 * expected (load-config collects those into one error).
 */

export class Invalid {
  constructor(readonly expected: string) {}
}

export function parseInteger(s: string, min: number, max: number): number | Invalid {
  if (!/^-?\d+$/.test(s)) return new Invalid(`expected a whole number from ${min} to ${max}`);
  const n = Number(s);
  return n >= min && n <= max ? n : new Invalid(`expected a whole number from ${min} to ${max}`);
}

export function parseNumber(s: string, min: number, max: number): number | Invalid {
  const n = /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
  return n >= min && n <= max ? n : new Invalid(`expected a number from ${min} to ${max}`);
}

const BYTE_UNITS: Readonly<Record<string, number>> = {
  '': 1, b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4,
};

/** Bytes: `1048576`, `512KiB`, `1MiB`, `2GiB`, `1.5GB` (case-insensitive). */
export function parseBytes(s: string, min: number, max: number): number | Invalid {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(s);
  const unit = m ? BYTE_UNITS[m[2]!.toLowerCase()] : undefined;
  const expected = new Invalid(`expected a size in bytes such as 1048576, 512KiB or 2GiB, from ${min} to ${max} bytes`);
  if (!m || unit === undefined) return expected;
  const n = Math.round(Number(m[1]) * unit);
  return n >= min && n <= max ? n : expected;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { '': 1000, s: 1000, ms: 1, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration into ms: plain numbers are seconds (`30`), or with a unit: `500ms`, `30s`, `2m`. */
export function parseDurationMs(s: string, minMs: number, maxMs: number): number | Invalid {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(s);
  const unit = m ? DURATION_UNITS[m[2]!.toLowerCase()] : undefined;
  const expected = new Invalid(`expected seconds (30) or a duration such as 500ms, 30s, 2m, from ${minMs} ms to ${maxMs} ms`);
  if (!m || unit === undefined) return expected;
  const n = Math.round(Number(m[1]) * unit);
  return n >= minMs && n <= maxMs ? n : expected;
}

export function parseBoolean(s: string): boolean | Invalid {
  const v = s.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return new Invalid('expected true or false');
}

/** A URL with one of `schemes` (`'https:'`), returned as written. */
export function parseUrl(s: string, schemes: readonly string[]): string | Invalid {
  try {
    const u = new URL(s);
    if (schemes.includes(u.protocol) && u.host !== '') return s;
  } catch { /* reported below */ }
  return new Invalid(`expected a URL starting with ${schemes.map((x) => `${x}//`).join(' or ')}`);
}
