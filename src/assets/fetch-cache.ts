/**
 * A content-addressed cache in front of the safe fetcher, so a URL that many renders use is
 * downloaded once (issue 3). On disk, under `dir` (MONTAGE_DATA_DIR/cache):
 *
 *   entries/<sha256 of the normalized URL>.json   which blob a URL gave, and until when it is fresh
 *   blobs/<sha256 of the bytes>                    the content, read-only, shared by equal bodies
 *   tmp/                                           downloads in progress (emptied at start)
 *
 * - Concurrent requests for one URL share one download (single flight); the download is aborted
 *   only when every caller waiting for it has given up.
 * - Total blob bytes stay under `maxBytes`: the least recently used URLs are dropped first (an
 *   entry file's mtime is its last use, so the order survives a restart), and a blob goes when no
 *   URL refers to it any more. A body larger than the whole budget is passed through, not stored.
 * - Responses are stored only where HTTP allows a shared cache to reuse them (http-freshness.ts):
 *   `no-store`, `private`, `no-cache` and expired responses are fetched every time; a stale entry
 *   is fetched again (no conditional requests).
 * - Callers get a hard link to the blob at their destination (a copy across file systems), so a
 *   render keeps its file even if the blob is evicted meanwhile. Blobs are read-only (0444) so a
 *   caller cannot change the cached bytes through its link.
 *
 * Only real downloads go through the fetcher, so its byte counter (montage_fetched_bytes_total)
 * counts network bytes, never cache hits. Every check of the safe fetcher still applies to each
 * download; a URL is never served from the cache without having been fetched through it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { chmod, copyFile, link, mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FetchedFile } from './safe-fetcher.ts';
import { responseFreshness } from './http-freshness.ts';

/** The part of SafeFetcher the cache downloads through. */
export interface CacheableFetcher {
  fetchToFile(url: string, destination: string, opts: { readonly signal?: AbortSignal }): Promise<FetchedFile>;
}

export interface FetchCacheOptions {
  readonly dir: string;
  /** Upper bound of the stored bodies together, in bytes (MONTAGE_FETCH_CACHE_BYTES). */
  readonly maxBytes: number;
  readonly fetcher: CacheableFetcher;
  readonly clock?: () => number;
}

/** How a request was answered: from the cache, by a download it stored, or by one it did not store. */
export type CacheOutcome = 'hit' | 'stored' | 'not-stored';

interface Entry {
  readonly sha256: string;
  readonly bytes: number;
  /** ms since the epoch; null = no expiry given. */
  readonly freshUntil: number | null;
}

interface Downloaded {
  readonly path: string;
  readonly bytes: number;
  /** A body that is not kept: removed once the last waiter has its copy. */
  readonly temporary: boolean;
  readonly outcome: CacheOutcome;
}

interface Flight {
  readonly promise: Promise<Downloaded>;
  readonly abort: AbortController;
  waiters: number;
  settled: Downloaded | null;
}

const KEY_FILE = /^([0-9a-f]{64})\.json$/;

export class FetchCache {
  readonly #dir: string;
  readonly #maxBytes: number;
  readonly #fetcher: CacheableFetcher;
  readonly #clock: () => number;
  /** By URL key, least recently used first (a Map keeps insertion order; a use re-inserts). */
  readonly #entries = new Map<string, Entry>();
  /** Blob sha256 → how many entries refer to it. */
  readonly #blobRefs = new Map<string, number>();
  readonly #flights = new Map<string, Flight>();
  #bytes = 0;

  private constructor(o: FetchCacheOptions) {
    this.#dir = o.dir;
    this.#maxBytes = o.maxBytes;
    this.#fetcher = o.fetcher;
    this.#clock = o.clock ?? Date.now;
  }

  /** Opens (or creates) the cache in `dir`, reloading what an earlier process stored there. */
  static async open(o: FetchCacheOptions): Promise<FetchCache> {
    const cache = new FetchCache(o);
    await cache.#load();
    return cache;
  }

