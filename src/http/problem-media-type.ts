/**
 * The media type of error responses in the OpenAPI document. Every error of the /v1 and operations
 * routes is sent as `application/problem+json` (RFC 9457, problem.ts), but fastify-swagger files a
 * response schema under the route's `produces` (`application/json`, or `text/event-stream` for the
 * events route), so a generated client looked for errors under the wrong type. Here each response
 * whose schema is the Problem moves to `application/problem+json`. The Shotstack-compatible routes
 * answer in Shotstack's own JSON envelope and keep `application/json`.
 */
type Content = Record<string, { schema?: { $ref?: string } }>;
type OpenApiDoc = { paths?: Record<string, Record<string, { responses?: Record<string, { content?: Content }> }>> };

const isProblem = (ref: string | undefined) => ref === '#/components/schemas/Problem' || ref === 'Problem#';

/** Moves every Problem response to `application/problem+json`; leaves every other one. */
export function documentProblemsAsProblemJson<T>(doc: T): T {
  for (const ops of Object.values((doc as OpenApiDoc).paths ?? {})) {
    for (const op of Object.values(ops)) {
      for (const r of Object.values(op.responses ?? {})) {
        const problem = Object.values(r.content ?? {}).find((c) => isProblem(c.schema?.$ref));
        if (problem) r.content = { 'application/problem+json': problem };
      }
    }
  }
  return doc;
}
