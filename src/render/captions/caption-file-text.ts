/**
 * The text of a captions file, from its bytes. UTF-8 with or without a byte-order mark, and UTF-16
 * (little or big endian) with one, the encodings that subtitle tools save ("Unicode" in Windows
 * Notepad is UTF-16 LE): a UTF-16 file was read as UTF-8 and refused as "binary data". Bytes that
 * are not UTF-8 (an SRT saved as Windows-1252 or Latin-1) are refused with the line and the fix:
 * read as UTF-8 they became U+FFFD, drawn as "�" in place of every accented letter, silently, and
 * guessing a legacy code page would draw wrong letters whenever the guess is wrong.
 */
import { MontageError } from '../../errors/registry.ts';

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence, or -1. */
function firstNonUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const c = b[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}

/**
 * @param pointer the `src` field, for the problem.
 * @throws MontageError MONTAGE_E_CAPTIONS_UNREADABLE for bytes that are not UTF-8 or UTF-16 text.
 */
export function captionFileText(bytes: Uint8Array, pointer: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    // The decoder drops a UTF-8 byte-order mark.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstNonUtf8(bytes);
    const where = at < 0 ? 0 : at;
    const line = bytes.subarray(0, where).filter((c) => c === 0x0a).length + 1;
    const byte = at < 0 ? '' : ` (byte 0x${bytes[at].toString(16).toUpperCase().padStart(2, '0')})`;
    const detail = `is not UTF-8 text: line ${line} holds a character${byte} in another encoding, such as Windows-1252 or Latin-1; save the file as UTF-8`;
    throw new MontageError('MONTAGE_E_CAPTIONS_UNREADABLE', `The captions file at ${pointer} ${detail.split(':')[0]}.`, { problems: [{ pointer, detail }] });
  }
}
