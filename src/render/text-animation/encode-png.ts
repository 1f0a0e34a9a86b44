/**
 * A fast PNG encoder for the many short-lived pictures of animated text: straight RGBA rows, no
 * filter, deflate level 1. The canvas's own encoder compresses hard (about 100 ms for a 700×300
 * title); these images live for one render and are mostly transparent, so light compression is
 * 20–50 times quicker and still small.
 */
import { crc32, deflateSync } from 'node:zlib';
import type { Canvas } from '@napi-rs/canvas';
import { notePixels, releaseCanvas, settle } from '../raster/native-memory.ts';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const chunk = (type: string, data: Buffer): Buffer => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
};

/** Encodes the canvas as an 8-bit RGBA PNG (non-premultiplied, as PNG requires). */
export const encodePngFast = (canvas: Canvas): Buffer => {
  const { width, height } = canvas;
  const rgba = canvas.getContext('2d').getImageData(0, 0, width, height).data;
  notePixels(rgba.byteLength);
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    // Filter byte 0 (none), then the row.
    raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 1 })), chunk('IEND', Buffer.alloc(0))]);
};

/**
 * Encodes one picture of a sequence and gives its canvas back: its pixels freed at once, and a
 * garbage collection when enough native pixel memory has been counted (raster/native-memory.ts).
 */
export const encodeAndRelease = (canvas: Canvas): Buffer => {
  const png = encodePngFast(canvas);
  releaseCanvas(canvas);
  settle();
  return png;
};
