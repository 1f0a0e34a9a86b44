import { MontageError } from '../errors/registry.ts';

/** Time limits for one outbound request, in milliseconds. */
export interface FetchTimeouts {
  /** From the first connect until the final response's headers (after redirects) arrive. */
  readonly startTimeoutMs: number;
  /** From the first connect until the last body byte is written. */
  readonly totalTimeoutMs: number;
  /**
   * Once the headers arrived: the longest wait for the next body byte (a server that sends a few
   * bytes and then nothing would otherwise hold the download until totalTimeoutMs). Unset = none.
   */
  readonly stallTimeoutMs?: number;
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
  #stallTimer: NodeJS.Timeout | undefined;
  #received = 0;
  readonly #what: string;
  readonly #stallTimeoutMs: number | undefined;

  constructor(what: string, timeouts: FetchTimeouts, caller?: AbortSignal) {
    this.#caller = caller;
    this.#what = what;
    this.#stallTimeoutMs = timeouts.stallTimeoutMs;
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

  /** The response headers arrived: the overall limit and the stall limit apply from now on. */
  started(): void {
    clearTimeout(this.#startTimer);
    const ms = this.#stallTimeoutMs;
    if (ms === undefined || this.#controller.signal.aborted) return;
    this.#stallTimer = setTimeout(() => this.#controller.abort(new MontageError('MONTAGE_E_FETCH_TIMEOUT',
      `${this.#what} stalled: no byte arrived for ${ms} ms (the download stall limit), after ${this.#received} bytes of the body. `
      + 'The server stopped sending: try again, serve the file from a host that sends it steadily (a CDN or object storage), '
      + 'or ask the operator to raise MONTAGE_DOWNLOAD_STALL_TIMEOUT.')), ms);
  }

  /** `bytes` more of the body arrived: the stall limit starts again. */
  received(bytes: number): void {
    this.#received += bytes;
    this.#stallTimer?.refresh();
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
    clearTimeout(this.#stallTimer);
    this.#caller?.removeEventListener('abort', this.#onCallerAbort);
  }
}
