/**
 * A captions file, whatever it holds: SRT, WebVTT, or a JSON transcript. The kind is told by the
 * content, not the file name:
 * - a JSON array of words `[{text, start, end}]` (`word` is accepted for `text`);
 * - an OpenAI Whisper `verbose_json` object: its `words` (with `timestamp_granularities=word`),
 *   else its `segments`, which become cues;
 * - otherwise SRT or WebVTT text (raster/parse-captions.ts).
 * Anything else is refused with a sentence naming the shapes that are understood.
 */
import { MAX_CAPTION_CUES, MAX_CAPTION_WORDS, MAX_CUE_TEXT, MAX_WORD_TEXT, type CaptionWord, type Cue } from '../../composition/schema.ts';
import { isMontageError, MontageError } from '../../errors/registry.ts';
import { parseCaptions } from '../raster/parse-captions.ts';

/** Either timed words or cues (whose words get times when needed: caption-words.ts). */
export interface CaptionSource { readonly words?: readonly CaptionWord[]; readonly cues?: readonly Cue[] }

const SHAPES = 'an SRT or WebVTT file, an OpenAI Whisper verbose_json transcript (with "words" or "segments"), or a JSON array of words [{"text", "start", "end"}]';

const fail = (pointer: string, why: string): never => {
  throw new MontageError('MONTAGE_E_CAPTIONS_UNREADABLE', `The captions file ${why}.`, { problems: [{ pointer, detail: `${why}: give ${SHAPES}` }] });
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** Timed items (words or segments) → checked `{text, start, end}`, naming the first bad one. */
const timedItems = (items: unknown[], what: string, pointer: string): CaptionWord[] => {
  const out: CaptionWord[] = [];
  let previous = -Infinity;
  items.forEach((item, i) => {
    const o = isObj(item) ? item : {};
    const text = typeof o.text === 'string' ? o.text : typeof o.word === 'string' ? o.word : undefined;
    const { start, end } = o;
    if (text === undefined || typeof start !== 'number' || typeof end !== 'number' || !Number.isFinite(start) || !Number.isFinite(end)) {
      fail(pointer, `has ${what} ${i} without a text (or word) string and numeric start and end`);
    }
    const [s, e] = [start as number, end as number];
    // A word that ends where it starts is kept: Whisper's aligners give some (a short word pinned to
    // one instant), and one refused the whole file; only a negative time or an end before the start is wrong.
    if (s < 0 || e < s) fail(pointer, `has ${what} ${i} ("${text}") ${s < 0 ? `starting at ${s} s, before 0` : `ending at ${e} s, before its start at ${s} s`}`);
    if (s < previous) fail(pointer, `has ${what} ${i} ("${text}") starting at ${s} s, before the one before it: the ${what}s must be in spoken order`);
    previous = s;
    if (text!.trim() !== '') out.push({ text: text!.trim(), start: s, end: e });
  });
  return out;
};

/**
 * A file holds no more than the clip could say inline (`cues` ≤ 5000 of ≤ 2000 characters,
 * `words` ≤ 50 000 of ≤ 200): a 5 MiB SRT of a hundred thousand tiny cues would otherwise
 * rasterize each one (minutes of a worker), and one cue of a million words overflowed the stack
 * of the line breaker.
 */
const withinLimits = (source: CaptionSource, pointer: string): CaptionSource => {
  const limit = (detail: string) => new MontageError('MONTAGE_E_LIMIT_EXCEEDED', `The captions file at ${pointer} ${detail.split(':')[0]}.`, { problems: [{ pointer, detail }] });
  const [items, max, what, maxText] = source.words ? [source.words, MAX_CAPTION_WORDS, 'word', MAX_WORD_TEXT] : [source.cues ?? [], MAX_CAPTION_CUES, 'cue', MAX_CUE_TEXT];
  if (items.length > max) throw limit(`has ${items.length} ${what}s, more than ${max}: split the captions over several captions clips, each with its part of the file`);
  const long = items.findIndex((x) => x.text.length > maxText);
  if (long >= 0) throw limit(`has ${what} ${long} of ${items[long]!.text.length} characters, more than ${maxText}: break it into shorter ${what}s`);
  return source;
};

export const readTranscript = (text: string, pointer: string): CaptionSource => withinLimits(readAny(text, pointer), pointer);

const readAny = (text: string, pointer: string): CaptionSource => {
  const body = text.replace(/^\uFEFF/, '').trim();
  if (body.startsWith('{') || body.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (e) {
      return fail(pointer, `looks like JSON but does not parse (${(e as Error).message})`);
    }
    if (Array.isArray(json)) return { words: timedItems(json, 'word', pointer) };
    if (isObj(json) && Array.isArray(json.words) && json.words.length > 0) return { words: timedItems(json.words, 'word', pointer) };
    if (isObj(json) && Array.isArray(json.segments)) {
      return { cues: timedItems(json.segments, 'segment', pointer).map((w) => ({ start: w.start, end: w.end, text: w.text })) };
    }
    return fail(pointer, 'is JSON of an unknown shape');
  }
  if (body !== '' && !body.includes('\0') && !/-->/.test(body) && !/^WEBVTT/.test(body)) return fail(pointer, 'is none of the caption formats');
  try {
    return { cues: parseCaptions(text) };
  } catch (e) {
    // The parser names the line; the problem names the field too, as every rejection does.
    if (!isMontageError(e) || e.problems.length > 0) throw e;
    const why = e.message.replace(/\.$/, '');
    throw new MontageError(e.code, `The captions file at ${pointer} cannot be read. ${e.message}`, {
      problems: [{ pointer, detail: /the file is empty$/.test(why) ? `is empty: give ${SHAPES}` : `is not readable SRT or WebVTT: ${why[0].toLowerCase()}${why.slice(1)}` }],
    });
  }
};
