import { Server as TlsServer } from 'node:tls';
import type { FastifyInstance } from 'fastify';

/** `http(s)://host:port` a listening app is reached at locally (a wildcard address becomes loopback). */
export function listenUrlOf(app: FastifyInstance): string {
  const addr = app.server.address();
  const scheme = app.server instanceof TlsServer ? 'https' : 'http';
  if (!addr || typeof addr !== 'object') return `${scheme}://localhost`;
  return `${scheme}://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`.replace('0.0.0.0', '127.0.0.1').replace('[::]', '[::1]');
}
