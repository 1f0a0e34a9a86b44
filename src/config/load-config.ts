/**
 * Montage's configuration: read from the environment once, at start-up, into a frozen typed object
 * that the composition roots hand to whatever needs it. Nothing else reads `process.env`.
 * An invalid value stops start-up with one MONTAGE_E_CONFIG_INVALID listing every bad variable.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { MontageError, type FieldProblem } from '../errors/registry.ts';
import { parseAllowList } from '../assets/allow-list.ts';
import { BULLMQ_PREFIX } from './deploy-constants.ts';
import { checkIssuerUrl, DEFAULT_TENANT_CLAIM, parseClaimName, parseIssuerList, type OAuthIssuer } from './oauth-config.ts';
import { DEFAULT_RENDER_TIMEOUT, parseRenderTimeLimit } from './render-time-limit.ts';
import type { RenderTimeLimit } from '../ports/render-engine.ts';
import { Invalid, parseBoolean, parseBytes, parseDurationMs, parseInteger, parseNumber, parseUrl } from './parse-env.ts';

export interface Limits {
  /** Seconds of rendered output (MONTAGE_MAX_DURATION, default 600). */
  readonly maxDurationSeconds: number;
  /**
   * The frame's longer side, in pixels (MONTAGE_MAX_LONG_SIDE 3840), and its area (MONTAGE_MAX_PIXELS
   * 8 294 400 = 3840×2160): landscape and portrait are limited alike, so vertical 4K (2160×3840) passes.
   */
  readonly maxLongSide: number;
  readonly maxPixels: number;
  /** Frames per second (MONTAGE_MAX_FPS, 60). */
  readonly maxFps: number;
  /** Distinct asset sources per composition (MONTAGE_MAX_ASSETS, 200). */
  readonly maxAssets: number;
  /** Bytes per asset, downloaded or uploaded (MONTAGE_MAX_ASSET_BYTES, 2 GiB). */
  readonly maxAssetBytes: number;
  /** Ms until a download's response starts (MONTAGE_DOWNLOAD_TIMEOUT, 60 s). */
  readonly downloadStartTimeoutMs: number;
  /** Ms a download may go without a body byte once its headers arrived (MONTAGE_DOWNLOAD_STALL_TIMEOUT, 30 s). */
  readonly downloadStallTimeoutMs: number;
  /** Bytes of a JSON request body, uploads excepted (MONTAGE_MAX_BODY, 1 MiB). */
  readonly maxBodyBytes: number;
  /** Requests per minute per API key (MONTAGE_RATE_LIMIT, 300); 0 turns the limit off. */
  readonly requestsPerMinute: number;
}

/** Ms a worker pauses at each fault-injection point (Config.faultPauseMs); 0 = no pause. */
export interface FaultPauses {
  readonly upload: number;
  readonly afterUpload: number;
  readonly beforeNotify: number;
}

const FAULT_POINTS: Readonly<Record<string, keyof FaultPauses>> = { upload: 'upload', 'after-upload': 'afterUpload', 'before-notify': 'beforeNotify' };
const NO_FAULT_PAUSES: FaultPauses = { upload: 0, afterUpload: 0, beforeNotify: 0 };

/** `upload=20s,after-upload=500ms`: each point at most once, durations as parseDurationMs takes them. */
function parseFaultPauses(s: string): FaultPauses | Invalid {
  const out: Record<keyof FaultPauses, number> = { ...NO_FAULT_PAUSES };
  const expected = `expected point=duration pairs separated by commas, points ${Object.keys(FAULT_POINTS).join(', ')}`;
  for (const part of s.split(',').map((x) => x.trim()).filter(Boolean)) {
    const m = /^([a-z-]+)=(.+)$/.exec(part);
    const point = m ? FAULT_POINTS[m[1]!] : undefined;
    if (!m || !point) return new Invalid(expected);
    const ms = parseDurationMs(m[2]!, 0, 3600_000);
    if (ms instanceof Invalid) return new Invalid(`${m[1]}: ${ms.expected}`);
    out[point] = ms;
  }
  return out;
}

