/**
 * POST /v1/validate: the checks of POST /v1/renders (composition, limits, sources, assets) without
 * rendering or queuing anything. It takes the same body, so a body that validates is one that submits.
 */
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
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
        description: 'Takes the body of POST /v1/renders. 200 with what would be rendered, or a 422 listing every problem with its JSON Pointer.',
        body: { $ref: 'RenderRequest#' },
        response: { 200: { $ref: 'ValidationResult#' }, ...problemResponses(400, 404, 413, 422) },
      },
    }, async (req): Promise<ValidationResult> => {
      const { summary } = await deps.checkRenderRequest(req.tenant, checkEnvelope(req.body));
      return {
        duration: summary.duration, width: summary.width, height: summary.height, fps: summary.fps, format: summary.format,
        warnings: [...summary.warnings],
      };
    });
  };
}
