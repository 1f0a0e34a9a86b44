/**
 * A TCP proxy on a loopback port in front of a real server (PostgreSQL, Redis, S3): `cut()` closes every
 * connection through it and refuses new ones, `blackhole()` keeps them open but silent, `restore()` lets them through again. To the processes
 * behind it, that is the server going away and coming back, without stopping a server other tests
 * share.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Drops every open connection and refuses new ones until `restore`. */
  cut(): void;
  /**
   * A network that silently drops packets: open connections stop carrying bytes, new ones are
   * accepted and then hear nothing, until `restore` (the path comes back and what waited flows).
   */
  blackhole(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: 'open' | 'cut' | 'blackhole' = 'open';
  const sockets = new Set<Socket>();
  const pairs = new Set<[Socket, Socket]>();
  /** What `restore()` does to the connections a black hole holds: let their bytes through again. */
  let held: Array<() => void> = [];
  const track = (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); };
  const forward = (client: Socket) => {
    const upstream = connect(target.port, target.host);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    for (const s of pair) {
      track(s);
      s.on('close', () => pairs.delete(pair));
      s.on('error', () => { client.destroy(); upstream.destroy(); });
    }
    client.pipe(upstream).pipe(client);
  };
  const server: Server = createServer((client) => {
    if (mode === 'cut') { client.destroy(); return; }
    if (mode === 'blackhole') {
      // Accepted, then silence: what the caller sent waits unread, nothing ever answers.
      client.pause();
      track(client);
      client.on('error', () => client.destroy());
      held.push(() => { if (!client.destroyed) forward(client); });
      return;
    }
    forward(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    cut() { mode = 'cut'; for (const s of sockets) s.destroy(); },
    blackhole() {
      mode = 'blackhole';
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream); upstream.unpipe(client);
        client.pause(); upstream.pause();
        held.push(() => { if (!client.destroyed && !upstream.destroyed) { client.pipe(upstream); upstream.pipe(client); } });
      }
    },
    restore() {
      mode = 'open';
      const resume = held;
      held = [];
      for (const r of resume) r();
    },
    async close() {
      mode = 'cut';
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
