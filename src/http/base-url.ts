import type { FastifyRequest } from 'fastify';

/** Where clients reach this API: the configured public URL, else the request's own origin. */
export const baseUrl = (req: FastifyRequest, publicUrl: string | null): string =>
  publicUrl ?? `${req.protocol}://${req.host}`;
