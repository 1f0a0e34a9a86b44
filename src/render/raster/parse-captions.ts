/**
 * Reads SRT and WebVTT subtitle files into cues.
 *
 * Both formats are blocks separated by blank lines, each block an optional identifier, a timing
 * line `start --> end` and the cue text, so one parser reads both; the format (WebVTT if the file
 * starts with the `WEBVTT` signature) only decides what the header and comment blocks look like.
 * It is lenient where real files commonly stray and harmlessly so (`.` or `,` before the
 * milliseconds, hours left out, 1–3 millisecond digits, SRT with no index, SRT position suffixes)
 * and strict where guessing would show wrong text at the wrong time: then it names the line.
 */
import type { Cue } from '../../composition/schema.ts';
import { MontageError } from '../../errors/registry.ts';

/**
 * Parses SRT or WebVTT text. Cue text lines are joined with `\n`; formatting is dropped: tags such
 * as `<b>`, `<i>`, `<c.yellow>`, `<v Speaker>`, `<00:01.000>`, `<font …>`, and ASS overrides like
 * `{\an8}`; the entities `&amp; &lt; &gt; &quot; &nbsp; &lrm; &rlm;` are decoded. WebVTT `NOTE`,
 * `STYLE` and `REGION` blocks and cue settings (`align:start` …) are ignored. Cues whose text is
 * empty after that are left out, since they would show nothing. Order is kept as in the file.
 *
 * @throws MontageError MONTAGE_E_CAPTIONS_UNREADABLE with a sentence naming the (1-based) line.
 */
export function parseCaptions(text: string): Cue[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  if (lines.every((l) => l.trim() === '')) fail(1, 'the file is empty');
  if (lines.some((l) => l.includes('\0'))) {
    fail(lines.findIndex((l) => l.includes('\0')) + 1, 'it holds binary data, not SRT or WebVTT text');
  }

  const vtt = /^WEBVTT(?:[ \t]|$)/.test(lines[0]);
  if (!vtt && /^WEBVTT/i.test(lines[0])) {
    fail(1, `the WebVTT signature must be "WEBVTT" alone or followed by a space, not "${lines[0]}"`);
  }
  const cues: Cue[] = [];
  for (const block of blocks(lines)) {
    if (vtt && block.start === 0) {
      // The header: WEBVTT and optional metadata lines, which a blank line must end.
      const cueAt = block.lines.findIndex((l) => l.includes('-->'));
      if (cueAt >= 0) fail(cueAt + 1, 'a blank line must separate the WEBVTT header from the first cue');
      continue;
    }
    if (vtt && /^(NOTE|STYLE|REGION)(?:[ \t]|$)/.test(block.lines[0])) continue;
    const cue = parseCue(block, vtt);
    if (cue.text !== '') cues.push(cue);
  }
  return cues;
}

interface Block {
  /** 0-based index of the block's first line in the file. */
  readonly start: number;
  readonly lines: readonly string[];
}

function* blocks(lines: readonly string[]): Generator<Block> {
  let start = -1;
  for (let i = 0; i <= lines.length; i++) {
    const blank = i === lines.length || lines[i].trim() === '';
    if (blank && start >= 0) {
      yield { start, lines: lines.slice(start, i) };
      start = -1;
    } else if (!blank && start < 0) {
      start = i;
    }
  }
}

const TIMING = /^\s*(\S+)\s+-->\s+(\S+)(?:\s+.*)?$/;

function parseCue(block: Block, vtt: boolean): Cue {
  // The timing line is the first line, or the second after an identifier (SRT's index, WebVTT's id).
  const at = block.lines[0].includes('-->') ? 0 : 1;
  const lineNo = block.start + at + 1;
  const timing = block.lines[at];
  if (timing === undefined || !timing.includes('-->')) {
    const [bad, badNo] = timing === undefined ? [block.lines[0], block.start + 1] : [timing, lineNo];
    fail(badNo, `expected a cue timing like "${vtt ? '00:00:01.000 --> 00:00:02.500' : '00:00:01,000 --> 00:00:02,500'}", but found "${bad}"`);
  }
  if (!vtt && at === 1 && !/^\s*\d+\s*$/.test(block.lines[0])) {
    fail(block.start + 1, `expected a cue number before the timing line, but found "${block.lines[0]}"`);
  }
  const m = TIMING.exec(timing);
  if (!m) fail(lineNo, `the cue timing "${timing.trim()}" must read "start --> end", with spaces around the arrow`);
  const start = parseTimestamp(m[1], lineNo);
  const end = parseTimestamp(m[2], lineNo);
  if (end < start) fail(lineNo, `the cue ends (${m[2]}) before it starts (${m[1]})`);

  const body = block.lines.slice(at + 1);
  const stray = body.findIndex((l) => l.includes('-->'));
  if (stray >= 0) {
    fail(lineNo + 1 + stray, 'a second timing line appears inside a cue; separate cues with a blank line');
  }
  return { start, end, text: cleanText(body) };
}

const TIMESTAMP = /^(?:(\d+):)?(\d{1,2}):(\d{1,2})[.,](\d{1,3})$/;

/** `[HH:]MM:SS.mmm` (or `,mmm`) → seconds, rounded to the millisecond. */
function parseTimestamp(s: string, lineNo: number): number {
  const m = TIMESTAMP.exec(s);
  if (!m) fail(lineNo, `"${s}" is not a timestamp; write HH:MM:SS,mmm (SRT) or HH:MM:SS.mmm / MM:SS.mmm (WebVTT)`);
  const [h, min, sec] = [Number(m[1] ?? 0), Number(m[2]), Number(m[3])];
  if (min > 59 || sec > 59) fail(lineNo, `"${s}" has ${min > 59 ? 'minutes' : 'seconds'} above 59`);
  const ms = Number(m[4].padEnd(3, '0'));
  return (h * 3600_000 + min * 60_000 + sec * 1000 + ms) / 1000;
}

const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', lrm: '\u200e', rlm: '\u200f',
};

function cleanText(lines: readonly string[]): string {
  return lines
    .map((line) => line
      // Tags start with a letter, `/` or a digit (WebVTT karaoke timestamps), so "a < b" survives.
      .replace(/<\/?[a-zA-Z0-9][^<>]*>/g, '')
      .replace(/\{\\[^{}]*\}/g, '')
      .replace(/&(amp|lt|gt|quot|apos|nbsp|lrm|rlm);/g, (_, name: string) => ENTITIES[name])
      .trim())
    .join('\n')
    .trim();
}

function fail(lineNo: number, why: string): never {
  throw new MontageError('MONTAGE_E_CAPTIONS_UNREADABLE', `Line ${lineNo} of the captions: ${why}.`);
}
