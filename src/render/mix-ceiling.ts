/**
 * The mix's ceiling. Sounds are added at their own levels (amix without normalization), so
 * several loud ones together can pass full scale: a WAV clipped them hard (three −5.5 dBFS tones
 * together had 17 % of their samples flattened at full scale) and an AAC or Opus file held peaks
 * above it that players clip. A look-ahead limiter at 0 dBFS takes only what would clip: a mix
 * that stays within full scale passes bit for bit (alimiter's gain stays 1 below its limit), and
 * its look-ahead delay is taken out (`latency=1`), so picture and sound stay together.
 */
export const MIX_CEILING_FILTER = 'alimiter=limit=1:level=0:attack=1:release=50:latency=1';
