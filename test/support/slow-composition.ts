/**
 * Test support: a composition that is cheap to prepare and slow to render, for time-limit tests:
 * one tiny image scaled up 50 times, turned 45° and blurred by keyframes on a 1080p frame. ffmpeg
 * takes many seconds for each second of it (a 4K version took 311 s on the shared 2-core machine), while
 * fetching and probing it is instant, so a limit of a second or two always stops it mid-render.
 */
export const slowComposition = (src: string, seconds = 2) => ({
  output: { format: 'mp4', width: 1920, height: 1080, fps: 30, quality: 'draft' },
  tracks: [{
    clips: [{
      asset: { type: 'image', src }, start: 0, length: seconds, scale: 50, rotate: 45,
      keyframes: { blur: [{ time: 0, value: 0 }, { time: seconds, value: 40 }] },
    }],
  }],
});
