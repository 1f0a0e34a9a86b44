/**
 * What each transition kind does to a clip, and its own curve. A transition is described by one
 * value over time, `shown`: 0 = the clip is gone, 1 = it is fully there. `in` moves it 0 → 1 over
 * the first `duration` seconds, `out` 1 → 0 over the last. Each kind turns `shown` into opacity,
 * size, rotation, blur, block size, a reveal mask or a slide (see transition-effects.ts).
 */
import type { Easing, TransitionKind } from '../../composition/schema.ts';

export type TransitionFamily = 'fade' | 'wipe' | 'reveal' | 'slide' | 'zoom' | 'spin' | 'flipX' | 'flipY' | 'blur' | 'pixelate';

export interface KindInfo {
  readonly family: TransitionFamily;
  /** The kind's own curve for `in` (shown = curve(p)) and for `out` (shown = 1 − curve(p)). */
  readonly easeIn: Easing;
  readonly easeOut: Easing;
}

const LINEAR = { easeIn: 'linear', easeOut: 'linear' } as const;
/** Movements decelerate into place and accelerate away, as the first release's slides and zoom do. */
const MOVE = { easeIn: 'easeOut', easeOut: 'easeIn' } as const;

export const KINDS: Record<TransitionKind, KindInfo> = {
  fade: { family: 'fade', ...LINEAR },
  wipeLeft: { family: 'wipe', ...LINEAR },
  wipeRight: { family: 'wipe', ...LINEAR },
  wipeUp: { family: 'wipe', ...LINEAR },
  wipeDown: { family: 'wipe', ...LINEAR },
  wipeUpLeft: { family: 'reveal', ...LINEAR },
  wipeUpRight: { family: 'reveal', ...LINEAR },
  wipeDownLeft: { family: 'reveal', ...LINEAR },
  wipeDownRight: { family: 'reveal', ...LINEAR },
  iris: { family: 'reveal', ...LINEAR },
  clock: { family: 'reveal', ...LINEAR },
  barnDoorHorizontal: { family: 'reveal', ...LINEAR },
  barnDoorVertical: { family: 'reveal', ...LINEAR },
  dissolve: { family: 'reveal', ...LINEAR },
  slideLeft: { family: 'slide', ...MOVE },
  slideRight: { family: 'slide', ...MOVE },
  slideUp: { family: 'slide', ...MOVE },
  slideDown: { family: 'slide', ...MOVE },
  zoom: { family: 'zoom', ...MOVE },
  pop: { family: 'zoom', easeIn: 'easeOutBack', easeOut: 'easeInBack' },
  spin: { family: 'spin', ...MOVE },
  flipX: { family: 'flipX', ...MOVE },
  flipY: { family: 'flipY', ...MOVE },
  blur: { family: 'blur', ...LINEAR },
  pixelate: { family: 'pixelate', ...LINEAR },
};

export const familyOf = (k?: TransitionKind): TransitionFamily | undefined => (k ? KINDS[k].family : undefined);
