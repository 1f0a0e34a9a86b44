/**
 * The one registry of Montage's error codes. Every error the product reports carries one of these
 * stable codes; only the HTTP layer maps them to responses (by `status`), and nothing branches on
 * message text. docs/errors.md lists the same codes, and a test holds the two together.
 */
export interface ErrorSpec {
  /** HTTP status the API answers with. */
  readonly status: number;
  /** Whether the same request may succeed if simply tried again later. */
  readonly retryable: boolean;
  /** Short human title (RFC 9457 `title`). */
  readonly title: string;
}

export const ERRORS = {
  MONTAGE_E_INVALID_COMPOSITION: { status: 422, retryable: false, title: 'The composition is invalid' },
  MONTAGE_E_MISSING_PLACEHOLDER: { status: 422, retryable: false, title: 'A placeholder has no value' },
  MONTAGE_E_INVALID_JSON: { status: 400, retryable: false, title: 'The body is not valid JSON' },
  MONTAGE_E_INVALID_REQUEST: { status: 400, retryable: false, title: 'The request is invalid' },
  MONTAGE_E_EDIT_UNSUPPORTED: { status: 400, retryable: false, title: 'The Shotstack Edit uses what Montage cannot render' },
  MONTAGE_E_ASSET_UNREADABLE: { status: 422, retryable: false, title: 'An asset could not be read' },
  MONTAGE_E_ASSET_UNSUPPORTED: { status: 422, retryable: false, title: 'An asset has an unsupported format' },
  MONTAGE_E_ASSET_NOT_FOUND: { status: 404, retryable: false, title: 'An asset was not found' },
  MONTAGE_E_ASSET_TOO_LARGE: { status: 413, retryable: false, title: 'An asset is too large' },
  MONTAGE_E_FETCH_FORBIDDEN: { status: 422, retryable: false, title: 'The address may not be fetched' },
  MONTAGE_E_UNREACHABLE: { status: 422, retryable: false, title: 'A source or webhook cannot be reached' },
  MONTAGE_E_FETCH_FAILED: { status: 502, retryable: true, title: 'An asset could not be downloaded' },
  MONTAGE_E_FETCH_REFUSED_BY_SERVER: { status: 422, retryable: false, title: 'The asset\'s server refused it' },
  MONTAGE_E_FETCH_TIMEOUT: { status: 504, retryable: true, title: 'An asset download timed out' },
  MONTAGE_E_LIMIT_EXCEEDED: { status: 422, retryable: false, title: 'A limit was exceeded' },
  MONTAGE_E_FONT_UNREADABLE: { status: 422, retryable: false, title: 'A font could not be loaded' },
  MONTAGE_E_CAPTIONS_UNREADABLE: { status: 422, retryable: false, title: 'A captions file could not be parsed' },
  MONTAGE_E_FFMPEG_MISSING: { status: 500, retryable: false, title: 'ffmpeg is not installed' },
  MONTAGE_E_RENDER_FAILED: { status: 500, retryable: true, title: 'The render failed' },
  MONTAGE_E_RENDER_TIMEOUT: { status: 422, retryable: false, title: 'The render ran past its time limit' },
  MONTAGE_E_RENDER_CANCELED: { status: 409, retryable: false, title: 'The render was canceled' },
  MONTAGE_E_UNAUTHORIZED: { status: 401, retryable: false, title: 'A valid API key is required' },
  MONTAGE_E_FORBIDDEN: { status: 403, retryable: false, title: 'The credential lacks a needed scope' },
  MONTAGE_E_LINK_INVALID: { status: 403, retryable: false, title: 'The signed link is invalid or expired' },
  MONTAGE_E_NOT_FOUND: { status: 404, retryable: false, title: 'Not found' },
  MONTAGE_E_METHOD_NOT_ALLOWED: { status: 405, retryable: false, title: 'The route does not answer this method' },
  MONTAGE_E_CONFLICT: { status: 409, retryable: false, title: 'The request conflicts with the current state' },
  MONTAGE_E_IN_PROGRESS: { status: 409, retryable: true, title: 'The object is still changing' },
  MONTAGE_E_IDEMPOTENCY_MISMATCH: { status: 422, retryable: false, title: 'The Idempotency-Key was used with another body' },
  MONTAGE_E_RATE_LIMITED: { status: 429, retryable: true, title: 'Too many requests' },
  MONTAGE_E_PAYLOAD_TOO_LARGE: { status: 413, retryable: false, title: 'The request body is too large' },
  MONTAGE_E_UNSUPPORTED_MEDIA_TYPE: { status: 415, retryable: false, title: 'The body has an unsupported Content-Type' },
  MONTAGE_E_RANGE_NOT_SATISFIABLE: { status: 416, retryable: false, title: 'The requested byte range is not satisfiable' },
  MONTAGE_E_UNAVAILABLE: { status: 503, retryable: true, title: 'The service is not ready' },
  MONTAGE_E_CONFIG_INVALID: { status: 500, retryable: false, title: 'The configuration is invalid' },
  MONTAGE_E_INTERNAL: { status: 500, retryable: true, title: 'Internal error' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** One problem with one field: a JSON Pointer into the input and a sentence a person can act on. */
export interface FieldProblem {
  readonly pointer: string;
  readonly detail: string;
}

/** The only error type Montage throws on purpose. */
export class MontageError extends Error {
  readonly code: ErrorCode;
  readonly problems: readonly FieldProblem[];
  override readonly cause?: unknown;

  constructor(code: ErrorCode, message: string, opts: { problems?: readonly FieldProblem[]; cause?: unknown } = {}) {
    super(message);
    this.name = 'MontageError';
    this.code = code;
    this.problems = opts.problems ?? [];
    this.cause = opts.cause;
  }

  get status(): number {
    return ERRORS[this.code].status;
  }

  get retryable(): boolean {
    return ERRORS[this.code].retryable;
  }
}

export const isMontageError = (e: unknown): e is MontageError => e instanceof MontageError;
