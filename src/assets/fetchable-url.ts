import { MontageError } from '../errors/registry.ts';

/**
 * Parses a URL a worker was asked to fetch (or a redirect's `Location`, relative to `base`) and
 * refuses schemes that are not web requests. Whether http is allowed for the host, and whether
 * the host's addresses are, is decided when connecting (see createGuardedAgents), because only
 * then is the address known.
 */
export function parseFetchableUrl(input: string | URL, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(input, base);
  } catch {
    throw new MontageError('MONTAGE_E_FETCH_FORBIDDEN', `"${String(input)}" is not an absolute URL, so it cannot be fetched.`);
  }
  if (url.protocol === 'https:' || url.protocol === 'http:') return url;
  const scheme = url.protocol;
  const why =
    scheme === 'file:'
      ? 'it would read the worker\'s own disk'
      : scheme === 'data:' || scheme === 'blob:' || scheme === 'javascript:'
        ? 'it carries no network address to download from'
        : 'it is not a web request, and the address checks only cover http(s)';
  throw new MontageError(
    'MONTAGE_E_FETCH_FORBIDDEN',
    `Refused to fetch a ${scheme} URL: ${why}. Only https: URLs (and http: for hosts on the allow list) may be fetched.`,
  );
}

/** Scheme, host and path only: query strings often carry signatures that must not reach logs. */
export function describeUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}
