/**
 * Issue 7, fuzzing: valid compositions mutated by fast-check (deleted, retyped and renamed
 * fields, numbers at and past every range, huge strings, deep nesting, prototype keys) go through
 * the engine's `validate` in process and through POST /v1/validate and POST /v1/renders of a real
 * `montage serve`; then random byte bodies with random content types go to every route.
 * Held: nothing crashes, nothing answers 5xx, and every rejection names its fields with JSON
 * Pointers that resolve in the submitted document (or name a missing field of an existing parent).
 *
 * `npm test` runs a short version; `npm run soak` (MONTAGE_SOAK=1) runs ≥ 20 000 compositions
 * through each path and 2 000 random bodies per route. FUZZ_SEED replays a run.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fc from 'fast-check';
import { createRenderEngine } from '../../src/render/engine.ts';
import { isMontageError } from '../../src/errors/registry.ts';
import { watchConnectionAttempts } from '../../src/assets/counting-server.ts';
import { mutate, mutationArb, pointerNamesAPlace, seeds } from './support/mutate-composition.ts';
import { startAdversarialService, type AdversarialService } from './support/adversarial-service.ts';

const SOAK = process.env.MONTAGE_SOAK === '1';
const N_ENGINE = SOAK ? 20_000 : 2_000;
const N_HTTP = SOAK ? 20_000 : 300;
const N_BODIES_PER_ROUTE = SOAK ? 2_000 : 12;
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
const counts = { engineAccepted: 0, engineRejected: 0, httpStatus: new Map<number, number>() };

const input = (deep: boolean) => fc.record({
  base: fc.nat(),
  muts: fc.array(mutationArb(deep), { minLength: 0, maxLength: 4 }),
});

describe(`composition fuzzing (seed ${seed}${SOAK ? ', soak' : ''})`, () => {
  const engine = createRenderEngine({ ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' });

  it(`engine.validate: ${N_ENGINE} mutated compositions, no crash, every rejection with resolvable pointers`, () => {
    const bases = seeds();
    fc.assert(fc.property(input(SOAK), ({ base, muts }) => {
      // What a server would receive: the JSON text parsed again (own __proto__ keys and all).
      const doc = JSON.parse(JSON.stringify(mutate(bases[base % bases.length], muts))) as unknown;
      try {
        engine.validate(doc);
        counts.engineAccepted++;
      } catch (e) {
        if (!isMontageError(e)) throw new Error(`validate crashed: ${(e as Error)?.stack ?? e}`);
        counts.engineRejected++;
        const problems = e.problems ?? [];
        assert.ok(problems.length > 0, `${e.code} without problems: ${e.message}`);
        for (const p of problems) {
          assert.ok(pointerNamesAPlace(doc, p.pointer), `pointer ${JSON.stringify(p.pointer)} (${p.detail}) names no place in the document`);
          assert.ok(p.detail.length > 0);
        }
      }
    }), { numRuns: N_ENGINE, seed, endOnFailure: true });
    assert.ok(counts.engineAccepted > 0 && counts.engineRejected > 0, `accepted ${counts.engineAccepted}, rejected ${counts.engineRejected}`);
  });

  describe('over HTTP', () => {
    let t: AdversarialService;
    let attempts: ReturnType<typeof watchConnectionAttempts>;
    let assetSrc: string;
    before(async () => {
      attempts = watchConnectionAttempts();
      // No worker: accepted renders stay queued, so the fuzzer measures the API, not ffmpeg.
      t = await startAdversarialService({ MONTAGE_WORKER_CONCURRENCY: '0' });
      assetSrc = (await t.client.uploadAsset(Buffer.from('1\n00:00:00,000 --> 00:00:01,000\nHi\n'), { filename: 'a.srt' })).src; // uploads are probed: real captions
      t.responses.length = 0;
    });
    after(async () => {
      attempts?.stop();
      await t?.svc.stop();
      console.log(`fuzz: engine accepted ${counts.engineAccepted}, rejected ${counts.engineRejected}; HTTP statuses ${JSON.stringify(Object.fromEntries(counts.httpStatus))}`);
    });

    const tally = (s: number) => counts.httpStatus.set(s, (counts.httpStatus.get(s) ?? 0) + 1);

    it(`POST /v1/validate and /v1/renders: ${N_HTTP} mutated compositions, no 5xx, every 422 with resolvable pointers`, async () => {
      const bases = seeds(assetSrc);
      await fc.assert(fc.asyncProperty(input(false), fc.boolean(), async ({ base, muts }, submit) => {
        const composition = mutate(bases[base % bases.length], muts);
        const text = JSON.stringify({ composition });
        const res = await t.client.request('POST', submit ? '/v1/renders' : '/v1/validate', { body: text, headers: { 'content-type': 'application/json' } });
        tally(res.status);
        const body = await res.json() as { code?: string; errors?: { pointer: string; detail: string }[] };
        assert.ok(res.status < 500, `${res.status} ${JSON.stringify(body).slice(0, 500)}`);
        if (res.status === 422 || res.status === 400) {
          assert.ok(body.code?.startsWith('MONTAGE_E_'), JSON.stringify(body).slice(0, 300));
          if (body.code === 'MONTAGE_E_INVALID_COMPOSITION' || body.code === 'MONTAGE_E_INVALID_REQUEST' || body.code === 'MONTAGE_E_LIMIT_EXCEEDED') {
            assert.ok((body.errors ?? []).length > 0, `${body.code} without errors[]`);
            const parsedBody = JSON.parse(text) as { composition: unknown };
            for (const p of body.errors!) {
              assert.ok(pointerNamesAPlace(parsedBody.composition, p.pointer) || pointerNamesAPlace(parsedBody, p.pointer),
                `pointer ${JSON.stringify(p.pointer)} (${p.detail}) names no place in the request`);
            }
          }
        } else {
          assert.ok([200, 202, 404, 413].includes(res.status), `unexpected ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
        }
      }), { numRuns: N_HTTP, seed, endOnFailure: true });
      assert.deepEqual(attempts.attempts.filter((a) => !a.startsWith('127.') && !a.startsWith('::1')), [], 'validation fetched nothing');
    });

    const ROUTES: [string, string, 'json' | 'any' | 'none'][] = [
      ['POST', '/v1/renders', 'json'], ['POST', '/v1/validate', 'json'], ['POST', '/v1/templates', 'json'],
      ['PUT', '/v1/templates/tpl_nope', 'json'], ['POST', '/v1/renders/rnd_nope/cancel', 'none'], ['POST', '/v1/assets', 'any'],
      ['GET', '/v1/renders', 'none'], ['GET', '/v1/renders/rnd_nope', 'none'], ['GET', '/v1/renders/rnd_nope/output', 'none'],
      ['GET', '/v1/renders/rnd_nope/events', 'none'], ['GET', '/v1/templates', 'none'], ['GET', '/v1/templates/tpl_nope', 'none'],
      ['DELETE', '/v1/templates/tpl_nope', 'none'], ['GET', '/v1/assets/ast_nope', 'none'], ['DELETE', '/v1/assets/ast_nope', 'none'],
      ['GET', '/healthz', 'none'], ['GET', '/readyz', 'none'], ['GET', '/metrics', 'none'], ['GET', '/openapi.json', 'none'],
      ['GET', '/', 'none'], ['POST', '/v1/nope', 'none'],
    ];
    const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x', 'application/octet-stream', 'application/problem+json', 'image/png', '*/*', 'application/json;;;', ''];

    /** A raw request (node:http, so GET and DELETE can carry a body too). */
    const raw = (method: string, path: string, body: Buffer, headers: Record<string, string>) => new Promise<{ status: number; body: string }>((resolve, reject) => {
      const u = new URL(path, t.svc.url);
      const req = http.request(u, { method, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
        const chunks: Buffer[] = [];
        // SSE answers stay open: the status is all that matters.
        if (String(res.headers['content-type']).startsWith('text/event-stream')) { res.destroy(); resolve({ status: res.statusCode!, body: '' }); return; }
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });

    it(`random byte bodies with random content types: ${N_BODIES_PER_ROUTE} per route × ${ROUTES.length} routes, 4xx for every body route, no 5xx anywhere`, async () => {
      await fc.assert(fc.asyncProperty(
        fc.nat({ max: ROUTES.length - 1 }),
        fc.oneof(fc.uint8Array({ maxLength: 2048 }), fc.string({ maxLength: 200 }).map((s) => new TextEncoder().encode(s)),
          fc.jsonValue({ maxDepth: 3 }).map((j) => new TextEncoder().encode(JSON.stringify(j)))),
        fc.constantFrom(...CONTENT_TYPES), fc.boolean(),
        async (r, bytes, ct, authed) => {
          const [method, path, kind] = ROUTES[r]!;
          const headers: Record<string, string> = ct ? { 'content-type': ct } : {};
          if (authed) headers.authorization = `Bearer ${t.key}`;
          const res = await raw(method, path, Buffer.from(bytes), headers);
          tally(res.status);
          assert.ok(res.status < 500, `${method} ${path} (${ct}): ${res.status} ${res.body.slice(0, 300)}`);
          if (kind === 'json' || (kind === 'any' && !authed)) assert.ok(res.status >= 400, `${method} ${path} (${ct}) accepted random bytes: ${res.status}`);
        },
      ), { numRuns: N_BODIES_PER_ROUTE * ROUTES.length, seed, endOnFailure: true });
    });
  });
});
