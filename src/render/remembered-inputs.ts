/**
 * Probes, keyframe lists and content hashes of local input files answered from an InputMemo
 * (src/ports/input-memo.ts) where the same file was met before: an edited composition rendered
 * again over `--cache DIR` starts its pieces without ffprobe (ref-b's edit: five probes and a
 * keyframe list, ≈ 0.25 s before the first piece on two cores; docs/benchmarks.md).
 *
 * A file's identity is its path, device, inode, size, and modification and change times in
 * nanoseconds, under a scope: the engine's version, MEMO_FORMAT and the ffprobe binary's own
 * identity, since the facts are ffprobe's answers as this engine reads them. Any write to a file
 * changes its change time, which no call can set back, so a file rewritten in place, or replaced,
 * is probed and hashed again. A write within the same clock tick as the stat that named it could
 * leave the times as they were: facts are kept only for files unchanged for SETTLED_MS before they
 * were read (as git does for its index). Files in the render's own folder (downloads, drawn
 * pictures) are never kept: their paths are new each render.
 */
import { realpathSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { MediaInfo } from '../assets/media-info.ts';
import type { SourceSpan } from '../assets/probe-keyframes.ts';
import type { InputFacts, InputMemo } from '../ports/input-memo.ts';
import { fileIdentity, type HashFile } from './content-hashes.ts';
import type { ReadKeyframes } from './source-keyframes.ts';

/**
 * Bump when what is kept changes, or how probe-media.ts or probe-keyframes.ts read ffprobe's answer
 * (their MediaInfo or keyframe list for the same file): older entries are then never met.
 */
export const MEMO_FORMAT = 1;
/** A file must have been left alone this long before its facts are kept. */
export const SETTLED_MS = 1000;

export interface RememberedInputs {
  /** `run` probes the file; its answer is kept for the next render. */
  readonly probe: (path: string, run: () => Promise<MediaInfo>) => Promise<MediaInfo>;
  readonly readKeyframes: (read: ReadKeyframes) => ReadKeyframes;
  readonly hashFile: (hash: HashFile) => HashFile;
}

/** The executable that `cmd` runs (PATH searched as a shell would), by its real path, size and mtime. */
const binaryIdentity = (cmd: string): string => {
  const candidates = cmd.includes('/') ? [cmd] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, cmd));
  for (const c of candidates) {
    try {
      const real = realpathSync(c);
      const s = statSync(real, { bigint: true });
      if (s.isFile()) return `${real}\0${s.size}\0${s.mtimeNs}`;
    } catch { /* not here */ }
  }
  return cmd;
};

export interface RememberOptions {
  readonly engineVersion: string;
  readonly ffprobePath: string;
  /** The render's own folder: nothing in it is kept. */
  readonly workDir: string;
  /** Default SETTLED_MS. */
  readonly settledMs?: number;
}

const isObject = (v: unknown): v is Record<string, never> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether span `s` lies within the span `k` read over. */
const within = (s: SourceSpan, k: readonly [number, number | null]): boolean =>
  k[0] <= s.from && (k[1] === null || (s.to !== undefined && s.to <= k[1]));

export const rememberInputs = (memo: InputMemo, o: RememberOptions): RememberedInputs => {
  const scope = `${MEMO_FORMAT}\0${o.engineVersion}\0${binaryIdentity(o.ffprobePath)}`;
  const own = o.workDir.endsWith('/') ? o.workDir : `${o.workDir}/`;
  /** The file's identity, and whether its facts may be kept; undefined for files never kept. */
  const identify = async (path: string): Promise<{ id: string; keep: boolean } | undefined> => {
    if (path.startsWith(own)) return undefined;
    try {
      const s = await stat(path, { bigint: true });
      if (!s.isFile()) return undefined;
      const changed = s.ctimeNs > s.mtimeNs ? s.ctimeNs : s.mtimeNs;
      return { id: `${scope}\0${fileIdentity(path, s)}`, keep: BigInt(Date.now() - (o.settledMs ?? SETTLED_MS)) * 1_000_000n > changed };
    } catch {
      return undefined;
    }
  };
  /** The fact `pick` finds for the file, or `run`'s answer, kept as `keep` makes it. */
  const remembered = async <T>(path: string, pick: (f: InputFacts) => T | undefined, run: () => Promise<T>, keep: (v: T) => InputFacts): Promise<T> => {
    const who = await identify(path);
    const known = who && memo.get(who.id);
    const hit = known ? pick(known) : undefined;
    if (hit !== undefined) return hit;
    const value = await run();
    if (who?.keep) memo.put(who.id, keep(value));
    return value;
  };
  return {
    // What is read back is checked for its shape: a damaged DIR/inputs.json costs a probe, never the render.
    probe: (path, run) => remembered(path, (f) => (isObject(f.media) && f.media.path === path && typeof f.media.container === 'string' ? f.media : undefined), run, (media) => ({ media })),
    // Keyframes are kept with the spans they were read over: a later render's spans that lie within
    // them are answered from the list (it holds the keyframe at or before each of their instants,
    // all that seekLead looks for); others are read, and added to what is kept.
    readKeyframes: (read) => async (path, spans) => {
      const who = await identify(path);
      const kept = who && memo.get(who.id)?.keyframes;
      const known = isObject(kept) && Array.isArray(kept.spans) && kept.spans.every((k) => Array.isArray(k) && Number.isFinite(k[0]) && (k[1] === null || Number.isFinite(k[1])))
        && Array.isArray(kept.at) && kept.at.every(Number.isFinite) ? kept : undefined;
      if (known && spans.every((s) => known.spans.some((k) => within(s, k)))) return known.at;
      const list = await read(path, spans);
      if (who?.keep && list) {
        const at = [...new Set([...(known?.at ?? []), ...list])].sort((a, b) => a - b);
        memo.put(who.id, { keyframes: { spans: [...(known?.spans ?? []), ...spans.map((s) => [s.from, s.to ?? null] as const)], at } });
      }
      return list;
    },
    hashFile: (hash) => (path) => remembered(path, (f) => (typeof f.sha256 === 'string' && /^[0-9a-f]{64}$/.test(f.sha256) ? f.sha256 : undefined), () => hash(path), (sha256) => ({ sha256 })),
  };
};
