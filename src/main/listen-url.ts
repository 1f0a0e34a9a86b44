import type { FastifyInstance } from 'fastify';

/** `http://host:port` a listening app is reached at locally (a wildcard address becomes loopback). */
export function listenUrlOf(app: FastifyInstance): string {
  const addr = app.server.address();
  if (!addr || typeof addr !== 'object') return 'http://localhost';
  return `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`.replace('0.0.0.0', '127.0.0.1').replace('[::]', '[::1]');
}
