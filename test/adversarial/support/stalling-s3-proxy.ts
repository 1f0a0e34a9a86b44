/**
 * Test support: an HTTP proxy in front of the cluster's S3 (s3rver) that stalls uploads of render
 * outputs: the first PUT of each key under `renders/` sends its headers and the first half of its
 * body on to S3 at once, the rest `holdMs` later. A worker killed in between dies with its upload
 * open on the wire, as with a slow link to real S3; S3 then sees the request cut off and stores
 * nothing. Every other request passes straight through. `inFlight` (path → bytes passed on) is the
 * chaos test's observation point.
 */
import { createServer, request, type ClientRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StallingS3Proxy {
  /** `http://127.0.0.1:PORT`: the S3_ENDPOINT to give the workers. */
  readonly endpoint: string;
  readonly inFlight: ReadonlyMap<string, number>;
  /** Output PUTs seen, by path. */
  readonly puts: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

export async function startStallingS3Proxy(target: string, holdMs: number): Promise<StallingS3Proxy> {
  const upstream = new URL(target);
  const inFlight = new Map<string, number>();
  const puts = new Map<string, number>();
  const open = new Set<ClientRequest>();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    open.add(out);
    out.on('close', () => open.delete(out));
    out.on('error', () => res.destroy());
    // The worker died before S3 answered: S3 sees the request cut off too.
    res.on('close', () => { if (!res.writableEnded) out.destroy(); });
    const stall = req.method === 'PUT' && path.includes('/renders/') && !(puts.get(path) ?? 0);
    if (req.method === 'PUT' && path.includes('/renders/')) puts.set(path, (puts.get(path) ?? 0) + 1);
    if (!stall) { req.pipe(out); return; }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const half = Math.floor(body.length / 2);
      out.write(body.subarray(0, half), () => inFlight.set(path, half));
      const timer = setTimeout(() => { inFlight.delete(path); out.end(body.subarray(half)); }, holdMs);
      out.on('close', () => { clearTimeout(timer); inFlight.delete(path); });
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`, inFlight, puts,
    close: () => new Promise<void>((ok) => {
      for (const r of open) r.destroy();
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}
