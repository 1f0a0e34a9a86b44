/**
 * The HTTP API's request and response schemas, in TypeBox like the composition they embed
 * (src/composition/schema.ts is reused as it is, never restated). They drive validation of query
 * and path parameters, the OpenAPI 3.1 document (/openapi.json) and the client's types.
 *
 * Every object is closed: an unknown field is a 400, never silently dropped.
 * Shared schemas carry a short `$id` and become `#/components/schemas/<id>` in the OpenAPI document.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Composition, MergeValues as CompositionMergeValues } from '../composition/schema.ts';
import { ERRORS } from '../errors/registry.ts';
import { PRIORITIES, RENDER_STATUSES } from '../ports/render-store.ts';

const closed = <T extends Parameters<typeof Type.Object>[0]>(props: T, opts: Parameters<typeof Type.Object>[1] = {}) =>
  Type.Object(props, { additionalProperties: false, ...opts });
const enumOf = <T extends readonly string[]>(values: T, description: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description });
const IsoTime = (description: string) => Type.String({ format: 'date-time', description });
const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);

/** The composition as a shared schema: `$ref: 'Composition'`. */
export const CompositionSchema = { ...Composition, $id: 'Composition' } as unknown as typeof Composition;
export const MergeValuesSchema = Type.Unsafe<Static<typeof CompositionMergeValues>>({ ...CompositionMergeValues, $id: 'MergeValues' });

const Ref = <T extends TSchema>(s: T & { $id?: string }) => Type.Unsafe<Static<T>>({ $ref: `${s.$id}#` });

/**
 * A composition as a template or a request may hold it: a Composition, or the same with
 * "{{placeholder}}" strings where a number or boolean goes (`"length": "{{len}}"`), which only the
 * merge makes valid. Referencing Composition alone documented such a stored template, one the
 * service accepts and returns, as not matching the schema.
 */
const WithPlaceholders = <T>(description: string) => Type.Unsafe<T>({
  description,
  anyOf: [
    { $ref: 'Composition#' },
    { type: 'object', description: 'a Composition with {{placeholders}} where numbers or booleans go; valid once merged', required: ['tracks'], properties: { output: { type: 'object' }, tracks: { type: 'array' } } },
  ],
});

export const FieldProblemSchema = closed({
  pointer: Type.String({ description: 'JSON Pointer (RFC 6901) of the field: into the composition for composition problems (/tracks/0/clips/2/length, as the CLI reports them), else into the request body or query (/priority, /limit)' }),
  detail: Type.String({ description: 'what is wrong, in a sentence a person can act on' }),
}, { $id: 'FieldProblem' });

