/**
 * How the JSON routes read request bodies. Only `application/json` is a body:
 * Fastify's built-in `text/plain` parser would hand the routes a string, which they then refused as
 * "not a JSON object" even when it was valid JSON sent with the wrong header; without it such a
 * request is a 415 that names the Content-Type to send (problem.ts). An empty body sent with
 * `Content-Type: application/json` (what many clients send on a bodiless POST such as
 * `/v1/renders/{id}/cancel`) is no body, as if the header were absent, rather than "not valid JSON";
 * routes that need a body say so. A body that is not JSON is refused with the parser's position
 * (Fastify's own refusal drops it); a compressed body (Content-Encoding) is a 415 saying to send it
 * uncompressed, and one nested past MAX_DOCUMENT_NESTING a 400 at that pointer. Upload routes (assets-routes.ts) take every type in their own
 * scope and are not affected.
 */
import type { FastifyInstance } from 'fastify';
import { MAX_DOCUMENT_NESTING as MAX_BODY_NESTING, pointerDeeperThan } from '../composition/nesting-depth.ts';
import { MontageError } from '../errors/registry.ts';

/** Why `text` was refused: the parser's position ("at position 12 (line 1 column 13)"), or the reserved key it holds. */
function jsonRefusal(text: string): MontageError {
  try {
    JSON.parse(text);
  } catch (e) {
    const why = (e as Error).message;
    return new MontageError('MONTAGE_E_INVALID_JSON', `The body is not valid JSON: ${why}.`, { problems: [{ pointer: '', detail: `Fix the JSON syntax: ${why}.` }], cause: e });
  }
  return new MontageError('MONTAGE_E_INVALID_JSON', 'The body uses the reserved key "__proto__" or "constructor.prototype".', {
    problems: [{ pointer: '', detail: 'Rename the "__proto__" or "constructor" key; no field of this API has that name.' }],
  });
}

export function acceptJsonBodiesOnly(app: FastifyInstance): void {
  app.removeContentTypeParser('text/plain');
  const parseJson = app.getDefaultJsonParser('error', 'error'); // keeps the __proto__ / constructor guards
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body.toString();
    if (text.trim() === '') { done(null, undefined); return; }
    const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity' && encoding !== '') {
      // Compressed JSON read as text is noise: say what to change, not "fix the JSON syntax".
      done(new MontageError('MONTAGE_E_UNSUPPORTED_MEDIA_TYPE', `The body is sent with Content-Encoding: ${encoding}, which this API does not decode.`, {
        problems: [{ pointer: '', detail: 'Send the JSON uncompressed, without a Content-Encoding header.' }],
      }), undefined);
      return;
    }
    parseJson(req, text, (err, parsed) => {
      if (err) { done(jsonRefusal(text), undefined); return; }
      const deep = pointerDeeperThan(parsed, MAX_BODY_NESTING);
      if (deep === undefined) { done(null, parsed); return; }
      done(new MontageError('MONTAGE_E_INVALID_REQUEST', `The body nests more than ${MAX_BODY_NESTING} levels deep.`, {
        problems: [{ pointer: deep, detail: `nests more than ${MAX_BODY_NESTING} levels deep here; no field of this API is nested that far: flatten it` }],
      }), undefined);
    });
  });
}
