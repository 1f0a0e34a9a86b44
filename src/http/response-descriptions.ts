/**
 * What each success response of the API is, for the OpenAPI document: fastify-swagger writes
 * "Default Response" for a response schema without a description, which tells a reader nothing.
 * Keyed by `METHOD path status` as the document spells them; api.suite.ts checks that no response
 * is left undescribed.
 */
export const RESPONSE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'get /healthz 200': 'The process is alive.',
  'get /readyz 200': 'Every dependency answers; the instance takes traffic.',
  'post /v1/renders 202': 'Accepted and queued: the Render, with its id; Location points at it.',
  'get /v1/renders 200': 'A page of your renders, newest first.',
  'get /v1/renders/{id} 200': 'The Render: status, progress, outputs once it succeeded.',
  'post /v1/renders/{id}/cancel 200': 'The canceled Render (or the already canceled one).',
  'get /v1/renders/{id}/webhooks 200': 'The render’s webhook deliveries, oldest first.',
  'post /v1/validate 200': 'The request would be accepted: what would be rendered, and any warnings.',
  'post /v1/templates 201': 'The stored Template, with its placeholders.',
  'get /v1/templates 200': 'A page of your templates.',
  'get /v1/templates/{id} 200': 'The Template, with its placeholders.',
  'put /v1/templates/{id} 200': 'The updated Template.',
  'delete /v1/templates/{id} 204': 'Deleted.',
  'post /v1/assets 201': 'The stored Asset, with what the file holds (probe); use its src in compositions.',
  'get /v1/assets/{id} 200': 'The Asset.',
  'delete /v1/assets/{id} 204': 'Deleted.',
};

type OpenApiDoc = { paths?: Record<string, Record<string, { responses?: Record<string, { description?: string }> }>> };

/** Fills "Default Response" (or a missing description) from the table; leaves every other one. */
export function describeResponses<T>(doc: T): T {
  for (const [path, ops] of Object.entries((doc as OpenApiDoc).paths ?? {})) {
    for (const [method, op] of Object.entries(ops)) {
      for (const [status, r] of Object.entries(op.responses ?? {})) {
        const known = RESPONSE_DESCRIPTIONS[`${method} ${path} ${status}`];
        if (known && (!r.description || r.description === 'Default Response')) r.description = known;
      }
    }
  }
  return doc;
}
