/**
 * Certificates for the mutual-TLS tests, made with the openssl CLI in a temp dir (nothing checked
 * in, nothing downloaded): a CA, a server certificate for 127.0.0.1/localhost signed by it, client
 * certificates signed by it (one per name asked for, one with a DNS SAN, one expired) and a client
 * certificate from another CA. Each is `{ cert, key }` as PEM buffers, ready for node:https.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyPair { readonly cert: Buffer; readonly key: Buffer }

export interface TestCertificates {
  readonly dir: string;
  /** Paths for MONTAGE_TLS_CERT, MONTAGE_TLS_KEY, MONTAGE_TLS_CLIENT_CA. */
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  readonly caFile: string;
  readonly ca: Buffer;
  /** A client certificate signed by the CA, subject CN = `cn`, with optional DNS SANs. */
  client(cn: string, opts?: { readonly dns?: readonly string[]; readonly expired?: boolean; readonly otherCa?: boolean }): KeyPair;
  remove(): void;
}

export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'montage-tls-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const newKey = (name: string) => ssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`);
  const ca = (name: string, cn: string) => {
    newKey(name);
    ssl('req', '-x509', '-new', '-key', `${name}.key`, '-out', `${name}.pem`, '-subj', `/CN=${cn}`, '-days', '2',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  };
  let n = 0;
  const issue = (name: string, issuer: string, cn: string, ext: string, days: number) => {
    newKey(name);
    ssl('req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    writeFileSync(join(dir, `${name}.ext`), ext);
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.pem`, '-CAkey', `${issuer}.key`, '-set_serial', String(1000 + n++),
      '-out', `${name}.pem`, '-days', String(days), '-extfile', `${name}.ext`);
    return { cert: readFileSync(join(dir, `${name}.pem`)), key: readFileSync(join(dir, `${name}.key`)) };
  };
  ca('ca', 'Montage Test CA');
  ca('other-ca', 'Someone Else CA');
  issue('server', 'ca', 'localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n', 2);
  return {
    dir, serverCertFile: join(dir, 'server.pem'), serverKeyFile: join(dir, 'server.key'), caFile: join(dir, 'ca.pem'),
    ca: readFileSync(join(dir, 'ca.pem')),
    client(cn, o = {}) {
      const san = o.dns?.length ? `subjectAltName=${o.dns.map((d) => `DNS:${d}`).join(',')}\n` : '';
      // Negative days: notAfter lies in the past, an expired certificate.
      return issue(`client-${n}`, o.otherCa ? 'other-ca' : 'ca', cn, `${san}extendedKeyUsage=clientAuth\n`, o.expired ? -1 : 2);
    },
    remove() { rmSync(dir, { recursive: true, force: true }); },
  };
}

export interface HttpsAnswer { readonly status: number; readonly body: string }

/** One HTTPS request trusting `ca`, presenting `client` if given; rejects with the TLS error when the handshake is refused. */
export function httpsRequest(url: string, o: { readonly ca: Buffer; readonly client?: KeyPair; readonly method?: string; readonly headers?: Record<string, string>; readonly body?: string }): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: o.method ?? 'GET', ca: o.ca, ...(o.client ? { cert: o.client.cert, key: o.client.key } : {}),
      headers: { ...(o.body ? { 'content-type': 'application/json' } : {}), ...o.headers }, agent: false,
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(o.body);
  });
}
