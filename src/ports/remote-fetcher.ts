/**
 * What the job pipeline needs from the SSRF-safe network layer (src/assets/safe-fetch*): fetching
 * a remote asset into a local file, and POSTing a webhook, both refusing private, loopback and
 * metadata addresses (MONTAGE_E_FETCH_FORBIDDEN) unless the operator allowed the host. Defined here
 * so the use cases do not depend on that module's shape; the composition root adapts it.
 */

export interface FetchAssetOptions {
  /** JSON Pointer of the `src`, for error messages. */
  readonly pointer: string;
  readonly signal: AbortSignal;
  /** Refuse bodies larger than this (MONTAGE_E_ASSET_TOO_LARGE). */
  readonly maxBytes: number;
  /** Time allowed until the response headers arrive, in ms (MONTAGE_E_FETCH_TIMEOUT). */
  readonly startTimeoutMs: number;
}

export interface AssetFetcher {
  /** Downloads `url` (https, or http where allowed) and returns the path of a local file holding it. */
  fetchToFile(url: string, opts: FetchAssetOptions): Promise<string>;
}

export interface WebhookPostResult {
  readonly status: number;
}

export interface WebhookPoster {
  /**
   * POSTs `body` to `url` with `headers` through the same address guard as asset fetches. Resolves
   * with the HTTP status of any response (2xx or not); rejects on a refused address, a network
   * error or `timeoutMs`.
   */
  post(url: string, headers: Readonly<Record<string, string>>, body: string, opts: { readonly timeoutMs: number; readonly signal?: AbortSignal }): Promise<WebhookPostResult>;
}
