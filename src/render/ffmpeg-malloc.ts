/**
 * glibc malloc settings for the ffmpeg children (docs/benchmarks.md, "Cold render with the piece
 * cache: fewer page faults", and "Huge pages off again"). Every ffmpeg process first-touches its
 * frame buffers and encoder memory; with these, large buffers (frames up to 64 MiB) come from
 * malloc's heap and are reused there instead of being mapped afresh, and freed heap is kept rather
 * than handed back and faulted in again. Output bytes are unchanged (malloc places memory, it
 * computes nothing).
 *
 * The heap is not put on transparent huge pages (`glibc.malloc.hugetlb=1`) by default any more: on
 * one virtual machine it cut a render's CPU by 3–4 %, on another every huge-page fault was so dear
 * that the same render took 4–12× the system time (ref-a: 1.4–1.6× the wall). An operator whose hosts
 * gain from it sets it in the service's environment.
 *
 * Only glibc reads GLIBC_TUNABLES (musl ignores it); a tunable the operator already set in the
 * service's own environment is left as it is.
 */
export const FFMPEG_MALLOC_TUNABLES: Readonly<Record<string, string>> = {
  // Frames up to 64 MiB (a 4K RGBA frame is 33 MiB) are taken from the heap and reused there.
  'glibc.malloc.mmap_threshold': String(64 * 1024 ** 2),
  // Freed heap is kept up to 256 MiB instead of being handed back and faulted in again.
  'glibc.malloc.trim_threshold': String(256 * 1024 ** 2),
};

/** The environment an ffmpeg child gets: `env` with FFMPEG_MALLOC_TUNABLES added to GLIBC_TUNABLES. */
export const ffmpegEnv = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
  const own = (env.GLIBC_TUNABLES ?? '').split(':').filter(Boolean);
  const set = new Set(own.map((t) => t.split('=')[0]));
  const added = Object.entries(FFMPEG_MALLOC_TUNABLES).filter(([k]) => !set.has(k)).map(([k, v]) => `${k}=${v}`);
  return { ...env, GLIBC_TUNABLES: [...own, ...added].join(':') };
};
