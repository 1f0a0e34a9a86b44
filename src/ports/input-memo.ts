/**
 * The InputMemo port: what renders learned of local input files (the probe, the keyframes of the
 * spans a render read, the SHA-256 that keys cached pieces), kept by each file's identity, so that
 * rendering the same files again starts without ffprobe and without reading every byte again
 * (src/render/remembered-inputs.ts makes the identities and decides what may be kept).
 *
 * `montage render --cache DIR` keeps one beside its pieces (DIR/inputs.json,
 * src/adapters/file-input-memo.ts). The service keeps none: its sources are fetched anew for each
 * render, into a folder of the render's own.
 */
import type { MediaInfo } from '../assets/media-info.ts';

export interface InputFacts {
  readonly media?: MediaInfo;
  /**
   * The keyframe instants read so far (probe-keyframes.ts), ascending, and the source spans they
   * were read over ([from, to], to null for the file's end): each read lists every keyframe of its
   * span and the one at or before its start.
   */
  readonly keyframes?: { readonly spans: readonly (readonly [number, number | null])[]; readonly at: readonly number[] };
  /** Hex SHA-256 of the file's bytes. */
  readonly sha256?: string;
}

export interface InputMemo {
  /** What is known of the file with this identity. */
  get(identity: string): InputFacts | undefined;
  /** Adds facts to the identity's entry (each fact given replaces the one kept). */
  put(identity: string, facts: InputFacts): void;
}
