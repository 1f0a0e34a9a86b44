/**
 * GET /v1/renders/{id}/webhooks: the render's webhook deliveries with their tries, last answer,
 * last error and next try. Empty until the render reaches a final status (deliveries are created
 * then), and for a render submitted without a webhook.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { IdParams, problemResponses, WebhookDeliverySchema } from './api-schemas.ts';
import type { HttpDeps } from './http-deps.ts';

export function webhookDeliveriesRoutes(deps: HttpDeps) {
  return async (app: FastifyInstance) => {
    app.get('/renders/:id/webhooks', {
      schema: {
        tags: ['renders'], security: [{ bearerAuth: [] }], summary: "List a render's webhook deliveries",
        description: 'One delivery per final event of the render, with its tries, the receiver’s last status code, the last error and the next try. '
          + 'Empty before the render is final, and for a render without a webhook.',
        params: IdParams,
        response: {
          200: Type.Object({ data: Type.Array(WebhookDeliverySchema) }, { additionalProperties: false, description: 'the deliveries, oldest first' }),
          ...problemResponses(404),
        },
      },
    }, async (req: FastifyRequest<{ Params: { id: string } }>) => ({ data: await deps.listWebhookDeliveries(req.tenant, req.params.id) }));
  };
}
