/**
 * @napi-rs/canvas (Skia), and the text libraries only text needs, loaded on first use rather than
 * when the render engine's modules load: `montage render` of a composition that draws nothing in
 * Node (video, pictures, colours) never loads them (Skia alone is about 50 ms of CPU; the line
 * breaker and bidi tables about 40 ms more). Loading stays synchronous (require), so no drawing
 * function changes shape.
 */
import { createRequire } from 'node:module';
import type { Canvas } from '@napi-rs/canvas';
import type { Bidi } from 'bidi-js';

type Skia = typeof import('@napi-rs/canvas');
const require = createRequire(import.meta.url);
let skiaModule: Skia | undefined;

/** The @napi-rs/canvas module (the same instance an `import` of it gives). */
export const skia = (): Skia => (skiaModule ??= require('@napi-rs/canvas') as Skia);

/** `createCanvas(width, height)` of @napi-rs/canvas, loading it on first use. */
export const createCanvas = (width: number, height: number): Canvas => skia().createCanvas(width, height);

/** linebreak's LineBreaker class (UAX #14), loaded on first use. */
export const lineBreaker = (): typeof import('linebreak').default => require('linebreak') as typeof import('linebreak').default;

let bidiInstance: Bidi | undefined;
/**
 * bidi-js's Unicode Bidirectional Algorithm, made on first use. bidi-js is a UMD bundle: Node hands
 * over its factory as the module itself, which its types call the module; the cast states what Node
 * actually gives.
 */
export const bidiAlgorithm = (): Bidi => (bidiInstance ??= (require('bidi-js') as () => Bidi)());
