/**
 * How the JSON routes read request bodies. Only `application/json` (and `+json` types) is a body:
 * Fastify's built-in `text/plain` parser would hand the routes a string, which they then refused as
 * "not a JSON object" even when it was valid JSON sent with the wrong header; without it such a
 * request is a 415 that names the Content-Type to send (problem.ts). Upload routes (assets-routes.ts)
 * take every type in their own scope and are not affected.
 */
import type { FastifyInstance } from 'fastify';

export function acceptJsonBodiesOnly(app: FastifyInstance): void {
  app.removeContentTypeParser('text/plain');
}