/**
 * HTTPS for `serve` and `api`: MONTAGE_TLS_CERT and MONTAGE_TLS_KEY (PEM files). With
 * MONTAGE_TLS_CLIENT_CA every connection must present a client certificate signed by that CA
 * (refused at the handshake otherwise, health endpoints included); its subject CN, or a name
 * MONTAGE_TLS_CLIENT_TENANTS maps, is the caller's tenant.
 */
export interface TlsConfig {
  /** Absolute paths. */
  readonly certFile: string;
  readonly keyFile: string;
  /** null = HTTPS without client certificates. */
  readonly clientCaFile: string | null;
  /** Certificate name (subject CN or DNS SAN) → tenant name; names not listed: the CN is the tenant. */
  readonly clientTenants: Readonly<Record<string, string>>;
}

export interface Config {
  readonly port: number;
  readonly host: string;
  /** Absolute. */
  readonly dataDir: string;
  /** `postgres://…`, or null for SQLite in the data dir. */
  readonly databaseUrl: string | null;
  /** `redis://…`, or null for the embedded queue. */
  readonly redisUrl: string | null;
  /** `s3://bucket/prefix`, or null for files in the data dir. */
  readonly storage: string | null;
  /**
   * S3_ENDPOINT: an S3-compatible service (MinIO, R2, …) instead of AWS, addressed path-style;
   * null = AWS. Credentials come from the AWS SDK's own chain (AWS_ACCESS_KEY_ID and
   * AWS_SECRET_ACCESS_KEY, profiles, instance roles), which the SDK reads itself.
   */
  readonly s3Endpoint: string | null;
  /** AWS_REGION (or AWS_DEFAULT_REGION) of the bucket; null = us-east-1, which MinIO accepts too. */
  readonly awsRegion: string | null;
  /** Base URL clients reach the API at (output links, docs); null = derived from each request. */
  readonly publicUrl: string | null;
  /**
   * MONTAGE_URL_SECRET (at least 32 characters): the HMAC key of the Shotstack-compatible API's
   * signed output links, which download without an API key (src/shotstack/signed-output-links.ts).
   * null: `serve` makes one and keeps it in `paths.urlSecret`; `api` and `worker` then sign no
   * links (give both the same secret to have them).
   */
  readonly urlSecret: string | null;
  readonly workerConcurrency: number;
  /**
   * How long one render (one piece of a distributed render) may run once its sources are fetched
   * (MONTAGE_RENDER_TIMEOUT, default 5m+20x: 5 minutes plus 20 s per second of output); null = no
   * limit. Past it the render fails with MONTAGE_E_RENDER_TIMEOUT (src/render/render-deadline.ts).
   */
  readonly renderTimeLimit: RenderTimeLimit | null;
  /** Ms a stopping worker lets its current renders finish before aborting them (MONTAGE_SHUTDOWN_GRACE, 30 s). */
  readonly shutdownGraceMs: number;
  /**
   * Renders (mp4, webm) longer than this many seconds are split into pieces of about this length
   * that any workers render in parallel, then joined (MONTAGE_CHUNK_SECONDS, 30; 0 = never split).
   * `serve` splits only when it runs more than one render at a time (MONTAGE_WORKER_CONCURRENCY).
   */
  readonly chunkSeconds: number;
  /** OTLP/HTTP endpoint for traces (OTEL_EXPORTER_OTLP_ENDPOINT); null = tracing off. */
  readonly otlpEndpoint: string | null;
  /**
   * Ms a worker's hold on a job lasts without a heartbeat (MONTAGE_JOB_LEASE, 30 s): after a crash
   * (kill -9) the render is taken up again this long after its last heartbeat.
   */
  readonly jobLeaseMs: number;
  /** Destinations remote fetches and webhooks may reach even if private, as written (syntax: src/assets/allow-list.ts). */
  readonly allowHosts: readonly string[];
  readonly ffmpegPath: string;
  readonly ffprobePath: string;
  /**
   * Bytes of downloaded asset bodies kept under `paths.fetchCache` so a URL many renders use is
   * fetched once (MONTAGE_FETCH_CACHE_BYTES, 5 GiB; 0 = no cache). Least recently used go first.
   */
  readonly fetchCacheBytes: number;
  /**
   * Reuse identical pieces (time ranges of mp4/webm video, 4 s at 1080p30) across renders of a tenant
   * (MONTAGE_PIECE_CACHE, on by default: a cold render with an empty cache costs what a plain one does, docs/benchmarks.md). Bounded by MONTAGE_PIECE_CACHE_MAX_BYTES (10 GiB, 0 = no bound) and
   * MONTAGE_PIECE_CACHE_MAX_AGE (7 days unused, 0 = no bound), least recently used first; pieces
   * of MONTAGE_PIECE_SECONDS (0 = by output size: 4 s for 1080p30, longer for smaller, at most 60 s).
   */
  readonly pieceCache: { readonly enabled: boolean; readonly maxBytes: number; readonly maxAgeMs: number; readonly pieceSeconds: number };
  /**
   * Ms before the second try of a failed webhook delivery (MONTAGE_WEBHOOK_RETRY_BASE, 10 s); each
   * later delay doubles, with jitter, up to 6 h.
   */
  readonly webhookRetryBaseMs: number;
  /**
   * Prefix of every Redis key and channel of the scale-out roles (MONTAGE_REDIS_PREFIX, default
   * `montage`: the KEDA trigger counts `montage:montage-jobs:*`). Several deployments, or test runs,
   * can share one Redis with a prefix each.
   */
  readonly redisPrefix: string;
  /**
   * Threads each ffmpeg encode may use (MONTAGE_FFMPEG_THREADS; 0, the default, lets ffmpeg choose,
   * about one per core). Set it to the worker's CPU share when several workers share a machine.
   */
  readonly ffmpegThreads: number;
  /** Ms between reconciler passes in `montage worker` (MONTAGE_RECONCILE_INTERVAL, 30 s). */
  readonly reconcileIntervalMs: number;
  /** Apply database migrations at start-up (MONTAGE_AUTO_MIGRATE, default true). */
  readonly autoMigrate: boolean;
  /**
   * Fault injection for the chaos tests (MONTAGE_FAULT_PAUSE, e.g. `upload=20s,after-upload=20s`;
   * unset, the default: all 0, nothing paused). A worker holds each render this many ms at the
   * point, so that a test can kill it there: `upload` after the first bytes of the output went to
   * storage, `afterUpload` once the outputs are stored and before the render is marked final,
   * `beforeNotify` once it is final and before its webhook is queued. Never set it in production.
   */
  readonly faultPauseMs: FaultPauses;
  readonly limits: Limits;
  /**
   * OAuth 2.0 issuers whose JWT access tokens /v1 accepts beside API keys (MONTAGE_OAUTH_ISSUER,
   * _AUDIENCE, _TENANT_CLAIM, or MONTAGE_OAUTH_ISSUERS for several); empty = API keys only.
   */
  readonly oauthIssuers: readonly OAuthIssuer[];
  /**
   * Ms between two JWKS downloads of one issuer (MONTAGE_OAUTH_JWKS_COOLDOWN, 30 s): a token with
   * an unknown `kid` refetches the keys at most this often, so garbage tokens cannot hammer the issuer.
   */
  readonly oauthJwksCooldownMs: number;
  /**
   * Ms one call to a shared store may take before it fails with a 503 (MONTAGE_STORE_TIMEOUT, 10 s):
   * a PostgreSQL statement (server statement_timeout and the client's read timeout; connecting and
   * idle-in-transaction are bounded by it too), a Redis command of the request path, an S3 request
   * (connect and socket inactivity). A network that silently drops packets then fails requests
   * fast instead of hanging them.
   */
  readonly storeTimeoutMs: number;
  /**
   * Ms after a distributed render ends before the pieces it left in storage (a worker killed
   * before its clean-up, a late piece job) are swept (MONTAGE_PIECE_RETENTION, 10 min).
   */
  readonly pieceRetentionMs: number;
  /** HTTPS and mutual TLS of `serve` and `api` (MONTAGE_TLS_*); null = plain HTTP. See TlsConfig. */
  readonly tls: TlsConfig | null;
  /** Files in the data dir the embedded mode uses. */
  readonly paths: {
    readonly sqlite: string;
    readonly objects: string;
    readonly work: string;
    /** The fetch cache (src/assets/fetch-cache.ts). */
    readonly fetchCache: string;
    /** `serve`'s URL-signing secret when MONTAGE_URL_SECRET is not set. */
    readonly urlSecret: string;
  };
}

