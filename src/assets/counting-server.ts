import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * Test support: real loopback HTTP listeners that count what reaches them, so tests can prove a
 * refused fetch never opened a connection. Not used by production code.
 */
export interface CountingServer {
  /** Port of the listener on 127.0.0.1. The same port is used on every other host listened on. */
  readonly port: number;
  /** TCP connections accepted so far, per listening address ("127.0.0.1", "::1", …). */
  connectionsTo(host: string): number;
  /** TCP connections accepted so far on every listening address together. */
  readonly connections: number;
  /** Request paths received so far, in order. */
  readonly paths: readonly string[];
  close(): Promise<void>;
}

/**
 * Starts `handler` on 127.0.0.1 (on a free port) and on each of `alsoOn` with the same port.
 * Hosts that cannot be bound (no IPv6 loopback, say) are skipped: their count stays 0.
 */
export async function startCountingServer(
  handler: http.RequestListener,
  alsoOn: readonly string[] = ['::1'],
): Promise<CountingServer> {
  const counts = new Map<string, number>();
  const paths: string[] = [];
  const servers: http.Server[] = [];
  const listen = (host: string, port: number) =>
    new Promise<http.Server | null>((resolve) => {
      const server = http.createServer((req, res) => {
        paths.push(req.url ?? '');
        handler(req, res);
      });
      server.on('connection', () => counts.set(host, (counts.get(host) ?? 0) + 1));
      server.once('error', () => resolve(null));
      server.listen(port, host, () => resolve(server));
    });

  const first = await listen('127.0.0.1', 0);
  if (!first) throw new Error('cannot listen on 127.0.0.1');
  servers.push(first);
  const port = (first.address() as AddressInfo).port;
  for (const host of alsoOn) {
    const server = await listen(host, port);
    if (server) servers.push(server);
  }

  return {
    port,
    connectionsTo: (host) => counts.get(host) ?? 0,
    get connections() {
      return [...counts.values()].reduce((a, b) => a + b, 0);
    },
    paths,
    close: async () => {
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}

/** 127.0.0.0/8 and ::1: the only addresses a test may ever send packets to. */
export const isLoopback = (ip: string): boolean => /^127\./.test(ip) || ip === '::1' || /^::ffff:127\./i.test(ip);

/**
 * Records every TCP connection attempt this process starts (sockets announced on Node's
 * `net.client.socket` diagnostics channel, then their `connectionAttempt` events), wherever it was
 * headed: the proof that a refusal happened before any connect, even for destinations no test
 * listener could observe (10.0.0.1, 169.254.169.254, …).
 *
 * It is also a tripwire: an attempt to an address `permitted` rejects is stopped by throwing from
 * the `connectionAttempt` listener, which Node emits just before it asks the OS to connect. So
 * even a broken guard cannot make a test send a packet off the machine; the test fails instead.
 */
export function watchConnectionAttempts(permitted: (ip: string) => boolean = isLoopback): {
  readonly attempts: readonly string[];
  stop(): void;
} {
  const attempts: string[] = [];
  const onSocket = (message: unknown) => {
    const { socket } = message as { socket: Socket };
    socket.on('connectionAttempt', (ip: string, port: number) => {
      attempts.push(`${ip}:${port}`);
      if (!permitted(ip)) throw new Error(`test tripwire: a connection to ${ip}:${port} was attempted`);
    });
  };
  subscribe('net.client.socket', onSocket);
  return { attempts, stop: () => unsubscribe('net.client.socket', onSocket) };
}
