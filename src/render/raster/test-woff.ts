/**
 * Test helper: WOFF and WOFF2 files made from a TrueType file (tables stored as they are, zlib or
 * brotli compressed; WOFF2 with null transforms), so tests need no web-font fixtures.
 */
import { brotliCompressSync, deflateSync } from 'node:zlib';

interface Table { readonly tag: string; readonly data: Buffer }

function sfntTables(ttf: Buffer): { flavor: Buffer; tables: Table[] } {
  const n = ttf.readUInt16BE(4);
  const tables: Table[] = [];
  for (let i = 0; i < n; i++) {
    const at = 12 + i * 16;
    const [offset, length] = [ttf.readUInt32BE(at + 8), ttf.readUInt32BE(at + 12)];
    tables.push({ tag: ttf.toString('latin1', at, at + 4), data: ttf.subarray(offset, offset + length) });
  }
  return { flavor: ttf.subarray(0, 4), tables };
}

const pad4 = (n: number) => (n + 3) & ~3;

/** A WOFF 1.0 file holding the tables of `ttf`, each zlib-compressed. */
export function toWoff(ttf: Buffer): Buffer {
  const { flavor, tables } = sfntTables(ttf);
  const parts: Buffer[] = [];
  const dir = Buffer.alloc(tables.length * 20);
  let offset = 44 + dir.length;
  tables.forEach((t, i) => {
    const z = deflateSync(t.data);
    const stored = z.length < t.data.length ? z : t.data;
    dir.write(t.tag, i * 20, 'latin1');
    dir.writeUInt32BE(offset, i * 20 + 4);
    dir.writeUInt32BE(stored.length, i * 20 + 8);
    dir.writeUInt32BE(t.data.length, i * 20 + 12);
    const padded = Buffer.alloc(pad4(stored.length));
    stored.copy(padded);
    parts.push(padded);
    offset += padded.length;
  });
  const header = Buffer.alloc(44);
  header.write('wOFF', 0, 'latin1');
  flavor.copy(header, 4);
  header.writeUInt32BE(offset, 8);
  header.writeUInt16BE(tables.length, 12);
  header.writeUInt32BE(12 + 16 * tables.length + tables.reduce((s, t) => s + pad4(t.data.length), 0), 16);
  header.writeUInt16BE(1, 20);
  return Buffer.concat([header, dir, ...parts]);
}

const KNOWN = ['cmap', 'head', 'hhea', 'hmtx', 'maxp', 'name', 'OS/2', 'post', 'cvt ', 'fpgm', 'glyf', 'loca', 'prep'];

const base128 = (v: number): Buffer => {
  const bytes = [v & 0x7f];
  for (v = Math.floor(v / 128); v > 0; v = Math.floor(v / 128)) bytes.unshift((v & 0x7f) | 0x80);
  return Buffer.from(bytes);
};

/** A WOFF2 file holding the tables of `ttf` untransformed, as one brotli stream. */
export function toWoff2(ttf: Buffer): Buffer {
  const { flavor, tables } = sfntTables(ttf);
  const dir = Buffer.concat(tables.map((t) => {
    const known = KNOWN.indexOf(t.tag);
    const nullTransform = t.tag === 'glyf' || t.tag === 'loca' ? 3 << 6 : 0;
    const flags = Buffer.from([(known >= 0 ? known : 63) | nullTransform]);
    return Buffer.concat([flags, known >= 0 ? Buffer.alloc(0) : Buffer.from(t.tag, 'latin1'), base128(t.data.length)]);
  }));
  const stream = brotliCompressSync(Buffer.concat(tables.map((t) => t.data)));
  const header = Buffer.alloc(48);
  header.write('wOF2', 0, 'latin1');
  flavor.copy(header, 4);
  const total = 48 + dir.length + pad4(stream.length);
  header.writeUInt32BE(total, 8);
  header.writeUInt16BE(tables.length, 12);
  header.writeUInt32BE(12 + 16 * tables.length + tables.reduce((s, t) => s + pad4(t.data.length), 0), 16);
  header.writeUInt32BE(stream.length, 20);
  header.writeUInt16BE(1, 24);
  const body = Buffer.alloc(pad4(stream.length));
  stream.copy(body);
  return Buffer.concat([header, dir, body]);
}
