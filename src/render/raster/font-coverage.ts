/**
 * Which characters a font file has a glyph for, read from its `cmap` table. Used only to tell the
 * author about characters that no font of the fallback chain can draw (a warning naming them);
 * choosing the font for each character is Skia's job (its paragraph fallback, per character, over
 * the family list FontRegistry builds).
 *
 * Reads the few table headers it needs with positioned reads, never the whole file (a CJK
 * collection is 20 MB). Understands TrueType/OpenType files and collections (face 0), WOFF and
 * WOFF2 files (their `cmap` table alone is decompressed: web fonts are small), and cmap subtable
 * formats 4 (BMP) and 12 (all planes). A font whose map has no Unicode subtable of those formats
 * (a WOFF2 collection, a symbol font) reports no coverage, so characters that only it could draw
 * are not warned about rather than warned about wrongly.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { brotliDecompressSync, inflateSync } from 'node:zlib';

/** A set of code points, as sorted inclusive ranges. */
export interface Coverage {
  has(codePoint: number): boolean;
  /** False when the file's coverage could not be read (see `readable`): then `has` answers for every character alike. */
  readonly known: boolean;
  /**
   * False when the file has no character map that a font renderer could use (the `cmap` table is
   * missing or cut short, or the file is not a font): Skia can draw none of its characters, so
   * `has` is false for all. True for a readable map, even one of a kind this module cannot list.
   */
  readonly readable: boolean;
}

/** A map that is there but of a kind not listed here: treat as "may have it". */
const UNKNOWN: Coverage = { has: () => true, known: false, readable: true };
/** No usable map: nothing can be drawn with this file. */
const DAMAGED: Coverage = { has: () => false, known: false, readable: false };

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
    const magic = read(0, 4).toString('latin1');
    if (magic === 'wOFF' || magic === 'wOF2') {
      const cmap = magic === 'wOFF' ? woffTable(readFileSync(path), 'cmap') : woff2Cmap(readFileSync(path));
      if (cmap === 'collection') return UNKNOWN;
      return cmap ? cmapCoverage(bufferRead(cmap), 0) : DAMAGED;
    }
    let base = 0;
    if (magic === 'ttcf') base = read(12, 4).readUInt32BE(0);
    const numTables = read(base + 4, 2).readUInt16BE(0);
    const records = read(base + 12, numTables * 16);
    let cmapOffset = -1;
    for (let i = 0; i < numTables; i++) {
      if (records.toString('latin1', i * 16, i * 16 + 4) === 'cmap') cmapOffset = records.readUInt32BE(i * 16 + 8);
    }
    return cmapOffset < 0 ? DAMAGED : cmapCoverage(read, cmapOffset);
  } catch {
    return DAMAGED;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

type Read = (offset: number, length: number) => Buffer;

const bufferRead = (b: Buffer): Read => (offset, length) => {
  if (offset < 0 || offset + length > b.length) throw new Error('short read');
  return b.subarray(offset, offset + length);
};

/** The characters of the `cmap` table at `cmapOffset`; throws on a table cut short. */
function cmapCoverage(read: Read, cmapOffset: number): Coverage {
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
}

/** A table of a WOFF file, decompressed (zlib); undefined if it has none. */
function woffTable(file: Buffer, tag: string): Buffer | undefined {
  const numTables = file.readUInt16BE(12);
  for (let i = 0; i < numTables; i++) {
    const at = 44 + i * 20;
    if (file.toString('latin1', at, at + 4) !== tag) continue;
    const [offset, compLength, origLength] = [file.readUInt32BE(at + 4), file.readUInt32BE(at + 8), file.readUInt32BE(at + 12)];
    const data = bufferRead(file)(offset, compLength);
    return compLength < origLength ? inflateSync(data) : data;
  }
  return undefined;
}

/** WOFF2's known table tags, by the index its table directory gives them (cmap is 0). */
const WOFF2_TAGS = ['cmap', 'head', 'hhea', 'hmtx', 'maxp', 'name', 'OS/2', 'post', 'cvt ', 'fpgm', 'glyf', 'loca', 'prep'];

/**
 * The `cmap` table of a WOFF2 file (W3C WOFF2 §5): the tables are one brotli stream, in the order
 * of the directory, each as long as its (transformed) length; `cmap` is never transformed.
 * 'collection' for a WOFF2 collection (not read); undefined if the font has no `cmap`.
 */
function woff2Cmap(file: Buffer): Buffer | 'collection' | undefined {
  if (file.toString('latin1', 4, 8) === 'ttcf') return 'collection';
  const numTables = file.readUInt16BE(12);
  const compressedLength = file.readUInt32BE(20);
  let at = 48;
  const base128 = (): number => {
    let v = 0;
    for (let i = 0; i < 5; i++) {
      const b = file[at++];
      if (b === undefined) throw new Error('short read');
      v = v * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) return v;
    }
    throw new Error('bad UIntBase128');
  };
  let streamOffset = 0;
  let cmap: { offset: number; length: number } | undefined;
  for (let i = 0; i < numTables; i++) {
    const flags = file[at++];
    if (flags === undefined) throw new Error('short read');
    let tag = WOFF2_TAGS[flags & 0x3f];
    if ((flags & 0x3f) === 63) { tag = file.toString('latin1', at, at + 4); at += 4; }
    const version = flags >> 6;
    const length = base128();
    // glyf and loca are transformed unless version 3; any other table is transformed unless version 0.
    const transformed = tag === 'glyf' || tag === 'loca' ? version !== 3 : version !== 0;
    const stored = transformed ? base128() : length;
    if (tag === 'cmap') cmap = { offset: streamOffset, length };
    streamOffset += stored;
  }
  if (!cmap) return undefined;
  const stream = brotliDecompressSync(bufferRead(file)(at, compressedLength));
  return bufferRead(stream)(cmap.offset, cmap.length);
}

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
    readable: true,
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
