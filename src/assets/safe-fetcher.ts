import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MontageError } from '../errors/registry.ts';
import { FetchDeadline, type FetchTimeouts } from './fetch-deadline.ts';
import { describeUrl, parseFetchableUrl } from './fetchable-url.ts';
import { createGuardedAgents, type GuardedAgents, type GuardOptions } from './guarded-agents.ts';
import { sendRequest } from './send-request.ts';

/** Limits on one download. */
export interface FetchLimits extends FetchTimeouts {
  /** Largest body accepted, in bytes; the download stops as soon as it is exceeded. */
  readonly maxBytes: number;
  /** Redirects followed before giving up; each hop is checked like the first. */
  readonly maxRedirects: number;
}

/** The service's documented limits: 2 GiB per asset, 60 s to start a download, 30 s without a byte, 3 redirects. */
export const DEFAULT_FETCH_LIMITS: FetchLimits = Object.freeze({
  maxBytes: 2 * 1024 ** 3,
  startTimeoutMs: 60_000,
  totalTimeoutMs: 30 * 60_000,
  stallTimeoutMs: 30_000,
  maxRedirects: 3,
});

export interface SafeFetcherOptions extends GuardOptions {
  readonly limits?: Partial<FetchLimits>;
  /** Called with the size of every body chunk received, for a bytes-fetched counter. */
  readonly onBytes?: (bytes: number) => void;
  readonly userAgent?: string;
}

export interface FetchToFileOptions {
  /** Cancels the download; the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Bytes received so far, and the announced total when the server sent Content-Length. */
  readonly onProgress?: (received: number, total: number | null) => void;
}

/** What was downloaded. */
export interface FetchedFile {
  /** The URL the body came from, after redirects. */
  readonly url: string;
  readonly bytes: number;
  /** Hex SHA-256 of the body, computed while streaming. */
  readonly sha256: string;
  readonly contentType: string | null;
  /** The final response's `Cache-Control` and `Expires` headers, for the fetch cache's freshness rules. */
  readonly cacheControl: string | null;
  readonly expires: string | null;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Downloads remote assets for render workers without letting a composition reach anything the
 * worker can reach: only http(s), every connection checked at connect time (see
 * createGuardedAgents), redirects followed by hand so every hop is checked, and size and time
 * limits enforced while streaming to disk.
 */
export class SafeFetcher {
  /** The guarded agents, for other outbound requests (webhooks) that need the same checks. */
  readonly agents: GuardedAgents;
  readonly limits: FetchLimits;
  readonly #onBytes: ((bytes: number) => void) | undefined;
  readonly #userAgent: string;

  constructor(options: SafeFetcherOptions) {
    this.agents = createGuardedAgents(options);
    this.limits = Object.freeze({ ...DEFAULT_FETCH_LIMITS, ...options.limits });
    this.#onBytes = options.onBytes;
    this.#userAgent = options.userAgent ?? 'Montage';
  }

  /**
   * Streams the body of `url` into the file `destination` (created or truncated), never holding
   * it whole in memory. Only a 2xx final response is written. On any failure the partial file is
   * removed and the promise rejects with MONTAGE_E_FETCH_FORBIDDEN, MONTAGE_E_FETCH_FAILED (retryable),
   * MONTAGE_E_FETCH_REFUSED_BY_SERVER (a 4xx that asking again will not change),
   * MONTAGE_E_FETCH_TIMEOUT, MONTAGE_E_ASSET_TOO_LARGE, or the caller's abort reason.
   */
  async fetchToFile(url: string | URL, destination: string, options: FetchToFileOptions = {}): Promise<FetchedFile> {
    const first = parseFetchableUrl(url);
    const what = `Downloading ${describeUrl(first)}`;
    const deadline = new FetchDeadline(what, this.limits, options.signal);
    try {
      const { response, url: final } = await this.#openFollowingRedirects(first, deadline.signal);
      deadline.started();
      const status = response.statusCode ?? 0;
      if (status < 200 || status > 299) {
        response.destroy();
        throw statusError(what, status, response.statusMessage);
      }
      const announced = contentLength(response);
      if (announced !== null && announced > this.limits.maxBytes) {
        response.destroy();
        throw tooLarge(what, this.limits.maxBytes, `the server announced ${announced} bytes`);
      }
      const meter = this.#meter(what, announced, options.onProgress, (n) => deadline.received(n));
      await pipeline(response, meter.stream, createWriteStream(destination), { signal: deadline.signal });
      return {
        url: final.href,
        bytes: meter.bytes(),
        sha256: meter.sha256(),
        contentType: response.headers['content-type'] ?? null,
        cacheControl: response.headers['cache-control'] ?? null,
        expires: response.headers.expires ?? null,
      };
    } catch (error) {
      await rm(destination, { force: true });
      throw deadline.failure(error, what);
    } finally {
      deadline.dispose();
    }
  }

