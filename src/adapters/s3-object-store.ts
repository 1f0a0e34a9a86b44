/**
 * ObjectStore on S3 or an S3-compatible service (MinIO, R2, s3rver), with the AWS SDK v3.
 * See src/ports/object-store.ts. Uploads stream through lib-storage (a single PUT for small
 * objects, multipart above `partSizeBytes`), metered on the way: past `maxBytes` the stream stops at
 * once and the multipart upload is aborted, so nothing is stored and the previous object stays.
 * A PUT replaces an object atomically, which gives the port's all-or-nothing promise.
 *
 * Reads serve byte ranges with S3's own `Range`; outputs are handed to clients as short-lived
 * presigned GET URLs (`signedUrl`), so the bytes never pass through the API.
 */
import { createHash } from 'node:crypto';
import { Readable, Transform, pipeline } from 'node:stream';
import {
  DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client, type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { MontageError } from '../errors/registry.ts';
import type { ByteRange, ObjectInfo, ObjectStore, PutOptions } from '../ports/object-store.ts';
import { assertObjectKey } from './file-object-store.ts';

export interface S3ObjectStoreOptions {
  /** `s3://bucket/prefix` (MONTAGE_STORAGE); the prefix is optional. */
  readonly location: string;
  /** S3_ENDPOINT: another S3-compatible service; addressed path-style (`endpoint/bucket/key`), as MinIO wants. */
  readonly endpoint?: string | null;
  /** AWS_REGION (default us-east-1, which MinIO and s3rver accept). */
  readonly region?: string | null;
  /** Explicit keys; absent = the SDK's default chain (AWS_* variables, profiles, instance roles). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string } | null;
  /** Multipart part size in bytes (default 8 MiB; S3's minimum is 5 MiB). */
  readonly partSizeBytes?: number;
  /**
   * Ms to connect, and ms a request may go without any bytes moving (MONTAGE_STORE_TIMEOUT, default
   * 10 s); one retry. A store that silently drops packets then fails a request with a 503 after
   * about twice this, instead of holding it.
   */
  readonly timeoutMs?: number;
}

export interface S3ObjectStore extends ObjectStore {
  readonly bucket: string;
  /**
   * Resolves when the bucket answers a listing of no keys (ListObjectsV2, MaxKeys 0) within
   * `timeoutMs` (default 2 s): for /readyz and start-up checks. It asks what HeadBucket asks (the
   * bucket exists, s3:ListBucket is granted, the region is right) at the same cost whatever the
   * bucket holds: s3rver answers HeadBucket by walking every object, so under load the probes of a
   * few processes kept it past their 1 s bound and every process stayed not ready.
   */
  ping(timeoutMs?: number): Promise<void>;
  /** Closes the HTTP connections. */
  close(): void;
}

/** Splits `s3://bucket/some/prefix` into its bucket and key prefix (no leading or trailing slash). */
export function parseS3Location(location: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(location);
  if (!m) throw new MontageError('MONTAGE_E_CONFIG_INVALID', `Invalid storage location ${JSON.stringify(location)}: expected s3://bucket/prefix.`);
  return { bucket: m[1]!, prefix: m[2]!.replace(/^\/+|\/+$/g, '') };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** A timeout or a socket failure (no HTTP answer at all) → MONTAGE_E_UNAVAILABLE; anything S3 answered is left as it is. */
function unreachableS3(e: unknown): unknown {
  const err = e as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const noAnswer = err?.$metadata?.httpStatusCode === undefined
    && (err?.name === 'TimeoutError' || NETWORK_CODES.has(err?.code ?? '') || /socket hang up|timed out/i.test(err?.message ?? ''));
  return noAnswer ? new MontageError('MONTAGE_E_UNAVAILABLE', 'The object storage (S3) cannot be reached right now; try again shortly.', { cause: e }) : e;
}

const status = (e: unknown): number | undefined => (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
const notFound = (key: string, cause?: unknown) => new MontageError('MONTAGE_E_NOT_FOUND', `No object ${key}.`, { cause });

/**
 * Why a store that answered refuses the ping, in words an operator can act on, or null. By its HTTP
 * status, since a refusal may come without a body (the SDK's own message is then only
 * "UnknownError"). The error is marked
 * `refused`, so start-up and /readyz say the store refuses rather than that it does not answer.
 */
function bucketRefusal(e: unknown, bucket: string, region: string): Error | null {
  const code = status(e);
  let reason: string;
  if (code === 404) reason = `bucket "${bucket}" does not exist: create it, or name an existing one in MONTAGE_STORAGE`;
  else if (code === 403) reason = `access to bucket "${bucket}" is denied (HTTP 403): check the credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the role) and the bucket's policy`;
  else if (code === 301 || code === 400) {
    const headers = (e as { $response?: { headers?: Record<string, string> } }).$response?.headers ?? {};
    const actual = headers['x-amz-bucket-region'];
    if (!actual || actual === region) return null;
    reason = `bucket "${bucket}" is in region ${actual}, not ${region}: set AWS_REGION=${actual}`;
  } else return null;
  return Object.assign(new Error(reason, { cause: e }), { refused: true });
}

export function createS3ObjectStore(opts: S3ObjectStoreOptions): S3ObjectStore {
  const { bucket, prefix } = parseS3Location(opts.location);
  const config: S3ClientConfig = {
    region: opts.region ?? 'us-east-1',
    ...(opts.endpoint ? { endpoint: opts.endpoint, forcePathStyle: true } : {}),
    ...(opts.credentials ? { credentials: { ...opts.credentials } } : {}),
    // Checksums only where S3 requires them: S3-compatible services (older MinIO, s3rver) reject
    // the SDK's default trailing checksums on streamed uploads. Integrity is our own sha256.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { connectionTimeout: Math.min(5_000, opts.timeoutMs ?? 10_000), requestTimeout: opts.timeoutMs ?? 10_000, throwOnRequestTimeout: true },
    maxAttempts: 2,
  };
  const client = new S3Client(config);
  // Every call (lib-storage's uploads too) reports a store it cannot reach as MONTAGE_E_UNAVAILABLE (503, retryable).
  const send = client.send.bind(client) as (...a: unknown[]) => Promise<unknown>;
  (client as unknown as { send: typeof send }).send = (...a) => send(...a).catch((e: unknown) => { throw unreachableS3(e); });
  const partSize = Math.max(5 * 1024 * 1024, opts.partSizeBytes ?? 8 * 1024 * 1024);

  const fullKey = (key: string): string => {
    assertObjectKey(key);
    return prefix ? `${prefix}/${key}` : key;
  };

  const head = async (key: string): Promise<ObjectInfo | null> => {
    try {
      const h = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: fullKey(key) }));
      return { key, size: h.ContentLength ?? 0, modifiedAt: (h.LastModified ?? new Date()).toISOString() };
    } catch (e) {
      if (status(e) === 404) return null;
      throw e;
    }
  };

  return {
    bucket,

    async put(key, body, o: PutOptions = {}) {
      const Key = fullKey(key);
      const hash = createHash('sha256');
      let size = 0;
      let tooLarge: MontageError | null = null;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          size += chunk.length;
          if (o.maxBytes !== undefined && size > o.maxBytes) {
            tooLarge = new MontageError('MONTAGE_E_ASSET_TOO_LARGE', `The object is larger than the limit of ${o.maxBytes} bytes.`);
            cb(tooLarge);
            return;
          }
          hash.update(chunk);
          cb(null, chunk);
        },
      });
      const source = Readable.from(body);
      // Errors surface through the upload below; the pipeline only has to stop pulling the source.
      pipeline(source, meter, () => {});
      const upload = new Upload({
        client, partSize, queueSize: 2, leavePartsOnError: false,
        params: { Bucket: bucket, Key, Body: meter, ContentType: o.contentType ?? 'application/octet-stream' },
      });
      const onAbort = () => { void upload.abort(); meter.destroy(o.signal?.reason as Error); };
      o.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        if (o.signal?.aborted) throw o.signal.reason;
        await upload.done();
      } catch (e) {
        meter.destroy();
        source.destroy();
        throw tooLarge ?? e;
      } finally {
        o.signal?.removeEventListener('abort', onAbort);
      }
      if (tooLarge) throw tooLarge;
      const info = await head(key);
      return { key, size, sha256: hash.digest('hex'), modifiedAt: info?.modifiedAt ?? new Date().toISOString() };
    },

    async get(key, o: { readonly range?: ByteRange } = {}) {
      const info = await head(key);
      if (!info) throw notFound(key);
      const s = info.size;
      const start = o.range?.start ?? 0;
      const end = Math.min(o.range?.end ?? s - 1, s - 1);
      if (!Number.isInteger(start) || start < 0 || (s > 0 && start > end) || (s === 0 && start > 0)) {
        throw new MontageError('MONTAGE_E_INVALID_REQUEST', `Range ${start}-${o.range?.end ?? ''} is outside ${s} bytes.`);
      }
      try {
        const r = await client.send(new GetObjectCommand({
          Bucket: bucket, Key: fullKey(key), ...(o.range && s > 0 ? { Range: `bytes=${start}-${end}` } : {}),
        }));
        const stream = r.Body instanceof Readable ? r.Body : Readable.from([]);
        return { body: stream, size: s, start, end: s === 0 ? -1 : end };
      } catch (e) {
        if (status(e) === 404) throw notFound(key, e);
        throw e;
      }
    },

    stat: head,

    async delete(key) {
      // S3 deletes silently whether or not the object exists; the port wants to know.
      if (!await head(key)) return false;
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: fullKey(key) }));
      return true;
    },

    signedUrl(key, ttlSeconds) {
      return getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: fullKey(key) }), {
        expiresIn: Math.max(1, Math.min(7 * 24 * 3600, Math.trunc(ttlSeconds))),
      });
    },

    async ping(timeoutMs = 2_000) {
      try {
        await client.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 0, ...(prefix ? { Prefix: `${prefix}/` } : {}) }), { abortSignal: AbortSignal.timeout(timeoutMs) });
      } catch (e) {
        throw bucketRefusal(e, bucket, config.region as string) ?? e;
      }
    },

    close() {
      client.destroy();
    },
  };
}
