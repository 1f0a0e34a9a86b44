/**
 * POST /v1/validate: the checks of POST /v1/renders (composition, limits, sources, assets) without
 * rendering or queuing anything. It takes the same body, so a body that validates is one that submits.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { MontageError } from '../errors/registry.ts';
import { checkEnvelope } from '../jobs/submit-render.ts';
import { problemResponses, type ValidationResult } from './api-schemas.ts';
import type { HttpDeps } from './http-deps.ts';
import { bodyCheckedByUseCase } from './request-validation.ts';

export function validateRoutes(deps: HttpDeps, validator: FastifySchemaCompiler<unknown>) {
  return async (app: FastifyInstance) => {
    app.post('/validate', {
      validatorCompiler: bodyCheckedByUseCase(validator),
      schema: {
        tags: ['renders'], security: [{ bearerAuth: [] }], summary: 'Check a composition without rendering it',
        description: 'Takes the body of POST /v1/renders. 200 with what would be rendered, or a 422 listing every problem with its JSON Pointer. '
          + 'Sources are checked without downloading (missing uploads, refused schemes and addresses, host names that do not resolve); '
          + 'with `?probe=true` every source is also downloaded and probed as a render would, and media problems are listed with their pointers.',
        querystring: Type.Object({ probe: Type.Optional(Type.Boolean({ description: 'also download and probe every source (slower)' })) }, { additionalProperties: false }),
        body: { $ref: 'RenderRequest#' },
        response: { 200: { $ref: 'ValidationResult#' }, ...problemResponses(400, 404, 413, 415, 422) },
      },
    }, async (req: FastifyRequest<{ Querystring: { probe?: boolean } }>): Promise<ValidationResult> => {
      const { composition, summary } = await deps.checkRenderRequest(req.tenant, checkEnvelope(req.body));
      if (req.query.probe) {
        const problems = await deps.probeRequestSources(req.tenant, composition);
        if (problems.length > 0) {
          throw new MontageError('MONTAGE_E_ASSET_UNREADABLE', problems.map((p) => `${p.pointer}: ${p.detail}`).join('\n'), { problems });
        }
      }
      return {
        duration: summary.duration, width: summary.width, height: summary.height, fps: summary.fps, format: summary.format,
        warnings: [...summary.warnings],
      };
    });
  };
}
