import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress, LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Duplex } from 'node:stream';
import { MontageError } from '../errors/registry.ts';
import { forbiddenReason } from './address-guard.ts';
import type { AllowList } from './allow-list.ts';

/** One resolved address of a host name. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/**
 * Turns a host name into every address it has. Injectable so tests (and a future DNS cache) can
 * decide what a name resolves to without touching the system resolver.
 */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** The operating system's resolver (getaddrinfo, so /etc/hosts counts), every address. */
export const systemResolver: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

export interface GuardOptions {
  /** Destinations the operator trusts: they skip the public-address rule and may use http. */
  readonly allowList: AllowList;
  /** Defaults to {@link systemResolver}. */
  readonly resolve?: Resolver;
}

/** A pair of agents that refuse forbidden destinations; use them for every outbound request. */
export interface GuardedAgents {
  readonly http: http.Agent;
  readonly https: https.Agent;
}

type Protocol = 'http:' | 'https:';
type ConnectCallback = (err: Error | null, stream: Duplex) => void;
type Open = (options: http.ClientRequestArgs, callback?: ConnectCallback) => Duplex | null | undefined;

/**
 * Creates agents whose every connection is checked at connect time.
 *
 * Why at connect time and not by resolving the URL up front: a name can resolve to a public
 * address when checked and to 127.0.0.1 a moment later (DNS rebinding). Here the agent hands
 * `net.connect` a `lookup` that resolves the name once, checks every address, and returns exactly
 * the checked addresses, so the address connected to is always one that passed. IP-literal hosts
 * never reach `lookup` (net skips it), so they are checked before `net.connect` is called at all.
 * https goes through the same path: `https.Agent` builds its TLS socket on `net.connect` with the
 * same options, and the certificate is still verified against the URL's host name.
 */
export function createGuardedAgents(options: GuardOptions): GuardedAgents {
  const resolve = options.resolve ?? systemResolver;
  const guard = (protocol: Protocol, args: http.ClientRequestArgs, callback: ConnectCallback | undefined, open: Open) =>
    guardedConnect(protocol, options.allowList, resolve, args, callback, open);

  class GuardedHttpAgent extends http.Agent {
    override createConnection(args: http.ClientRequestArgs, callback?: ConnectCallback) {
      return guard('http:', args, callback, (a, cb) => super.createConnection(a, cb));
    }
  }
  class GuardedHttpsAgent extends https.Agent {
    override createConnection(args: https.RequestOptions, callback?: ConnectCallback) {
      return guard('https:', args, callback, (a, cb) => super.createConnection(a, cb));
    }
  }
  return { http: new GuardedHttpAgent(), https: new GuardedHttpsAgent() };
}

function guardedConnect(
  protocol: Protocol,
  allowList: AllowList,
  resolve: Resolver,
  args: http.ClientRequestArgs,
  callback: ConnectCallback | undefined,
  open: Open,
): Duplex | null | undefined {
  // http.request strips the brackets of an IPv6 literal before it reaches the agent.
  const host = String(args.host ?? args.hostname ?? '');
  const port = Number(args.port ?? (protocol === 'https:' ? 443 : 80));

  if (isIP(host) !== 0) {
    const refusal = destinationRefusal(protocol, allowList, host, host, port);
    if (refusal) {
      if (!callback) throw refusal;
      // The agent accepts a socket or an error through the callback; no socket is ever created.
      callback(refusal, undefined as never);
      return undefined;
    }
    return open(args, callback);
  }

  const lookup: LookupFunction = (hostname, lookupOptions, done) => {
    resolveChecked(protocol, allowList, resolve, hostname, port, lookupOptions).then(
      (addresses) => {
        if (lookupOptions.all) done(null, addresses as LookupAddress[]);
        else done(null, addresses[0].address, addresses[0].family);
      },
      (err: Error) => done(err, '', 0),
    );
  };
  return open({ ...args, lookup } as http.ClientRequestArgs, callback);
}

async function resolveChecked(
  protocol: Protocol,
  allowList: AllowList,
  resolve: Resolver,
  hostname: string,
  port: number,
  lookupOptions: LookupOptions,
): Promise<ResolvedAddress[]> {
  // RFC 6761: "localhost" and "*.localhost" always mean this machine, whatever DNS says (or fails
  // to say, as for "localhost." on some resolvers).
  if (/(^|\.)localhost\.?$/i.test(hostname) && !allowList.allowsHost(hostname, port)) {
    throw new MontageError(
      'MONTAGE_E_FETCH_FORBIDDEN',
      `Refused to connect: ${hostname} names this machine, and only public addresses may be reached unless the operator adds ${hostname} to MONTAGE_ALLOW_HOSTS.`,
    );
  }
  let resolved: readonly ResolvedAddress[];
  try {
    resolved = await resolve(hostname);
  } catch (cause) {
    throw new MontageError('MONTAGE_E_FETCH_FAILED', `The host name "${hostname}" could not be resolved.`, { cause });
  }
  // Every address is checked, not just the one that will be used first: happy-eyeballs may
  // fall back to any of them.
  for (const { address } of resolved) {
    const refusal = destinationRefusal(protocol, allowList, hostname, address, port);
    if (refusal) throw refusal;
  }
  const family = lookupOptions.family === 4 || lookupOptions.family === 6 ? lookupOptions.family : 0;
  const usable = resolved.filter((a) => family === 0 || a.family === family);
  if (usable.length === 0) {
    throw new MontageError('MONTAGE_E_FETCH_FAILED', `The host name "${hostname}" has no usable address.`);
  }
  return usable.map((a) => ({ address: a.address, family: a.family }));
}

/**
 * Why connecting to `address` (reached through the URL host `hostname`) is refused, as a
 * MONTAGE_E_FETCH_FORBIDDEN error, or null when it is allowed.
 */
export function destinationRefusal(
  protocol: Protocol,
  allowList: AllowList,
  hostname: string,
  address: string,
  port: number,
): MontageError | null {
  if (allowList.allowsHost(hostname, port) || allowList.allowsAddress(address, port)) return null;
  const shown = isIP(hostname) === 6 ? `[${hostname}]` : hostname;
  if (protocol === 'http:') {
    return new MontageError(
      'MONTAGE_E_FETCH_FORBIDDEN',
      `Refused http://${shown}:${port}: plain http is only allowed for hosts on the allow list (MONTAGE_ALLOW_HOSTS). Use https, or have the operator add ${shown} to MONTAGE_ALLOW_HOSTS.`,
    );
  }
  const reason = forbiddenReason(address);
  if (reason === null) return null;
  const where = hostname === address ? `${shown} is` : `${shown} resolves to ${address}, which is`;
  return new MontageError(
    'MONTAGE_E_FETCH_FORBIDDEN',
    `Refused to connect: ${where} not a public address: ${reason}. Only public addresses may be reached unless the operator adds ${shown} to MONTAGE_ALLOW_HOSTS.`,
  );
}
