/**
 * Which characters a font file has a glyph for, read from its `cmap` table. Used only to tell the
 * author about characters that no font of the fallback chain can draw (a warning naming them);
 * choosing the font for each character is Skia's job (its paragraph fallback, per character, over
 * the family list FontRegistry builds).
 *
 * Reads the few table headers it needs with positioned reads, never the whole file (a CJK
 * collection is 20 MB). Understands TrueType/OpenType files and collections (face 0), cmap
 * subtable formats 4 (BMP) and 12 (all planes); WOFF/WOFF2 files (compressed) report no coverage,
 * so characters that only they could draw are not warned about rather than warned about wrongly.
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** A set of code points, as sorted inclusive ranges. */
export interface Coverage {
  has(codePoint: number): boolean;
  /** False when the file's coverage could not be read (compressed or damaged): treat as "may have it". */
  readonly known: boolean;
}

const UNKNOWN: Coverage = { has: () => true, known: false };

/** Reads the coverage of the font file at `path` (face 0 of a collection). Never throws. */
export function readCoverage(path: string): Coverage {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const f = fd;
    const read = (offset: number, length: number): Buffer => {
      const b = Buffer.alloc(length);
      const n = readSync(f, b, 0, length, offset);
      if (n < length) throw new Error('short read');
      return b;
    };
    let base = 0;
    if (read(0, 4).toString('latin1') === 'ttcf') base = read(12, 4).readUInt32BE(0);
    const numTables = read(base + 4, 2).readUInt16BE(0);
    const records = read(base + 12, numTables * 16);
    let cmapOffset = -1;
    for (let i = 0; i < numTables; i++) {
      if (records.toString('latin1', i * 16, i * 16 + 4) === 'cmap') cmapOffset = records.readUInt32BE(i * 16 + 8);
    }
    if (cmapOffset < 0) return UNKNOWN;
    const count = read(cmapOffset + 2, 2).readUInt16BE(0);
    const encodings = read(cmapOffset + 4, count * 8);
    const ranges: [number, number][] = [];
    const seen = new Set<number>();
    for (let i = 0; i < count; i++) {
      const platform = encodings.readUInt16BE(i * 8);
      const encoding = encodings.readUInt16BE(i * 8 + 2);
      // Unicode subtables only: platform 0 (any), or Windows with BMP (1) or full (10) Unicode.
      if (!(platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10)))) continue;
      const at = cmapOffset + encodings.readUInt32BE(i * 8 + 4);
      if (seen.has(at)) continue;
      seen.add(at);
      const format = read(at, 2).readUInt16BE(0);
      if (format === 4) readFormat4(read, at, ranges);
      else if (format === 12) readFormat12(read, at, ranges);
    }
    return ranges.length === 0 ? UNKNOWN : rangeSet(ranges);
  } catch {
    return UNKNOWN;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

type Read = (offset: number, length: number) => Buffer;

function readFormat4(read: Read, at: number, out: [number, number][]): void {
  const head = read(at, 14);
  const segCount = head.readUInt16BE(6) / 2;
  const body = read(at + 14, segCount * 2 * 4 + 2);
  for (let s = 0; s < segCount; s++) {
    const end = body.readUInt16BE(s * 2);
    const start = body.readUInt16BE(segCount * 2 + 2 + s * 2);
    if (start === 0xffff) continue; // the required final segment maps nothing
    out.push([start, end]);
  }
}

function readFormat12(read: Read, at: number, out: [number, number][]): void {
  const groups = read(at + 12, 4).readUInt32BE(0);
  const body = read(at + 16, groups * 12);
  for (let g = 0; g < groups; g++) out.push([body.readUInt32BE(g * 12), body.readUInt32BE(g * 12 + 4)]);
}

function rangeSet(ranges: [number, number][]): Coverage {
  ranges.sort((a, b) => a[0] - b[0]);
  const starts = ranges.map((r) => r[0]);
  // Running maximum of the ends, so overlapping subtables still answer correctly.
  const ends: number[] = [];
  ranges.forEach((r, i) => ends.push(Math.max(r[1], i > 0 ? ends[i - 1] : -1)));
  return {
    known: true,
    has(cp: number): boolean {
      let lo = 0;
      let hi = starts.length - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (starts[mid] <= cp) { found = mid; lo = mid + 1; } else hi = mid - 1;
      }
      if (found < 0) return false;
      // Any range starting at or before cp may reach it; check backwards while ends allow.
      for (let i = found; i >= 0 && ends[i] >= cp; i--) if (ranges[i][1] >= cp) return true;
      return false;
    },
  };
}

/**
 * Characters that never need a glyph of their own: whitespace and controls, joiners, variation
 * selectors, bidi controls, tag characters (emoji flags of subdivisions), the byte-order mark.
 */
export function needsNoGlyph(cp: number): boolean {
  return cp <= 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp === 0xad
    || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202f) || (cp >= 0x2060 && cp <= 0x206f)
    || (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0xfeff || (cp >= 0xe0000 && cp <= 0xe0fff)
    || cp === 0x3000 || (cp >= 0x2000 && cp <= 0x200a);
}
