import { MontageError } from '../errors/registry.ts';

/** Time limits for one outbound request, in milliseconds. */
export interface FetchTimeouts {
  /** From the first connect until the final response's headers (after redirects) arrive. */
  readonly startTimeoutMs: number;
  /** From the first connect until the last body byte is written. */
  readonly totalTimeoutMs: number;
}

/**
 * One AbortSignal that fires on the caller's cancel or on either time limit, remembering which,
 * so a failure can be reported as what it was: the caller's own abort reason, a
 * MONTAGE_E_FETCH_TIMEOUT, or the underlying error.
 */
export class FetchDeadline {
  readonly #controller = new AbortController();
  readonly #caller: AbortSignal | undefined;
  readonly #onCallerAbort = () => this.#controller.abort(this.#caller?.reason);
  readonly #startTimer: NodeJS.Timeout;
  readonly #totalTimer: NodeJS.Timeout;

  constructor(what: string, timeouts: FetchTimeouts, caller?: AbortSignal) {
    this.#caller = caller;
    if (caller?.aborted) this.#onCallerAbort();
    else caller?.addEventListener('abort', this.#onCallerAbort, { once: true });
    const timeout = (message: string) => () =>
      this.#controller.abort(new MontageError('MONTAGE_E_FETCH_TIMEOUT', message));
    this.#startTimer = setTimeout(
      timeout(`${what} did not start within ${timeouts.startTimeoutMs} ms (connecting and receiving the response headers).`),
      timeouts.startTimeoutMs,
    );
    this.#totalTimer = setTimeout(
      timeout(`${what} did not finish within ${timeouts.totalTimeoutMs} ms.`),
      timeouts.totalTimeoutMs,
    );
  }

  /** Fires when the request must stop; pass it to every socket and stream involved. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The response headers arrived: only the overall limit applies from now on. */
  started(): void {
    clearTimeout(this.#startTimer);
  }

  /**
   * What to throw for `error`: the abort reason if the deadline or the caller stopped the request
   * (the caller gets its own reason back, so a render cancel stays a cancel), a MontageError as
   * is, anything else as MONTAGE_E_FETCH_FAILED.
   */
  failure(error: unknown, what: string): unknown {
    if (this.#controller.signal.aborted) return this.#controller.signal.reason;
    if (error instanceof MontageError) return error;
    const detail = error instanceof Error ? error.message : String(error);
    return new MontageError('MONTAGE_E_FETCH_FAILED', `${what} failed: ${detail}`, { cause: error });
  }

  dispose(): void {
    clearTimeout(this.#startTimer);
    clearTimeout(this.#totalTimer);
    this.#caller?.removeEventListener('abort', this.#onCallerAbort);
  }
}
