/**
 * Which methods each routed path answers to, so that a known path asked with another method is
 * a 405 with `Allow` (RFC 9110 §15.5.6), not a 404 that tells the client the path does not exist.
 * Routes are recorded as they are added (an `onRoute` hook on the root instance sees every
 * plugin's routes); wildcard routes (the Studio's static files) are left out, since they would
 * claim every path.
 */
import type { FastifyInstance } from 'fastify';

interface RoutePattern { readonly re: RegExp; readonly methods: Set<string> }

const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** Records every route added to `app` after this call; returns a lookup of the methods a path allows. */
export function trackRouteMethods(app: FastifyInstance): (path: string) => string[] {
  const patterns = new Map<string, RoutePattern>();
  app.addHook('onRoute', (route) => {
    if (route.url.includes('*')) return;
    let p = patterns.get(route.url);
    if (!p) {
      const re = new RegExp(`^${route.url.split('/').map((seg) => (seg.startsWith(':') ? '[^/]+' : escape(seg))).join('/')}/?$`);
      p = { re, methods: new Set() };
      patterns.set(route.url, p);
    }
    for (const m of [route.method].flat()) p.methods.add(m.toUpperCase());
  });
  return (path) => {
    const allowed = new Set<string>();
    for (const p of patterns.values()) if (p.re.test(path)) for (const m of p.methods) allowed.add(m);
    return [...allowed].sort();
  };
}
