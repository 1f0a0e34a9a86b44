/**
 * Decodes a PNG back into pixels, so that tests (and the engine's sanity checks) can look at what
 * a rasterizer really drew rather than at how it was asked to draw it.
 */
import { createCanvas, skia } from './skia.ts';

/** One pixel, each channel 0–255, not premultiplied. */
export type Pixel = readonly [r: number, g: number, b: number, a: number];

/** Inclusive pixel bounds. */
export interface PixelBounds {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** A decoded RGBA image. */
export class DecodedImage {
  constructor(readonly width: number, readonly height: number, readonly data: Uint8ClampedArray) {}

  at(x: number, y: number): Pixel {
    const i = (Math.floor(y) * this.width + Math.floor(x)) * 4;
    return [this.data[i], this.data[i + 1], this.data[i + 2], this.data[i + 3]];
  }

  /** How many pixels (of `region`, default all) satisfy `test`. */
  count(test: (p: Pixel) => boolean, region: PixelBounds = this.#all()): number {
    let n = 0;
    for (let y = region.top; y <= region.bottom; y++) {
      for (let x = region.left; x <= region.right; x++) if (test(this.at(x, y))) n++;
    }
    return n;
  }

  /** The smallest rectangle holding every pixel (of `region`) that satisfies `test`, or null if none does. */
  bounds(test: (p: Pixel) => boolean, region: PixelBounds = this.#all()): PixelBounds | null {
    let [left, top, right, bottom] = [Infinity, Infinity, -1, -1];
    for (let y = region.top; y <= region.bottom; y++) {
      for (let x = region.left; x <= region.right; x++) {
        if (!test(this.at(x, y))) continue;
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
    return right < 0 ? null : { left, top, right, bottom };
  }

  #all(): PixelBounds {
    return { left: 0, top: 0, right: this.width - 1, bottom: this.height - 1 };
  }
}

export async function decodePng(png: Buffer): Promise<DecodedImage> {
  const img = await skia().loadImage(png);
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  return new DecodedImage(img.width, img.height, ctx.getImageData(0, 0, img.width, img.height).data);
}