  async #openFollowingRedirects(first: URL, signal: AbortSignal): Promise<{ response: IncomingMessage; url: URL }> {
    let url = first;
    for (let hop = 0; ; hop++) {
      const response = await sendRequest(url, this.agents, {
        headers: { 'user-agent': this.#userAgent, 'accept-encoding': 'identity' },
        signal,
      });
      const location = response.headers.location;
      if (!REDIRECTS.has(response.statusCode ?? 0) || !location) return { response, url };
      // The redirect's own body is never wanted; dropping the socket is cheaper than reading it.
      response.destroy();
      if (hop >= this.limits.maxRedirects) {
        throw new MontageError(
          'MONTAGE_E_FETCH_FAILED',
          `Downloading ${describeUrl(first)} failed: more than ${this.limits.maxRedirects} redirects.`,
        );
      }
      url = parseFetchableUrl(location, url);
    }
  }

  /** A pass-through stream that counts, hashes and enforces the size cap as bytes flow. */
  #meter(what: string, announced: number | null, onProgress: FetchToFileOptions['onProgress'], onChunk: (bytes: number) => void) {
    const hash = createHash('sha256');
    const maxBytes = this.limits.maxBytes;
    const onBytes = this.#onBytes;
    let received = 0;
    const stream = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        onChunk(chunk.length);
        onBytes?.(chunk.length);
        if (received > maxBytes) {
          done(tooLarge(what, maxBytes, `more than ${maxBytes} bytes arrived`));
          return;
        }
        hash.update(chunk);
        onProgress?.(received, announced);
        done(null, chunk);
      },
    });
    return { stream, bytes: () => received, sha256: () => hash.digest('hex') };
  }
}

function tooLarge(what: string, maxBytes: number, detail: string): MontageError {
  return new MontageError('MONTAGE_E_ASSET_TOO_LARGE', `${what} stopped: ${detail}, and the limit is ${maxBytes} bytes.`);
}

function contentLength(response: IncomingMessage): number | null {
  const text = response.headers['content-length'];
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : null;
}

/** Client errors that asking again may cure: a timeout, too early, too many requests. */
const RETRYABLE_4XX = new Set([408, 425, 429]);

/**
 * The error for a final answer that is not 2xx: a client error that asking again will not change
 * (404, 410, 401, 403…) is not retryable, so a render with a wrong URL fails at once instead of
 * after its retries; a 5xx, 408, 425 or 429 is.
 */
const statusError = (what: string, status: number, message: string | undefined): MontageError => {
  const named = message ? `${status} (${message})` : String(status);
  if (status >= 400 && status < 500 && !RETRYABLE_4XX.has(status)) {
    const fix = status === 401 || status === 403 ? 'the file is private: give a public URL, or a signed one that has not expired' : 'check that the URL is right and the file is still there';
    return new MontageError('MONTAGE_E_FETCH_REFUSED_BY_SERVER', `${what} failed: the server answered ${named}; ${fix}.`);
  }
  return new MontageError('MONTAGE_E_FETCH_FAILED', `${what} failed: the server answered ${named}.`);
};
