/**
 * The JobQueue port: carries small versioned messages naming a render, never the render itself
 * (the RenderStore is the truth). Implemented by the embedded SQLite queue (`serve`) and later
 * BullMQ. Delivery is at-least-once: a job whose lease runs out (its worker died) is leased again,
 * so consumers must be idempotent (process-render-job claims its render with a compare-and-set).
 *
 * Consumer protocol: `lease` → work, calling `heartbeat` well within `leaseMs` → exactly one of
 * `ack` (done, success or a final failure recorded elsewhere), `nack` (try again later),
 * `release` (hand back untouched, e.g. on shutdown). A call with a job whose lease was lost is a
 * no-op that returns false.
 */
import type { Priority } from './render-store.ts';

/** The one message kind today. New shapes get a new `v`; consumers reject what they don't know. */
export interface RenderJobMessage {
  readonly kind: 'render';
  readonly v: 1;
  readonly renderId: string;
  readonly tenant: string;
  /** W3C trace context (`traceparent`, `tracestate`) of the request that queued it, when traced. */
  readonly trace?: Readonly<Record<string, string>>;
}

/**
 * One piece of a distributed (chunked) render: a video-only time range (`piece` "0", "1", …) or
 * the whole timeline's sound (`piece` "audio"); see chunk-store.ts. Enqueued with jobId
 * `<renderId>:piece:<piece>`.
 */
export interface RenderPieceMessage {
  readonly kind: 'render-piece';
  readonly v: 1;
  readonly renderId: string;
  readonly tenant: string;
  readonly piece: string;
  readonly trace?: Readonly<Record<string, string>>;
}

/** Joins the finished pieces of a distributed render into its outputs. jobId `<renderId>:join`. */
export interface JoinRenderMessage {
  readonly kind: 'join-render';
  readonly v: 1;
  readonly renderId: string;
  readonly tenant: string;
  readonly trace?: Readonly<Record<string, string>>;
}

export type JobMessage = RenderJobMessage | RenderPieceMessage | JoinRenderMessage;

export interface EnqueueOptions {
  /** high before normal before low; FIFO within a priority. */
  readonly priority: Priority;
  /**
   * Deduplication id; defaults to `message.renderId`. Enqueuing an id that is already waiting or
   * active is a no-op, so a reconciler may re-enqueue safely.
   */
  readonly jobId?: string;
}

export interface LeasedJob {
  readonly id: string;
  readonly message: JobMessage;
  /** Leases so far, this one included: 1 on the first try; > 1 after a crash or a nack. */
  readonly attempts: number;
  /** Identifies this lease; stale calls from an earlier lease of the same job are ignored. */
  readonly token: string;
}

export interface LeaseOptions {
  /** Who holds the lease (host:pid:n), for operators. */
  readonly workerId: string;
  /** How long the lease lasts without a heartbeat, in ms. */
  readonly leaseMs: number;
  /** Wait up to this many ms for a job before returning null (default 0: don't wait). */
  readonly waitMs?: number;
  /** Stops waiting early. */
  readonly signal?: AbortSignal;
}

export interface QueueDepth {
  /** Waiting to be leased (including delayed retries). */
  readonly waiting: number;
  /** Leased and not yet acked (including expired leases not yet taken again). */
  readonly active: number;
  /** Gave up after the last allowed attempt. */
  readonly dead: number;
}

/** Where a job stands (see `JobQueue.inspect`). `waiting` includes delayed retries. */
export type JobState = 'waiting' | 'active' | 'dead';

export interface JobQueue {
  enqueue(message: JobMessage, opts: EnqueueOptions): Promise<{ readonly jobId: string }>;
  /** The next job by priority then age, leased to the caller, or null. */
  lease(opts: LeaseOptions): Promise<LeasedJob | null>;
  /** Extends the lease to now + leaseMs. False when the lease was lost (expired and taken again). */
  heartbeat(job: LeasedJob, leaseMs: number): Promise<boolean>;
  /** The job is finished; it is removed. */
  ack(job: LeasedJob): Promise<boolean>;
  /**
   * The try failed; the job waits `delayMs` (default 0) and is leased again, unless it has used its
   * attempts, in which case it is dead. `error` is kept for operators.
   */
  nack(job: LeasedJob, opts: { readonly error: string; readonly delayMs?: number }): Promise<boolean>;
  /** Hands the job back at once without counting the try (graceful shutdown). */
  release(job: LeasedJob): Promise<boolean>;
  /** Counts for metrics and /readyz. */
  depth(): Promise<QueueDepth>;
  /**
   * Seconds the longest-waiting leasable job has waited for a worker, or 0 when none waits: the
   * `montage_queue_oldest_waiting_seconds` gauge, which alerts when workers are missing or too few.
   * A job waits from when it was enqueued, handed back (`release`, `nack`), or its retry delay
   * ended, or, when its worker died, from the end of that worker's lease. Retries whose delay has
   * not ended do not count: nothing could run them yet.
   */
  oldestWaitingAgeSeconds(): Promise<number>;
  /**
   * Where the job with this id stands, or null when the queue holds none: acked, never queued, or
   * lost with the queue's storage (Redis restarted without persistence). The reconciler compares it
   * with the RenderStore to re-queue what the queue lost.
   */
  inspect(jobId: string): Promise<JobState | null>;
}
