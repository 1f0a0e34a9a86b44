/**
 * The destination rules of createGuardedAgents, applied to a URL before anything is fetched, so a
 * request can be refused at submit (and by `validate`) with a pointer instead of failing minutes
 * later in a worker or a webhook outbox. Same rules, same sentences: the scheme, plain http only
 * for allowed hosts, public addresses only; plus a cheap name lookup, because a name that does not
 * exist will not exist when the worker tries either.
 *
 * This is advice, not the guard: a name may resolve differently at connect time (DNS rebinding),
 * so the connect-time check in guarded-agents.ts still decides every real connection.
 */
import { isIP } from 'node:net';
import { isMontageError, type ErrorCode } from '../errors/registry.ts';
import type { AllowList } from './allow-list.ts';
import { parseFetchableUrl } from './fetchable-url.ts';
import { destinationRefusal, systemResolver, type ResolvedAddress, type Resolver } from './guarded-agents.ts';

/** Why a URL cannot be reached, with the code the fetch itself would fail with. */
export interface DestinationProblem {
  readonly code: Extract<ErrorCode, 'MONTAGE_E_FETCH_FORBIDDEN' | 'MONTAGE_E_FETCH_FAILED'>;
  /** A sentence (or two) that names the way out. */
  readonly detail: string;
}

export type CheckDestination = (url: string) => Promise<DestinationProblem | null>;

export interface DestinationCheckOptions {
  readonly allowList: AllowList;
  /** Defaults to the system resolver; tests pin what names resolve to. */
  readonly resolve?: Resolver;
  /** A lookup slower than this is not waited for: the URL passes and the worker decides. Default 2 s. */
  readonly lookupTimeoutMs?: number;
}

/** DNS answers that mean the name does not exist, as opposed to a resolver that is slow or away. */
const NO_SUCH_NAME = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NONAME', 'EAI_NODATA']);

export function createDestinationCheck(o: DestinationCheckOptions): CheckDestination {
  const resolve = o.resolve ?? systemResolver;
  const timeoutMs = o.lookupTimeoutMs ?? 2_000;

  return async (text) => {
    let url: URL;
    try {
      url = parseFetchableUrl(text);
    } catch (e) {
      return { code: 'MONTAGE_E_FETCH_FORBIDDEN', detail: isMontageError(e) ? e.message : String(e) };
    }
    const protocol = url.protocol as 'http:' | 'https:';
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(url.port || (protocol === 'https:' ? 443 : 80));
    const refusal = (address: string) => {
      const r = destinationRefusal(protocol, o.allowList, host, address, port);
      return r ? { code: 'MONTAGE_E_FETCH_FORBIDDEN' as const, detail: r.message } : null;
    };
    if (isIP(host) !== 0) return refusal(host);
    if (/(^|\.)localhost\.?$/i.test(host) && !o.allowList.allowsHost(host, port)) {
      return {
        code: 'MONTAGE_E_FETCH_FORBIDDEN',
        detail: `Refused to connect: ${host} names this machine, and only public addresses may be reached unless the operator adds ${host} to MONTAGE_ALLOW_HOSTS.`,
      };
    }
    const looked = await lookUp(resolve, host, timeoutMs);
    // Plain http to a name off the list is refused whatever it resolves to; say that first.
    if (looked.kind === 'missing' && protocol === 'http:' && !o.allowList.allowsHost(host, port)) return refusal('');
    if (looked.kind === 'missing') {
      return { code: 'MONTAGE_E_FETCH_FAILED', detail: `The host name "${host}" does not resolve. Check the spelling of the URL.` };
    }
    // The resolver is slow or away: the URL passes, and the worker's own connect decides.
    if (looked.kind === 'unknown') return null;
    for (const a of looked.addresses) {
      const r = refusal(a.address);
      if (r) return r;
    }
    return null;
  };
}

type LookUp = { kind: 'found'; addresses: readonly ResolvedAddress[] } | { kind: 'missing' } | { kind: 'unknown' };

async function lookUp(resolve: Resolver, host: string, timeoutMs: number): Promise<LookUp> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<LookUp>((done) => { timer = setTimeout(() => done({ kind: 'unknown' }), timeoutMs); });
  const asked = resolve(host).then(
    (addresses): LookUp => (addresses.length === 0 ? { kind: 'missing' } : { kind: 'found', addresses }),
    (e: NodeJS.ErrnoException): LookUp => (NO_SUCH_NAME.has(String(e?.code)) ? { kind: 'missing' } : { kind: 'unknown' }),
  );
  try {
    return await Promise.race([asked, late]);
  } finally {
    clearTimeout(timer);
  }
}