/** Every variable this function reads, for `--help` and docs. */
export const CONFIG_VARIABLES = [
  'MONTAGE_PORT', 'MONTAGE_HOST', 'MONTAGE_DATA_DIR', 'DATABASE_URL', 'REDIS_URL', 'MONTAGE_STORAGE', 'S3_ENDPOINT', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'MONTAGE_PUBLIC_URL', 'MONTAGE_URL_SECRET',
  'MONTAGE_WORKER_CONCURRENCY', 'MONTAGE_CHUNK_SECONDS', 'MONTAGE_RENDER_TIMEOUT', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'MONTAGE_SHUTDOWN_GRACE', 'MONTAGE_JOB_LEASE', 'MONTAGE_ALLOW_HOSTS', 'MONTAGE_FFMPEG', 'MONTAGE_FFPROBE',
  'MONTAGE_FETCH_CACHE_BYTES', 'MONTAGE_PIECE_CACHE', 'MONTAGE_PIECE_CACHE_MAX_BYTES', 'MONTAGE_PIECE_CACHE_MAX_AGE', 'MONTAGE_PIECE_SECONDS', 'MONTAGE_WEBHOOK_RETRY_BASE', 'MONTAGE_REDIS_PREFIX', 'MONTAGE_RECONCILE_INTERVAL', 'MONTAGE_FFMPEG_THREADS',
  'MONTAGE_AUTO_MIGRATE', 'MONTAGE_FAULT_PAUSE', 'MONTAGE_MAX_DURATION', 'MONTAGE_MAX_LONG_SIDE', 'MONTAGE_MAX_PIXELS', 'MONTAGE_MAX_FPS',
  'MONTAGE_MAX_ASSETS', 'MONTAGE_MAX_ASSET_BYTES', 'MONTAGE_DOWNLOAD_TIMEOUT', 'MONTAGE_DOWNLOAD_STALL_TIMEOUT', 'MONTAGE_MAX_BODY', 'MONTAGE_RATE_LIMIT',
  'MONTAGE_TLS_CERT', 'MONTAGE_TLS_KEY', 'MONTAGE_TLS_CLIENT_CA', 'MONTAGE_TLS_CLIENT_TENANTS',
  'MONTAGE_STORE_TIMEOUT', 'MONTAGE_PIECE_RETENTION', 'MONTAGE_OAUTH_ISSUER', 'MONTAGE_OAUTH_AUDIENCE', 'MONTAGE_OAUTH_TENANT_CLAIM', 'MONTAGE_OAUTH_ISSUERS', 'MONTAGE_OAUTH_JWKS_COOLDOWN',
] as const;

