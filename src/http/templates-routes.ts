/**
 * /v1/templates: stored compositions with {{placeholders}}, per tenant. The body is checked by the
 * template use case (closed: unknown fields are a 400; the composition is validated with its own
 * merge, placeholders without a value allowed).
 */
import { templatePlaceholders } from '../composition/template-placeholders.ts';
import type { FastifyInstance, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import type { TemplateRecord } from '../ports/template-store.ts';
import { IdParams, ListQuery, problemResponses, type TemplateView } from './api-schemas.ts';
import type { HttpDeps } from './http-deps.ts';
import { bodyCheckedByUseCase } from './request-validation.ts';

const tags = ['templates'];
const security = [{ bearerAuth: [] }];
const ref = (id: string) => ({ $ref: `${id}#` });

export const toTemplateView = (t: TemplateRecord): TemplateView => ({
  id: t.id, name: t.name, composition: t.composition, placeholders: templatePlaceholders(t.composition), createdAt: t.createdAt, updatedAt: t.updatedAt,
});

type IdReq = FastifyRequest<{ Params: { id: string } }>;

export function templatesRoutes(deps: HttpDeps, validator: FastifySchemaCompiler<unknown>) {
  return async (app: FastifyInstance) => {
    const byUseCase = bodyCheckedByUseCase(validator);

    app.post('/templates', {
      validatorCompiler: byUseCase,
      schema: {
        tags, security, summary: 'Store a template',
        body: ref('TemplateCreate'),
        response: { 201: ref('Template'), ...problemResponses(400, 413, 415, 422) },
      },
    }, async (req, reply) => {
      const t = await deps.templates.create(req.tenant, req.body as object);
      return reply.code(201).header('location', `/v1/templates/${t.id}`).send(toTemplateView(t));
    });

    app.get('/templates', {
      schema: { tags, security, summary: 'List templates, newest first', querystring: ListQuery, response: { 200: ref('TemplatePage'), ...problemResponses(400) } },
    }, async (req) => {
      const page = await deps.templates.list(req.tenant, req.query as { limit?: number; cursor?: string });
      return { data: page.data.map(toTemplateView), nextCursor: page.nextCursor };
    });

    app.get('/templates/:id', {
      schema: { tags, security, summary: 'Get a template', params: IdParams, response: { 200: ref('Template'), ...problemResponses(404) } },
    }, async (req: IdReq) => toTemplateView(await deps.templates.get(req.tenant, req.params.id)));

    app.put('/templates/:id', {
      validatorCompiler: byUseCase,
      schema: {
        tags, security, summary: 'Change a template', description: 'Replaces the fields given (name, composition).',
        params: IdParams, body: ref('TemplateUpdate'), response: { 200: ref('Template'), ...problemResponses(400, 404, 413, 415, 422) },
      },
    }, async (req: IdReq) => toTemplateView(await deps.templates.update(req.tenant, req.params.id, req.body as object)));

    app.delete('/templates/:id', {
      schema: {
        tags, security, summary: 'Delete a template', params: IdParams,
        response: { 204: { description: 'deleted', type: 'null' }, ...problemResponses(404) },
      },
    }, async (req: IdReq, reply) => {
      await deps.templates.delete(req.tenant, req.params.id);
      return reply.code(204).send();
    });
  };
}
