/**
 * What the job pipeline needs from the SSRF-safe network layer (src/assets/safe-fetch*): fetching
 * a remote asset into a local file, and POSTing a webhook, both refusing private, loopback and
 * metadata addresses (MONTAGE_E_FETCH_FORBIDDEN) unless the operator allowed the host. Defined here
 * so the use cases do not depend on that module's shape; the composition root adapts it.
 */

export interface AssetFetcher {
  /**
   * Downloads `url` (https, or http where allowed) into the file `destination`, within the size and
   * start-time limits the fetcher was built with (MONTAGE_E_ASSET_TOO_LARGE, MONTAGE_E_FETCH_TIMEOUT,
   * MONTAGE_E_FETCH_FAILED, MONTAGE_E_FETCH_REFUSED_BY_SERVER). Leaves no partial file on failure. `SafeFetcher` from
   * src/assets/safe-fetcher.ts satisfies this as it is.
   */
  fetchToFile(url: string, destination: string, opts: { readonly signal?: AbortSignal }): Promise<{ readonly bytes: number }>;
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