export type ConfigVariable = (typeof CONFIG_VARIABLES)[number];

/**
 * Parses `env` (normally `process.env`), with `overrides` (the CLI's `--flag` twins, keyed by
 * variable name) taking precedence. `cwd` resolves a relative data dir.
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  overrides: Partial<Record<ConfigVariable, string>> = {},
  cwd: string = process.cwd(),
): Config {
  const problems: FieldProblem[] = [];
  const raw = (name: ConfigVariable): string | undefined => {
    const v = overrides[name] ?? env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const field = <T>(name: ConfigVariable, fallback: T, parse: (s: string) => T | Invalid): T => {
    const v = raw(name);
    if (v === undefined) return fallback;
    const r = parse(v);
    if (r instanceof Invalid) {
      problems.push({ pointer: `/${name}`, detail: `${name}=${JSON.stringify(v)}: ${r.expected}` });
      return fallback;
    }
    return r;
  };
  const text = (name: ConfigVariable, fallback: string | null): string | null => raw(name) ?? fallback;
  const url = (name: ConfigVariable, schemes: readonly string[]): string | null =>
    field<string | null>(name, null, (s) => parseUrl(s, schemes));

  const dataDirRaw = text('MONTAGE_DATA_DIR', './.montage')!;
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);
  const GiB = 1024 ** 3;
  const allowHosts = field<readonly string[]>('MONTAGE_ALLOW_HOSTS', [], (s) => {
    const r = parseAllowList(s);
    return r.ok ? r.allowList.entries : new Invalid(r.problems.join('; '));
  });

  /** One issuer from the three MONTAGE_OAUTH_* variables, or several from MONTAGE_OAUTH_ISSUERS (not both). */
  function oauthIssuers(): readonly OAuthIssuer[] {
    const single = field<string | null>('MONTAGE_OAUTH_ISSUER', null, (s) => checkIssuerUrl(s, allowHosts));
    const audience = text('MONTAGE_OAUTH_AUDIENCE', null);
    const tenantClaim = field('MONTAGE_OAUTH_TENANT_CLAIM', DEFAULT_TENANT_CLAIM, parseClaimName);
    const many = field<readonly OAuthIssuer[]>('MONTAGE_OAUTH_ISSUERS', [], (s) => parseIssuerList(s, allowHosts));
    const problem = (name: ConfigVariable, detail: string) => problems.push({ pointer: `/${name}`, detail: `${name}: ${detail}` });
    if (raw('MONTAGE_OAUTH_ISSUERS') !== undefined && raw('MONTAGE_OAUTH_ISSUER') !== undefined) {
      problem('MONTAGE_OAUTH_ISSUERS', 'set either MONTAGE_OAUTH_ISSUER (one issuer) or MONTAGE_OAUTH_ISSUERS (a list), not both');
    }
    if (raw('MONTAGE_OAUTH_ISSUER') !== undefined && audience === null) problem('MONTAGE_OAUTH_AUDIENCE', 'required with MONTAGE_OAUTH_ISSUER: the aud value tokens for Montage carry');
    if (raw('MONTAGE_OAUTH_ISSUER') === undefined && (audience !== null || raw('MONTAGE_OAUTH_TENANT_CLAIM') !== undefined)) {
      problem('MONTAGE_OAUTH_ISSUER', 'MONTAGE_OAUTH_AUDIENCE and MONTAGE_OAUTH_TENANT_CLAIM need MONTAGE_OAUTH_ISSUER (or put them in MONTAGE_OAUTH_ISSUERS)');
    }
    if (single !== null && audience !== null) return [{ issuer: single, audience, tenantClaim }];
    return many;
  }

  /** MONTAGE_TLS_CERT and _KEY together; _CLIENT_CA and _CLIENT_TENANTS only with them. Files are read at listen time. */
  function tlsConfig(): TlsConfig | null {
    const cert = text('MONTAGE_TLS_CERT', null);
    const key = text('MONTAGE_TLS_KEY', null);
    const clientCa = text('MONTAGE_TLS_CLIENT_CA', null);
    const clientTenants = field<Readonly<Record<string, string>>>('MONTAGE_TLS_CLIENT_TENANTS', {}, parseClientTenants);
    const problem = (name: ConfigVariable, detail: string) => problems.push({ pointer: `/${name}`, detail: `${name}: ${detail}` });
    if ((cert === null) !== (key === null)) problem(cert === null ? 'MONTAGE_TLS_CERT' : 'MONTAGE_TLS_KEY', 'MONTAGE_TLS_CERT and MONTAGE_TLS_KEY go together (the PEM certificate chain and its private key)');
    if (cert === null && clientCa !== null) problem('MONTAGE_TLS_CLIENT_CA', 'client certificates need HTTPS: set MONTAGE_TLS_CERT and MONTAGE_TLS_KEY too');
    if (clientCa === null && raw('MONTAGE_TLS_CLIENT_TENANTS') !== undefined) problem('MONTAGE_TLS_CLIENT_TENANTS', 'maps client certificate names, so it needs MONTAGE_TLS_CLIENT_CA');
    if (cert === null || key === null) return null;
    const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
    return { certFile: abs(cert), keyFile: abs(key), clientCaFile: clientCa === null ? null : abs(clientCa), clientTenants };
  }

  const config: Config = {
    port: field('MONTAGE_PORT', 8080, (s) => parseInteger(s, 0, 65535)),
    host: text('MONTAGE_HOST', '0.0.0.0')!,
    dataDir,
    databaseUrl: url('DATABASE_URL', ['postgres:', 'postgresql:']),
    redisUrl: url('REDIS_URL', ['redis:', 'rediss:']),
    storage: field<string | null>('MONTAGE_STORAGE', null, (s) =>
      (/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(s) ? s : new Invalid('expected s3://bucket/prefix'))),
    s3Endpoint: field<string | null>('S3_ENDPOINT', null, (s) => {
      const r = parseUrl(s, ['http:', 'https:']);
      return r instanceof Invalid ? r : r.replace(/\/+$/, '');
    }),
    awsRegion: field<string | null>('AWS_REGION', field<string | null>('AWS_DEFAULT_REGION', null, parseRegion), parseRegion),
    publicUrl: field<string | null>('MONTAGE_PUBLIC_URL', null, (s) => {
      const r = parseUrl(s, ['http:', 'https:']);
      return r instanceof Invalid ? r : r.replace(/\/+$/, '');
    }),
    urlSecret: field<string | null>('MONTAGE_URL_SECRET', null, (s) => (s.length >= 32 ? s : new Invalid('expected at least 32 characters (e.g. openssl rand -hex 32)'))),
    workerConcurrency: field('MONTAGE_WORKER_CONCURRENCY', 1, (s) => parseInteger(s, 0, 256)),
    renderTimeLimit: field('MONTAGE_RENDER_TIMEOUT', parseRenderTimeLimit(DEFAULT_RENDER_TIMEOUT, 'MONTAGE_RENDER_TIMEOUT') as RenderTimeLimit, (s) => parseRenderTimeLimit(s, 'MONTAGE_RENDER_TIMEOUT')),
    chunkSeconds: field('MONTAGE_CHUNK_SECONDS', 30, (s) => parseNumber(s, 0, 86400)),
    otlpEndpoint: url('OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']),
    shutdownGraceMs: field('MONTAGE_SHUTDOWN_GRACE', 30_000, (s) => parseDurationMs(s, 0, 24 * 3600_000)),
    jobLeaseMs: field('MONTAGE_JOB_LEASE', 30_000, (s) => parseDurationMs(s, 300, 3600_000)),
    allowHosts,
    ffmpegPath: text('MONTAGE_FFMPEG', 'ffmpeg')!,
    ffprobePath: text('MONTAGE_FFPROBE', 'ffprobe')!,
    fetchCacheBytes: field('MONTAGE_FETCH_CACHE_BYTES', 5 * GiB, (s) => parseBytes(s, 0, 1024 ** 5)),
    pieceCache: {
      // Off by default until a cached render is faster than a plain one (docs/benchmarks.md, piece cache).
      enabled: field('MONTAGE_PIECE_CACHE', true, parseBoolean),
      maxBytes: field('MONTAGE_PIECE_CACHE_MAX_BYTES', 10 * GiB, (s) => parseBytes(s, 0, 1024 ** 5)),
      pieceSeconds: field('MONTAGE_PIECE_SECONDS', 0, (s) => parseNumber(s, 0, 3600)),
      maxAgeMs: field('MONTAGE_PIECE_CACHE_MAX_AGE', 7 * 24 * 3600_000, (s) => parseDurationMs(s, 0, 3650 * 24 * 3600_000)),
    },
    webhookRetryBaseMs: field('MONTAGE_WEBHOOK_RETRY_BASE', 10_000, (s) => parseDurationMs(s, 1, 24 * 3600_000)),
    redisPrefix: field('MONTAGE_REDIS_PREFIX', BULLMQ_PREFIX, (s) =>
      (/^[A-Za-z0-9_.-]{1,64}$/.test(s) ? s : new Invalid('expected 1-64 letters, digits, "_", "." or "-"'))),
    ffmpegThreads: field('MONTAGE_FFMPEG_THREADS', 0, (s) => parseInteger(s, 0, 256)),
    reconcileIntervalMs: field('MONTAGE_RECONCILE_INTERVAL', 30_000, (s) => parseDurationMs(s, 100, 3600_000)),
    autoMigrate: field('MONTAGE_AUTO_MIGRATE', true, parseBoolean),
    faultPauseMs: field('MONTAGE_FAULT_PAUSE', NO_FAULT_PAUSES, parseFaultPauses),
    limits: {
      maxDurationSeconds: field('MONTAGE_MAX_DURATION', 600, (s) => parseNumber(s, 0.001, 86_400)),
      maxLongSide: field('MONTAGE_MAX_LONG_SIDE', 3840, (s) => parseInteger(s, 16, 16_384)),
      maxPixels: field('MONTAGE_MAX_PIXELS', 3840 * 2160, (s) => parseInteger(s, 256, 16_384 * 16_384)),
      maxFps: field('MONTAGE_MAX_FPS', 60, (s) => parseNumber(s, 1, 240)),
      maxAssets: field('MONTAGE_MAX_ASSETS', 200, (s) => parseInteger(s, 1, 100_000)),
      maxAssetBytes: field('MONTAGE_MAX_ASSET_BYTES', 2 * GiB, (s) => parseBytes(s, 1, 1024 * GiB)),
      downloadStartTimeoutMs: field('MONTAGE_DOWNLOAD_TIMEOUT', 60_000, (s) => parseDurationMs(s, 1, 3600_000)),
      downloadStallTimeoutMs: field('MONTAGE_DOWNLOAD_STALL_TIMEOUT', 30_000, (s) => parseDurationMs(s, 100, 3600_000)),
      maxBodyBytes: field('MONTAGE_MAX_BODY', 1024 ** 2, (s) => parseBytes(s, 1024, GiB)),
      requestsPerMinute: field('MONTAGE_RATE_LIMIT', 300, (s) => parseInteger(s, 0, 1_000_000)),
    },
    tls: tlsConfig(),
    pieceRetentionMs: field('MONTAGE_PIECE_RETENTION', 10 * 60_000, (s) => parseDurationMs(s, 0, 7 * 24 * 3600_000)),
    storeTimeoutMs: field('MONTAGE_STORE_TIMEOUT', 10_000, (s) => parseDurationMs(s, 100, 600_000)),
    oauthIssuers: oauthIssuers(),
    oauthJwksCooldownMs: field('MONTAGE_OAUTH_JWKS_COOLDOWN', 30_000, (s) => parseDurationMs(s, 0, 24 * 3600_000)),
    paths: { sqlite: join(dataDir, 'montage.db'), objects: join(dataDir, 'objects'), work: join(dataDir, 'work'), fetchCache: join(dataDir, 'cache'), urlSecret: join(dataDir, 'url-secret') },
  };

  // Retired variables would otherwise be ignored without a word, and the operator's limit lost.
  for (const [old, now] of [['MONTAGE_MAX_WIDTH', 'MONTAGE_MAX_LONG_SIDE and MONTAGE_MAX_PIXELS'], ['MONTAGE_MAX_HEIGHT', 'MONTAGE_MAX_LONG_SIDE and MONTAGE_MAX_PIXELS']] as const) {
    if (env[old] !== undefined && env[old]!.trim() !== '') problems.push({ pointer: `/${old}`, detail: `${old} is no longer read: frames are limited by ${now}, the same for landscape and portrait. Set those instead.` });
  }
  if (problems.length > 0) {
    throw new MontageError('MONTAGE_E_CONFIG_INVALID',
      `Invalid configuration:\n${problems.map((p) => `  - ${p.detail}`).join('\n')}`, { problems });
  }
  return deepFreeze(config);
}

/** MONTAGE_TLS_CLIENT_TENANTS: `{"CN or DNS SAN": "tenant name", …}`. */
function parseClientTenants(s: string): Readonly<Record<string, string>> | Invalid {
  const expected = new Invalid('expected a JSON object from certificate name (subject CN or DNS SAN) to tenant name, e.g. {"billing.internal": "acme"}');
  let v: unknown;
  try { v = JSON.parse(s); } catch { return expected; }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return expected;
  for (const [name, tenant] of Object.entries(v)) {
    if (typeof tenant !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(tenant)) {
      return new Invalid(`${JSON.stringify(name)}: expected a tenant name (1–100 letters, digits, ".", "_" or "-")`);
    }
  }
  return v as Record<string, string>;
}

const parseRegion = (s: string): string | Invalid => (/^[a-z0-9-]{2,32}$/.test(s) ? s : new Invalid('expected a region such as eu-west-1'));

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