  /** Bytes of the stored bodies, and the URLs that have one. */
  get size(): { readonly bytes: number; readonly entries: number } {
    return { bytes: this.#bytes, entries: this.#entries.size };
  }

  /**
   * Puts the body of `url` at `destination` (like SafeFetcher#fetchToFile, with the same errors),
   * from the cache when it holds a fresh copy, else by downloading it, once for all concurrent
   * callers. `signal` gives up this caller's wait.
   */
  async fetchToFile(url: string, destination: string, opts: { readonly signal?: AbortSignal } = {}): Promise<{ readonly bytes: number; readonly outcome: CacheOutcome }> {
    const key = urlKey(url);
    if (key === null) return { ...(await this.#fetcher.fetchToFile(url, destination, opts)), outcome: 'not-stored' };
    // A blob evicted between finding it and linking it: try once more, which downloads it again.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#fetchOnce(key, url, destination, opts.signal);
      } catch (e) {
        if (attempt > 0 || (e as NodeJS.ErrnoException).code !== 'ENOENT' || !(e as { cacheBlob?: boolean }).cacheBlob) throw e;
      }
    }
  }

  async #fetchOnce(key: string, url: string, destination: string, signal: AbortSignal | undefined) {
    signal?.throwIfAborted();
    const entry = this.#entries.get(key);
    if (entry && (entry.freshUntil === null || entry.freshUntil > this.#clock())) {
      this.#touch(key, entry);
      await placeAt(this.#blobPath(entry.sha256), destination);
      return { bytes: entry.bytes, outcome: 'hit' as const };
    }
    let flight = this.#flights.get(key);
    if (!flight) {
      flight = this.#startFlight(key, url);
      this.#flights.set(key, flight);
    }
    return this.#wait(flight, destination, signal);
  }

  #startFlight(key: string, url: string): Flight {
    const abort = new AbortController();
    const flight: Flight = { abort, waiters: 0, settled: null, promise: this.#download(key, url, abort.signal) };
    void flight.promise.then((d) => {
      flight.settled = d;
      if (d.temporary && flight.waiters === 0) void rm(d.path, { force: true });
    }, () => {}).finally(() => {
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    });
    return flight;
  }

  async #wait(flight: Flight, destination: string, signal: AbortSignal | undefined) {
    flight.waiters++;
    try {
      const d = await untilAborted(flight.promise, signal);
      await placeAt(d.path, destination);
      return { bytes: d.bytes, outcome: d.outcome };
    } finally {
      if (--flight.waiters === 0) {
        if (!flight.settled) flight.abort.abort(new Error('every caller waiting for this download gave up'));
        else if (flight.settled.temporary) void rm(flight.settled.path, { force: true });
      }
    }
  }

  async #download(key: string, url: string, signal: AbortSignal): Promise<Downloaded> {
    const tmp = join(this.#dir, 'tmp', randomUUID());
    const got = await this.#fetcher.fetchToFile(url, tmp, { signal });
    const freshness = responseFreshness(got, this.#clock());
    if (freshness === 'no-store' || got.bytes > this.#maxBytes) {
      return { path: tmp, bytes: got.bytes, temporary: true, outcome: 'not-stored' };
    }
    const blob = this.#blobPath(got.sha256);
    if (this.#blobRefs.has(got.sha256)) await rm(tmp, { force: true });
    else {
      await chmod(tmp, 0o444);
      await rename(tmp, blob);
    }
    const entry: Entry = { sha256: got.sha256, bytes: got.bytes, freshUntil: freshness };
    this.#remember(key, entry);
    await writeAtomically(this.#entryPath(key), JSON.stringify(entry), join(this.#dir, 'tmp'));
    await this.#evict(key);
    return { path: blob, bytes: got.bytes, temporary: false, outcome: 'stored' };
  }

  /** Adds or replaces the entry of `key` as the most recently used. */
  #remember(key: string, entry: Entry): void {
    const old = this.#entries.get(key);
    if (old) this.#forget(key, old, old.sha256 !== entry.sha256);
    this.#entries.set(key, entry);
    const refs = this.#blobRefs.get(entry.sha256) ?? 0;
    if (refs === 0) this.#bytes += entry.bytes;
    this.#blobRefs.set(entry.sha256, refs + 1);
  }

  /** Drops `key` from the index; removes its blob from disk when nothing else uses it and `removeBlob`. */
  #forget(key: string, entry: Entry, removeBlob = true): void {
    this.#entries.delete(key);
    const refs = (this.#blobRefs.get(entry.sha256) ?? 1) - 1;
    if (refs > 0) { this.#blobRefs.set(entry.sha256, refs); return; }
    this.#blobRefs.delete(entry.sha256);
    this.#bytes -= entry.bytes;
    if (removeBlob) void rm(this.#blobPath(entry.sha256), { force: true });
  }

  /** Removes least recently used entries (never `keep`) until the blobs fit in maxBytes. */
  async #evict(keep: string): Promise<void> {
    const gone: string[] = [];
    for (const [key, entry] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      if (key === keep) continue;
      this.#forget(key, entry);
      gone.push(key);
    }
    await Promise.all(gone.map((key) => rm(this.#entryPath(key), { force: true })));
  }

  #touch(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    const now = new Date(this.#clock());
    void utimes(this.#entryPath(key), now, now).catch(() => {});
  }

  async #load(): Promise<void> {
    for (const sub of ['entries', 'blobs']) await mkdir(join(this.#dir, sub), { recursive: true });
    await rm(join(this.#dir, 'tmp'), { recursive: true, force: true });
    await mkdir(join(this.#dir, 'tmp'), { recursive: true });
    const found: { key: string; entry: Entry; usedAt: number }[] = [];
    for (const name of await readdir(join(this.#dir, 'entries'))) {
      const key = KEY_FILE.exec(name)?.[1];
      const path = join(this.#dir, 'entries', name);
      try {
        if (!key) throw new Error('not an entry');
        const entry = JSON.parse(await readFile(path, 'utf8')) as Entry;
        if (!/^[0-9a-f]{64}$/.test(entry.sha256) || (await stat(this.#blobPath(entry.sha256))).size !== entry.bytes) throw new Error('blob missing');
        found.push({ key, entry, usedAt: (await stat(path)).mtimeMs });
      } catch {
        await rm(path, { force: true });
      }
    }
    found.sort((a, b) => a.usedAt - b.usedAt);
    for (const f of found) this.#remember(f.key, f.entry);
    for (const name of await readdir(join(this.#dir, 'blobs'))) {
      if (!this.#blobRefs.has(name)) await rm(join(this.#dir, 'blobs', name), { force: true });
    }
    await this.#evict('');
  }

  #blobPath(sha256: string): string { return join(this.#dir, 'blobs', sha256); }
  #entryPath(key: string): string { return join(this.#dir, 'entries', `${key}.json`); }
}

/**
 * The cache key of a URL: sha256 of its WHATWG serialization (scheme and host lowercased, default
 * port dropped, percent-encoding normalized), without the fragment, which never reaches the
 * server. Null for what is not a URL (the fetcher refuses it with the right error).
 */
export function urlKey(url: string): string | null {
  let u: URL;
  try { u = new URL(url); } catch { return null; }
  u.hash = '';
  return createHash('sha256').update(u.href).digest('hex');
}

/** Hard-links `from` to `to` (replacing `to`), copying where a link is impossible (another file system). */
async function placeAt(from: string, to: string): Promise<void> {
  await rm(to, { force: true });
  try {
    await link(from, to);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw Object.assign(e as Error, { cacheBlob: true });
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK') throw e;
    await copyFile(from, to);
  }
}

async function writeAtomically(path: string, text: string, tmpDir: string): Promise<void> {
  const tmp = join(tmpDir, `${randomUUID()}.json`);
  await writeFile(tmp, text);
  await rename(tmp, path);
}

/** `promise`, or the abort reason of `signal` as soon as it aborts (the work itself goes on). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
