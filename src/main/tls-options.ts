/**
 * Reads the PEM files of MONTAGE_TLS_* into the HTTP layer's HTTPS options, at start-up: a file
 * that cannot be read stops start-up naming its variable.
 */
import { readFileSync } from 'node:fs';
import type { TlsConfig } from '../config/load-config.ts';
import { MontageError } from '../errors/registry.ts';
import type { ClientCertificates, HttpsOptions } from '../http/client-certificate.ts';

export function readTlsOptions(tls: TlsConfig | null): { readonly https?: HttpsOptions; readonly clientCertificates?: ClientCertificates } {
  if (!tls) return {};
  const problems: { pointer: string; detail: string }[] = [];
  const read = (name: string, path: string): Buffer => {
    try { return readFileSync(path); } catch (e) {
      problems.push({ pointer: `/${name}`, detail: `${name}=${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; expected a readable PEM file` });
      return Buffer.alloc(0);
    }
  };
  const cert = read('MONTAGE_TLS_CERT', tls.certFile);
  const key = read('MONTAGE_TLS_KEY', tls.keyFile);
  const ca = tls.clientCaFile === null ? undefined : read('MONTAGE_TLS_CLIENT_CA', tls.clientCaFile);
  if (problems.length > 0) {
    throw new MontageError('MONTAGE_E_CONFIG_INVALID', `Invalid configuration:\n${problems.map((p) => `  - ${p.detail}`).join('\n')}`, { problems });
  }
  // With a client CA, a connection without a certificate it signed (or with an expired one) is
  // refused in the handshake: no request of it is ever read.
  return {
    https: { cert, key, ...(ca ? { ca } : {}), requestCert: ca !== undefined, rejectUnauthorized: ca !== undefined },
    ...(ca ? { clientCertificates: { tenants: tls.clientTenants } } : {}),
  };
}
