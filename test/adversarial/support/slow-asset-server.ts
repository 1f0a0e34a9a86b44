/**
 * Test support: an HTTP server on a loopback port that serves one file at any path, slowly the
 * first time a path is asked for: the headers (with the full Content-Length) and the first half of
 * the body go out at once, the rest `holdMs` later. A worker killed in between dies mid-download;
 * the path's next request (the render's retry) is served at full speed. `inFlight` says which
 * paths are being held right now, and how many bytes of each went out: the chaos test's
 * observation point.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlowAssetServer {
  /** `127.0.0.1:PORT`, for MONTAGE_ALLOW_HOSTS. */
  readonly hostPort: string;
  /** `http://127.0.0.1:PORT/<path>` */
  urlOf(path: string): string;
  /** Bytes sent so far of the held responses, by path (e.g. `/a/3.png`). */
  readonly inFlight: ReadonlyMap<string, number>;
  /** Requests answered (or begun) per path. */
  readonly requests: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

export async function startSlowAssetServer(body: Buffer, contentType: string, holdMs: number): Promise<SlowAssetServer> {
  const inFlight = new Map<string, number>();
  const requests = new Map<string, number>();
  const held = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const n = (requests.get(path) ?? 0) + 1;
    requests.set(path, n);
    res.writeHead(200, { 'content-type': contentType, 'content-length': body.length, 'cache-control': 'max-age=3600' });
    if (n > 1) { res.end(body); return; }
    const half = Math.floor(body.length / 2);
    held.add(res);
    res.write(body.subarray(0, half), () => inFlight.set(path, half));
    const timer = setTimeout(() => res.end(body.subarray(half)), holdMs);
    res.on('close', () => { clearTimeout(timer); inFlight.delete(path); held.delete(res); });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    hostPort: `127.0.0.1:${port}`,
    urlOf: (path) => `http://127.0.0.1:${port}${path}`,
    inFlight, requests,
    close: () => new Promise<void>((ok) => {
      for (const r of held) r.destroy();
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}
