/**
 * One credential per request. With two `Authorization` headers Node keeps the first and drops the
 * others without a word (two `x-api-key` headers it joins with ", "), so a request carrying two
 * credentials (a client library and a proxy each adding one, say) was authenticated as whichever
 * came first. It is refused instead, before any credential is looked at, on every route: 400
 * MONTAGE_E_INVALID_REQUEST naming the header and the fix. So is one header holding a list
 * (`Bearer a, Bearer b`, as a proxy that joins repeated headers makes it): no API key or token has
 * a comma in it. And so is a request with both an `Authorization: Bearer` and an `x-api-key` that
 * differ: the Shotstack-compatible routes read x-api-key first, so the other was ignored silently.
 * The same key in both (a client that sends it both ways) is one credential, and passes.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MontageError } from '../errors/registry.ts';

/** The headers a credential is read from, as written in messages. */
const CREDENTIAL_HEADERS: Readonly<Record<string, string>> = { authorization: 'Authorization', 'x-api-key': 'x-api-key' };

export function refuseRepeatedCredentials(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    const problem = repeatedCredential(req);
    if (problem) {
      throw new MontageError('MONTAGE_E_INVALID_REQUEST', problem.detail, { problems: [{ pointer: problem.pointer, detail: problem.detail }] });
    }
  });
}

function repeatedCredential(req: FastifyRequest): { pointer: string; detail: string } | null {
  const raw = req.raw.rawHeaders;
  const counts = new Map<string, number>();
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (name in CREDENTIAL_HEADERS) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  for (const [name, label] of Object.entries(CREDENTIAL_HEADERS)) {
    const n = counts.get(name) ?? 0;
    const value = req.headers[name];
    // Bearer credentials and API keys have no comma; other schemes' parameters do (and are refused as unknown).
    const listed = n === 1 && typeof value === 'string' && value.includes(',') && (name !== 'authorization' || /^\s*bearer\s/i.test(value));
    if (n < 2 && !listed) continue;
    const what = listed ? `The ${label} header holds a list of credentials` : `The ${label} header was sent ${n} times`;
    return {
      pointer: `/${name}`,
      detail: `${what}; a request carries one credential, and Montage will not pick one. `
        + `Send one ${label === 'Authorization' ? 'Authorization: Bearer <API key or access token>' : 'x-api-key: <API key>'} header `
        + '(look for a client library or proxy that adds its own).',
    };
  }
  const key = req.headers['x-api-key'];
  const bearer = typeof req.headers.authorization === 'string' ? /^\s*bearer\s+(\S+)\s*$/i.exec(req.headers.authorization)?.[1] : undefined;
  if (typeof key === 'string' && key.trim() && bearer !== undefined && bearer !== key.trim()) {
    const detail = 'The Authorization and x-api-key headers carry two different credentials; a request carries one, and Montage will not pick one. '
      + 'Send the key in one of them (look for a client library or proxy that adds its own).';
    return { pointer: '/x-api-key', detail };
  }
  return null;
}
