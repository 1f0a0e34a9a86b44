/**
 * Mutual TLS: the tenant a verified client certificate names. With MONTAGE_TLS_CLIENT_CA the TLS
 * handshake has already refused any connection without a certificate signed by that CA (or with an
 * expired one), so a request that reaches here carries a verified certificate. Its tenant is the
 * first of its subject CN and DNS SANs that MONTAGE_TLS_CLIENT_TENANTS maps, else the CN itself.
 */
import type { TLSSocket } from 'node:tls';
import type { FastifyRequest } from 'fastify';

/** Fastify's `https` server options for HTTPS, with client certificates required when `ca` is set. */
export interface HttpsOptions {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly ca?: Buffer;
  readonly requestCert: boolean;
  readonly rejectUnauthorized: boolean;
}

export interface ClientCertificates {
  /** Certificate name (subject CN or DNS SAN) → tenant name. */
  readonly tenants: Readonly<Record<string, string>>;
}

export interface CertificateIdentity {
  /** The name that decided the tenant (CN or DNS SAN), logged and used as the rate-limit bucket. */
  readonly name: string;
  /** A tenant name (not yet checked for shape). */
  readonly tenantName: string;
}

/** The identity of the request's verified client certificate, or null when it has none. */
export function certificateIdentity(req: FastifyRequest, certs: ClientCertificates): CertificateIdentity | null {
  const socket = req.raw.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== 'function' || socket.authorized !== true) return null;
  const peer = socket.getPeerCertificate();
  if (!peer || Object.keys(peer).length === 0) return null;
  const cnRaw = (peer.subject as { CN?: string | string[] } | undefined)?.CN;
  const cn = Array.isArray(cnRaw) ? cnRaw[0] : cnRaw;
  const dns = (peer.subjectaltname ?? '').split(/,\s*/).filter((x) => x.startsWith('DNS:')).map((x) => x.slice(4));
  for (const name of [cn, ...dns]) {
    if (name !== undefined && Object.hasOwn(certs.tenants, name)) return { name, tenantName: certs.tenants[name]! };
  }
  return cn ? { name: cn, tenantName: cn } : null;
}
