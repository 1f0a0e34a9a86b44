/**
 * The ChunkStore port: the state of a distributed (chunked) render. A long render is split into
 * video-only time ranges ("parts") plus one "audio" piece for the whole timeline; any workers
 * render the pieces, and the one that completes the last piece queues the join. The RenderStore
 * stays the truth about the render itself; this holds only the pieces, and is removed after the join.
 *
 * Conventions as in render-store.ts: async methods, every query scoped by tenant, another tenant's
 * plan is `null`.
 */

/** `"0"`, `"1"`, … for video parts (timeline order), `"audio"` for the whole timeline's sound. */
export type PieceId = string;
export const AUDIO_PIECE: PieceId = 'audio';

export interface NewPiece {
  readonly piece: PieceId;
  /** Timeline seconds of a part (the audio piece covers the whole timeline: start 0). */
  readonly start: number;
  readonly length: number;
  /** Frames of a part; the audio piece's weight in the aggregate progress. */
  readonly frames: number;
}

export interface PieceRecord extends NewPiece {
  readonly done: boolean;
  /** 0–1, never decreases; 1 once done. */
  readonly progress: number;
  /** ObjectStore key of the finished piece, once done. */
  readonly key: string | null;
  /**
   * Whether the piece came from the piece cache (true) or was rendered (false), once done; null
   * while not done or when the piece cache was not used.
   */
  readonly reused: boolean | null;
}

export interface ChunkPlan {
  readonly tenant: string;
  readonly renderId: string;
  /** Parts in timeline order, then the audio piece. */
  readonly pieces: readonly PieceRecord[];
}

export interface ChunkStore {
  /**
   * Records the pieces of a render. Idempotent: if a plan exists already (a coordinator that died
   * after planning is re-run), it is kept as it is and returned, so finished pieces stay finished.
   */
  createPlan(tenant: string, renderId: string, pieces: readonly NewPiece[]): Promise<ChunkPlan>;
  get(tenant: string, renderId: string): Promise<ChunkPlan | null>;
  /**
   * Raises one piece's progress (never lowers it) and returns the plan's aggregate 0–1: the
   * pieces' progress weighted by their frames. `null` when there is no such plan or piece.
   */
  setProgress(tenant: string, renderId: string, piece: PieceId, fraction: number): Promise<number | null>;
  /**
   * Marks a piece done with the key of its file and, when the piece cache was used, whether the
   * piece was reused from it. Idempotent: the first completion's key and `reused` are kept. Returns
   * how many pieces are still not done (0 means: queue the join), or `null` when there is no such
   * plan or piece.
   */
  complete(tenant: string, renderId: string, piece: PieceId, key: string, reused?: boolean): Promise<number | null>;
  /** Removes the plan (after the join, or when the render ends otherwise). True if one existed. */
  remove(tenant: string, renderId: string): Promise<boolean>;
  /**
   * The renders that have a plan, of every tenant, at most `limit` (1–1000), by render id:
   * housekeeping for the orphan sweep (src/jobs/sweep-orphan-pieces.ts), never exposed.
   */
  listPlans(limit: number): Promise<readonly { readonly tenant: string; readonly renderId: string }[]>;
}