export const ProblemSchema = closed({
  type: Type.String({ description: 'URI naming the problem type: https://montage.dev/errors#<code>' }),
  title: Type.String({ description: 'short summary of the problem type' }),
  status: Type.Integer({ description: 'HTTP status code' }),
  detail: Type.String({ description: 'what happened in this occurrence' }),
  code: enumOf(Object.keys(ERRORS) as (keyof typeof ERRORS)[], 'stable error code; branch on this, never on text'),
  retryable: Type.Boolean({ description: 'whether the same request may succeed if tried again later' }),
  errors: Type.Optional(Type.Array(Ref(FieldProblemSchema), { description: 'one entry per invalid field' })),
  requestId: Type.Optional(Type.String({ description: 'id of the request, as in the x-request-id header' })),
}, { $id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' });

export const OutputSchema = closed({
  url: Type.String({ description: 'GET it with the same API key: the bytes, or a redirect to a short-lived signed URL' }),
  contentType: Type.String(),
  bytes: Type.Integer({ minimum: 0 }),
}, { $id: 'Output' });

export const RenderErrorSchema = closed({
  code: Type.String({ description: 'a MONTAGE_E_* code' }),
  message: Type.String(),
}, { $id: 'RenderError' });

export const RenderPiecesSchema = closed({
  total: Type.Integer({ minimum: 0, description: 'pieces (fixed time ranges of the video) the render was cut into' }),
  reused: Type.Integer({ minimum: 0, description: 'of those, pieces reused from earlier renders of your account rather than rendered again' }),
}, { $id: 'RenderPieces', description: 'how much of the video the piece cache reused (docs/adr/0001-piece-cache.md)' });

export const RenderSchema = closed({
  id: Type.String({ examples: ['rnd_2Zk7c0yTnHq3xJ9vLwQ1Ag'] }),
  status: enumOf(RENDER_STATUSES, 'succeeded, failed and canceled are final'),
  progress: Type.Number({ minimum: 0, maximum: 1, description: 'fraction done, 0–1; never decreases while running' }),
  priority: enumOf(PRIORITIES, 'queue priority'),
  createdAt: IsoTime('when the render was accepted'),
  startedAt: Nullable(IsoTime('when a worker started it')),
  finishedAt: Nullable(IsoTime('when it reached a final status')),
  duration: Type.Number({ minimum: 0, description: 'seconds of the result (0 for stills); an `auto` length counts once the render has succeeded (its media probed)' }),
  format: Type.String({ description: 'output.format of the composition' }),
  error: Nullable(Ref(RenderErrorSchema)),
  outputs: closed({
    video: Type.Optional(Ref(OutputSchema)),
    poster: Type.Optional(Ref(OutputSchema)),
    thumbnail: Type.Optional(Ref(OutputSchema)),
  }, { description: 'present once the render succeeded' }),
  metadata: Nullable(Type.Object({}, { additionalProperties: true, description: 'the request’s metadata, as given' })),
  pieces: Type.Union([Ref(RenderPiecesSchema), Type.Null()], { description: 'once succeeded: pieces of the video and how many were reused from the piece cache; null when the cache was not used (off, or a format it does not cover)' }),
}, { $id: 'Render' });

export const RenderPageSchema = closed({
  data: Type.Array(Ref(RenderSchema)),
  nextCursor: Nullable(Type.String({ description: 'pass as ?cursor= for the next page; null on the last page' })),
}, { $id: 'RenderPage' });

export const RenderRequestSchema = closed({
  composition: Type.Optional(WithPlaceholders<Static<typeof CompositionSchema>>('the composition; strings may hold {{placeholders}} that merge fills')),
  template: Type.Optional(Type.String({ description: 'id of a stored template (instead of composition)' })),
  merge: Type.Optional(Ref(MergeValuesSchema)),
  webhook: Type.Optional(closed({ url: Type.String({ description: 'https:// URL that receives render.succeeded / render.failed / render.canceled' }) })),
  metadata: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'your own data, at most 4 KiB as JSON, returned on the Render' })),
  priority: Type.Optional(enumOf(PRIORITIES, 'queue priority (default normal)')),
}, {
  $id: 'RenderRequest',
  description: 'Exactly one of `composition` or `template`. `merge` fills {{placeholders}} (overriding the composition’s own merge); substitution happens before validation.',
});

export const ValidationResultSchema = closed({
  duration: Type.Number({ description: 'seconds of the result (0 for stills)' }),
  width: Type.Integer(),
  height: Type.Integer(),
  fps: Type.Number(),
  format: Type.String(),
  warnings: Type.Array(Ref(FieldProblemSchema)),
}, { $id: 'ValidationResult' });

export const TemplateSchema = closed({
  id: Type.String({ examples: ['tpl_5Y3r0rJ0m2cVXb8cE0nq1w'] }),
  name: Type.String(),
  composition: WithPlaceholders<unknown>('as stored: strings may still hold {{placeholders}}'),
  placeholders: Type.Array(closed({
    name: Type.String(),
    pointers: Type.Array(Type.String(), { description: 'JSON Pointers of the strings that hold it' }),
    type: enumOf(['text', 'number', 'boolean', 'color'] as const, 'the field that edits it, from its default: color for #rrggbb'),
    default: Nullable(Type.Union([Type.String(), Type.Number(), Type.Boolean()], { description: 'the composition’s own merge value' })),
  }), { description: 'every {{placeholder}} of the composition, as the Studio’s form shows them; a render request must give those whose default is null' }),
  createdAt: IsoTime('creation time'),
  updatedAt: IsoTime('last change'),
}, { $id: 'Template' });

export const TemplatePageSchema = closed({
  data: Type.Array(Ref(TemplateSchema)),
  nextCursor: Nullable(Type.String()),
}, { $id: 'TemplatePage' });

export const TemplateCreateSchema = closed({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  composition: WithPlaceholders<unknown>('any string may hold {{placeholders}}; those without a value in its merge are filled at render time'),
}, { $id: 'TemplateCreate' });

export const TemplateUpdateSchema = closed({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  composition: Type.Optional(WithPlaceholders<unknown>('any string may hold {{placeholders}}')),
}, { $id: 'TemplateUpdate', description: 'replaces the fields given' });

