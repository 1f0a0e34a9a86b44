/** Assertions on decoded pictures, with messages that say what was expected where and what was found. */
import assert from 'node:assert/strict';
import { isColour, patch, type Picture } from './decoded-pictures.ts';

/** The 5×5 patch around (x, y) is `colour` within `tolerance` per channel. */
export const expectColour = (p: Picture, x: number, y: number, colour: string, what: string, tolerance = 40): void => {
  const c = patch(p, x, y);
  assert.ok(isColour(c, colour, tolerance), `${what}: (${x}, ${y}) should be ${colour}, is rgb(${c.join(', ')})`);
};

/**
 * Each number within `tolerance` of the expected one. Positions are within a pixel: 4:2:0 frames
 * place overlays on even coordinates.
 */
export const expectNear = (actual: ReadonlyArray<number | undefined>, expected: readonly number[], what: string, tolerance = 1): void => {
  const ok = actual.length === expected.length && actual.every((v, i) => v !== undefined && Math.abs(v - expected[i]) <= tolerance);
  assert.ok(ok, `${what}: expected [${expected.join(', ')}] ±${tolerance}, got [${actual.join(', ')}]`);
};
