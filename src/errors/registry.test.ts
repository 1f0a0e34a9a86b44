// Every code's `retryable` flag, checked against what a retry of the SAME request can change. A
// client that obeys the flag retries a retryable error until it succeeds, so a flag that is true
// for a permanent state (a render that already succeeded cannot be canceled by waiting) makes it
// retry forever, and one that is false for a passing state makes it give up too early.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERRORS, type ErrorCode } from './registry.ts';

/** For each code: what a retry with the same request can change, or null when nothing can. */
const WHAT_A_RETRY_CAN_CHANGE: Record<ErrorCode, string | null> = {
  MONTAGE_E_INVALID_COMPOSITION: null, // the same body is invalid again
  MONTAGE_E_MISSING_PLACEHOLDER: null,
  MONTAGE_E_INVALID_JSON: null,
  MONTAGE_E_INVALID_REQUEST: null,
  MONTAGE_E_EDIT_UNSUPPORTED: null, // the same Edit asks for the same unsupported features
  MONTAGE_E_ASSET_UNREADABLE: null, // the same bytes decode the same way
  MONTAGE_E_ASSET_UNSUPPORTED: null,
  MONTAGE_E_ASSET_NOT_FOUND: null, // needs an upload: another request
  MONTAGE_E_ASSET_TOO_LARGE: null,
  MONTAGE_E_FETCH_FORBIDDEN: null, // the policy does not change by waiting
  MONTAGE_E_UNREACHABLE: null, // a name that does not exist, a missing file: found before any download
  MONTAGE_E_FETCH_FAILED: 'the remote host or its DNS may answer next time',
  MONTAGE_E_FETCH_REFUSED_BY_SERVER: null, // a 404, 410 or 403 answers the same URL the same way
  MONTAGE_E_FETCH_TIMEOUT: 'a slow host may answer in time next time',
  MONTAGE_E_LIMIT_EXCEEDED: null,
  MONTAGE_E_FONT_UNREADABLE: null,
  MONTAGE_E_CAPTIONS_UNREADABLE: null,
  MONTAGE_E_FFMPEG_MISSING: null, // needs an operator
  MONTAGE_E_RENDER_FAILED: 'a worker crash or resource shortage may not happen again',
  MONTAGE_E_RENDER_TIMEOUT: null, // the same composition takes the same time again
  MONTAGE_E_RENDER_CANCELED: null,
  MONTAGE_E_UNAUTHORIZED: null,
  MONTAGE_E_FORBIDDEN: null, // a token without the scope gets no scope by waiting
  MONTAGE_E_LINK_INVALID: null, // a changed or expired signature stays so
  MONTAGE_E_NOT_FOUND: null,
  MONTAGE_E_METHOD_NOT_ALLOWED: null, // the route's methods do not change by waiting
  MONTAGE_E_CONFLICT: null, // the object is in a final state (succeeded, failed) or the id is taken
  MONTAGE_E_IN_PROGRESS: 'the request or render in progress finishes',
  MONTAGE_E_IDEMPOTENCY_MISMATCH: null,
  MONTAGE_E_RATE_LIMITED: 'the rate window moves on',
  MONTAGE_E_PAYLOAD_TOO_LARGE: null,
  MONTAGE_E_UNSUPPORTED_MEDIA_TYPE: null,
  MONTAGE_E_RANGE_NOT_SATISFIABLE: null,
  MONTAGE_E_UNAVAILABLE: 'the service or its dependency comes back',
  MONTAGE_E_CONFIG_INVALID: null,
  MONTAGE_E_INTERNAL: 'a passing fault may not recur',
};

test('every error code is retryable exactly when a retry of the same request can change the answer', () => {
  for (const [code, spec] of Object.entries(ERRORS) as [ErrorCode, (typeof ERRORS)[ErrorCode]][]) {
    assert.ok(code in WHAT_A_RETRY_CAN_CHANGE, `${code} needs an entry saying what a retry can change`);
    assert.equal(spec.retryable, WHAT_A_RETRY_CAN_CHANGE[code] !== null, `${code}: retryable is ${spec.retryable}, but a retry can change: ${WHAT_A_RETRY_CAN_CHANGE[code] ?? 'nothing'}`);
  }
});

test('a permanent 409 (MONTAGE_E_CONFLICT) is not retryable, a passing one (MONTAGE_E_IN_PROGRESS) is', () => {
  assert.deepEqual([ERRORS.MONTAGE_E_CONFLICT.status, ERRORS.MONTAGE_E_CONFLICT.retryable], [409, false]);
  assert.deepEqual([ERRORS.MONTAGE_E_IN_PROGRESS.status, ERRORS.MONTAGE_E_IN_PROGRESS.retryable], [409, true]);
});
