/**
 * Fault injection for the chaos tests (MONTAGE_FAULT_PAUSE, off by default): a worker holds a
 * render for a while at a named point of its pipeline, so that a test can kill the process exactly
 * there and check that nothing is lost or done twice. The pause changes no behaviour but timing;
 * the test still observes real state (the render's status, the object store) before it kills.
 */
import { Readable, Transform } from 'node:stream';
import type { ObjectStore } from '../ports/object-store.ts';

/** Ms to hold at each point; absent or 0 = no pause (see Config.faultPauseMs). */
export interface FaultPauseOptions {
  /** After the first half of the first chunk of each output went to storage. */
  readonly upload?: number;
  /** After every output is stored, before the render is marked succeeded. */
  readonly afterUpload?: number;
  /** After the render is final, before its webhook is queued. */
  readonly beforeNotify?: number;
}

export const pauseFor = (ms: number | undefined): Promise<void> =>
  (ms ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

/**
 * `objects`, whose `put` stalls each body for `ms` once half of its first chunk has passed: the
 * object is then part-written (a `.part` file of the file store, an S3 upload not yet complete).
 */
export function pausingUploads(objects: ObjectStore, ms: number): ObjectStore {
  return {
    ...objects,
    put(key, body, opts) {
      let first = true;
      const stall = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          if (!first) { cb(null, chunk); return; }
          first = false;
          const half = Math.ceil(chunk.length / 2);
          this.push(chunk.subarray(0, half));
          setTimeout(() => cb(null, chunk.subarray(half)), ms);
        },
      });
      const source = body instanceof Readable ? body : Readable.from(body);
      source.once('error', (e) => stall.destroy(e));
      source.pipe(stall);
      return objects.put(key, stall, opts);
    },
  };
}
