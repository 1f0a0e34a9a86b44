/**
 * How long a shared cache may reuse a response without asking the origin again, from its
 * `Cache-Control` and `Expires` headers (RFC 9111 §4.2.1, the parts a cache that never revalidates
 * needs). Montage's fetch cache is shared by every tenant, so `private` counts like `no-store`;
 * and since it does not send conditional requests, `no-cache` (reuse only after revalidating) and
 * an already-expired response are not worth storing either.
 */

/** `'no-store'`: do not keep it. A number: reusable until then (ms since the epoch). `null`: no expiry given, reusable until evicted. */
export type Freshness = 'no-store' | number | null;

export function responseFreshness(headers: { readonly cacheControl: string | null; readonly expires: string | null }, now: number): Freshness {
  const directives = parseCacheControl(headers.cacheControl);
  if (directives.has('no-store') || directives.has('private') || directives.has('no-cache')) return 'no-store';
  // s-maxage is for shared caches, which this is; it wins over max-age, which wins over Expires.
  for (const name of ['s-maxage', 'max-age']) {
    const value = directives.get(name);
    if (value === undefined) continue;
    const seconds = /^\d+$/.test(value) ? Number(value) : 0; // an invalid value means stale (§4.2.1)
    return seconds > 0 ? now + seconds * 1000 : 'no-store';
  }
  if (headers.expires !== null) {
    const at = Date.parse(headers.expires); // an invalid date such as "0" means already expired (§5.3)
    return Number.isFinite(at) && at > now ? at : 'no-store';
  }
  return null;
}

/** Directive names lowercased, values unquoted ('' for a bare directive). */
export function parseCacheControl(header: string | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(',')) {
    const m = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^,\s]*))?\s*$/.exec(part);
    if (!m) continue;
    const name = m[1]!.toLowerCase();
    if (!out.has(name)) out.set(name, (m[2] ?? '').replace(/^"(.*)"$/, '$1'));
  }
  return out;
}
