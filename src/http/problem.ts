/**
 * The one place errors become HTTP responses: RFC 9457 `application/problem+json` with `type`,
 * `title`, `status`, `detail`, the stable `code` from src/errors/registry.ts and, for validation
 * failures, `errors: [{pointer, detail}]`. The status always comes from the registry by code.
 *
 * Fastify's own errors (unparsable JSON, a body over the limit, schema validation of query and
 * path parameters) are translated to registry codes here too, so a client sees one shape.
 */
import { pointerToken } from '../composition/json-pointer.ts';
import type { FastifyError } from 'fastify';
import { ERRORS, MontageError, isMontageError, type ErrorCode, type FieldProblem } from '../errors/registry.ts';

/** Base of every problem `type` URI; the fragment is the code (documented in docs/errors.md). */
export const PROBLEM_TYPE_BASE = 'https://montage.dev/errors#';

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly errors?: readonly FieldProblem[];
  /** The request id (also in the x-request-id header and every log line of the request). */
  readonly requestId?: string;
}

export function toProblem(e: MontageError, requestId?: string): Problem {
  const spec = ERRORS[e.code];
  return {
    type: `${PROBLEM_TYPE_BASE}${e.code}`, title: spec.title, status: spec.status, detail: e.message, code: e.code,
    retryable: spec.retryable,
    ...(e.problems.length > 0 ? { errors: e.problems } : {}),
    ...(requestId ? { requestId } : {}),
  };
}

interface AjvError {
  readonly instancePath?: string;
  readonly keyword?: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
  /** With Ajv's `verbose` (request-validation.ts): the schema holding the failed keyword. */
  readonly parentSchema?: { readonly properties?: Record<string, unknown> };
  /** With `verbose`: the value that failed. */
  readonly data?: unknown;
}


/**
 * Ajv errors (Fastify's `error.validation`) as field problems. The pointer is relative to the
 * request part (`/limit` for `?limit=`, `/name` for a body field), as in the use cases' own errors.
 */
export function validationProblems(errors: readonly AjvError[], part: string | undefined): FieldProblem[] {
  const repeated = new Set<string>();
  return errors.flatMap((err) => {
    let pointer = err.instancePath ?? '';
    let detail = err.message ?? 'Invalid value.';
    if (part === 'querystring' && Array.isArray(err.data) && pointer !== '') {
      // `?status=a&status=b`: one problem saying so, rather than "Must be string" and an enum list.
      if (repeated.has(pointer)) return [];
      repeated.add(pointer);
      return [{ pointer, detail: `Given ${err.data.length} times: give ${pointer.slice(1)} once.` }];
    }
    if (err.keyword === 'additionalProperties' && typeof err.params?.additionalProperty === 'string') {
      pointer += `/${pointerToken(err.params.additionalProperty)}`;
      const known = Object.keys(err.parentSchema?.properties ?? {});
      const noun = part === 'querystring' ? 'parameter' : 'property';
      detail = `Unknown ${noun} "${err.params.additionalProperty}": remove it`
        + (known.length > 0 ? ` (this route takes ${known.join(', ')}).` : ` (this route takes no ${noun === 'parameter' ? 'query parameters' : 'properties'}).`);
    } else if (err.keyword === 'required' && typeof err.params?.missingProperty === 'string') {
      pointer += `/${pointerToken(err.params.missingProperty)}`;
      detail = 'Required.';
    } else if (err.keyword === 'enum' && Array.isArray(err.params?.allowedValues)) {
      detail = `Must be one of ${(err.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}.`;
    } else {
      detail = `${detail.charAt(0).toUpperCase()}${detail.slice(1)}.`;
    }
    return [{ pointer, detail }];
  });
}

const PART_NAMES: Readonly<Record<string, string>> = {
  body: 'The body is', querystring: 'The query parameters are', params: 'The path parameters are', headers: 'The headers are',
};

/**
 * Any error a route or hook threw, as a MontageError. Errors that are not ours and carry no
 * client status (bugs, a dead database) become MONTAGE_E_INTERNAL with the original as `cause`.
 */
export function asMontageError(e: unknown, context: { maxBodyBytes?: number } = {}): MontageError {
  if (isMontageError(e)) return e;
  const fe = e as Partial<FastifyError> & { validation?: AjvError[]; validationContext?: string };
  if (Array.isArray(fe.validation)) {
    const problems = validationProblems(fe.validation, fe.validationContext);
    const where = PART_NAMES[fe.validationContext ?? 'body'] ?? 'The request is';
    return new MontageError('MONTAGE_E_INVALID_REQUEST',
      `${where} invalid: ${problems.map((p) => `${p.pointer || '/'} ${p.detail}`).join('; ')}`, { problems, cause: e });
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new MontageError('MONTAGE_E_PAYLOAD_TOO_LARGE', context.maxBodyBytes
        ? `The request body is larger than this service accepts for JSON requests (${formatBytes(context.maxBodyBytes)}): send a smaller body, or upload media with POST /v1/assets and refer to it by URL.`
        : 'The request body is larger than this service accepts for JSON requests.', { cause: e });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new MontageError('MONTAGE_E_INVALID_JSON', 'The body is not valid JSON.', { cause: e });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new MontageError('MONTAGE_E_UNSUPPORTED_MEDIA_TYPE', 'Unsupported Content-Type: send the body as JSON with Content-Type: application/json.', {
        problems: [{ pointer: '', detail: 'Set the header Content-Type: application/json.' }], cause: e,
      });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new MontageError('MONTAGE_E_INVALID_REQUEST', 'The Content-Length does not match the body.', { cause: e });
    default:
      break;
  }
  if (e instanceof SyntaxError && fe.statusCode === 400) {
    return new MontageError('MONTAGE_E_INVALID_JSON', `The body is not valid JSON: ${e.message}`, { cause: e });
  }
  if (fe.statusCode === 404) return new MontageError('MONTAGE_E_NOT_FOUND', 'No such route.', { cause: e });
  if (fe.statusCode === 413) return new MontageError('MONTAGE_E_PAYLOAD_TOO_LARGE', 'The request body is too large.', { cause: e });
  if (fe.statusCode === 429) return new MontageError('MONTAGE_E_RATE_LIMITED', 'Too many requests.', { cause: e });
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new MontageError('MONTAGE_E_INVALID_REQUEST', fe.message ?? 'The request is invalid.', { cause: e });
  }
  return new MontageError('MONTAGE_E_INTERNAL', 'Something went wrong on our side; try again.', { cause: e });
}

/** 1048576 → "1 MiB (1048576 bytes)"; whole KiB/MiB only, bytes otherwise. */
function formatBytes(n: number): string {
  if (n % 1024 ** 2 === 0) return `${n / 1024 ** 2} MiB (${n} bytes)`;
  if (n % 1024 === 0) return `${n / 1024} KiB (${n} bytes)`;
  return `${n} bytes`;
}