export const AssetSchema = closed({
  id: Type.String({ examples: ['ast_Xo2l5nJ8Qd6B9kq0hV3sFw'] }),
  src: Type.String({ description: 'use this as a clip’s or soundtrack’s `src`: "asset:ID"' }),
  filename: Nullable(Type.String()),
  contentType: Type.String(),
  bytes: Type.Integer({ minimum: 1 }),
  sha256: Type.String({ description: 'hex SHA-256 of the bytes' }),
  probe: Nullable(closed({
    kind: enumOf(['media', 'font', 'captions'] as const, 'what a composition may use it as'),
    duration: Nullable(Type.Number({ description: 'seconds; null for stills, fonts and captions' })),
    width: Nullable(Type.Integer({ description: 'display width (rotation applied); null without a picture' })),
    height: Nullable(Type.Integer()),
    streams: Type.Array(closed({
      type: enumOf(['video', 'audio'] as const, 'stream type'),
      codec: Type.String(),
      fps: Type.Optional(Nullable(Type.Number({ description: 'null for stills' }))),
      hasAlpha: Type.Optional(Type.Boolean()),
      channels: Type.Optional(Type.Integer()),
      sampleRate: Type.Optional(Type.Integer()),
    })),
  }, { description: 'what the file holds, probed at upload; null for assets uploaded before probing' })),
  createdAt: IsoTime('upload time'),
}, { $id: 'Asset' });

/** Every shared schema, in dependency order, for `app.addSchema`. */
export const SHARED_SCHEMAS: readonly TSchema[] = [
  CompositionSchema, MergeValuesSchema, FieldProblemSchema, ProblemSchema, OutputSchema, RenderErrorSchema, RenderPiecesSchema, RenderSchema,
  RenderPageSchema, RenderRequestSchema, ValidationResultSchema, TemplateSchema, TemplatePageSchema, TemplateCreateSchema,
  TemplateUpdateSchema, AssetSchema,
];

export const IdParams = closed({ id: Type.String({ minLength: 1, maxLength: 100 }) });

const Limit = Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'page size, 1–100 (default 20)' });
const Cursor = Type.String({ minLength: 1, maxLength: 500, description: 'nextCursor of the previous page' });

export const ListRendersQuery = closed({
  status: Type.Optional(enumOf(RENDER_STATUSES, 'only renders with this status')),
  limit: Type.Optional(Limit),
  cursor: Type.Optional(Cursor),
});

export const ListQuery = closed({ limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) });

export const OUTPUT_KINDS = ['video', 'poster', 'thumbnail'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];
export const OutputQuery = closed({ kind: Type.Optional(enumOf(OUTPUT_KINDS, 'which file (default video)')) });

export const UploadQuery = closed({
  filename: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'the file’s name, for display only' })),
});

export const IdempotencyKeyHeader = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'retry safely: the same key and body within 24 h return the first response' })),
});

/** `{ 4xx/5xx: Problem }` entries for a route's `response`, one per status its codes can produce. */
export function problemResponses(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const s of new Set([...statuses, 401, 429, 500])) {
    const codes = Object.entries(ERRORS).filter(([, v]) => v.status === s).map(([k]) => k);
    out[s] = Type.Unsafe({ $ref: 'Problem#', description: codes.length > 0 ? `Problem: ${codes.join(', ')}` : 'Problem' });
  }
  return out;
}

/** One webhook delivery of a render (GET /v1/renders/{id}/webhooks). */
export const WebhookDeliverySchema = Type.Object({
  id: Type.String({ description: 'the webhook-id header, the same on every try' }),
  event: Type.String({ description: 'render.succeeded, render.failed or render.canceled' }),
  url: Type.String(),
  status: Type.Unsafe<string>({ type: 'string', enum: ['pending', 'delivered', 'failed', 'stopped'], description: 'pending: will be tried (again); delivered: a 2xx came back; failed: given up; stopped: the receiver answered 410' }),
  attempts: Type.Integer({ minimum: 0, description: 'tries made so far' }),
  lastStatusCode: Nullable(Type.Integer({ description: 'HTTP status of the last answer; null when no answer came' })),
  lastError: Nullable(Type.String({ description: 'why the last try failed' })),
  nextAttemptAt: Nullable(Type.String({ format: 'date-time', description: 'when the next try is due, while pending' })),
  createdAt: Type.String({ format: 'date-time' }),
}, { additionalProperties: false });

export type RenderView = Static<typeof RenderSchema>;
export type WebhookDeliveryView = Static<typeof WebhookDeliverySchema>;
export type TemplateView = Static<typeof TemplateSchema>;
export type AssetView = Static<typeof AssetSchema>;
export type ValidationResult = Static<typeof ValidationResultSchema>;
export type ProblemBody = Static<typeof ProblemSchema>;
export type RenderRequest = Static<typeof RenderRequestSchema>;
export type TemplateCreate = Static<typeof TemplateCreateSchema>;
export type TemplateUpdate = Static<typeof TemplateUpdateSchema>;
