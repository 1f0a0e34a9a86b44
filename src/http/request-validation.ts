/**
 * How requests are validated. Query strings, path parameters and headers are checked by Ajv
 * against the route's schema here. JSON bodies that carry a composition are checked by their use
 * case instead (submit-render's envelope check, the template check, the engine's validator): those
 * give 422 MONTAGE_E_INVALID_COMPOSITION with a problem per field and did-you-mean hints, which a
 * generic schema validator cannot, and the composition schema may not even apply before
 * `{{placeholders}}` are substituted. Such routes still declare their body schema, for the docs.
 *
 * Ajv runs with `removeAdditional: false` (Fastify's default `true` would silently drop unknown
 * fields, which the API promises never to do) and `allErrors` (every problem in one answer).
 */
import { Ajv } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';

export function createRequestValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const ajv = new Ajv({
    removeAdditional: false, useDefaults: true, coerceTypes: 'array', allErrors: true, strict: false,
    validateFormats: false, verbose: true, // verbose: an unknown parameter's refusal lists the known ones (problem.ts)
  });
  return ({ schema }) => ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
}

/** A route's compiler when its use case validates the body: parameters as usual, body untouched. */
export function bodyCheckedByUseCase(compiler: FastifySchemaCompiler<unknown>): FastifySchemaCompiler<unknown> {
  return (route) => (route.httpPart === 'body' ? () => true : compiler(route));
}
