/**
 * The captions rules a JSON Schema cannot say: exactly one source of the words (`src`, `cues` or
 * `words`), cue and word times that make sense. Defensive like semantic-problems.ts: it runs on
 * input the schema may also have rejected.
 */
import type { FieldProblem } from '../errors/registry.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});

const SOURCES = ['src', 'cues', 'words'] as const;

/** Problems and warnings of one captions asset at `at` (the clip's pointer). */
export const captionProblems = (asset: Obj, at: string, clipLength: unknown, problems: FieldProblem[], warnings: FieldProblem[]): void => {
  const given = SOURCES.filter((k) => asset[k] !== undefined);
  if (given.length === 0) {
    problems.push({ pointer: `${at}/asset`, detail: 'needs the subtitles: give "src" (an SRT, WebVTT or JSON transcript file), "words" or "cues"' });
  } else if (given.length > 1) {
    const names = given.map((k) => `"${k}"`);
    problems.push({ pointer: `${at}/asset`, detail: `has both ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}: keep one (exactly one of "src", "cues" and "words")` });
  }
  arr(asset.cues).forEach((cue, k) => {
    const { start, end } = obj(cue);
    if (isNum(start) && isNum(end) && end <= start) {
      problems.push({ pointer: `${at}/asset/cues/${k}/end`, detail: `must be after the cue's start (${start} s), got ${end}` });
    }
    if (isNum(start) && isNum(clipLength) && start >= clipLength) {
      warnings.push({ pointer: `${at}/asset/cues/${k}/start`, detail: `is after the clip ends (${clipLength} s): the cue never shows` });
    }
  });
  // A highlight field its style never draws is a typo or a misunderstanding, not silently nothing.
  const hl = obj(asset.highlight);
  for (const [field, style] of [['background', 'background'], ['scale', 'scale']] as const) {
    if (hl[field] !== undefined && typeof hl.style === 'string' && hl.style !== style) {
      warnings.push({ pointer: `${at}/asset/highlight/${field}`, detail: `does nothing with style "${hl.style}": only style "${style}" uses it; set "style": "${style}" or remove it` });
    }
  }
  let previous: number | undefined;
  arr(asset.words).forEach((word, k) => {
    const { start, end } = obj(word);
    if (isNum(start) && isNum(end) && end <= start) {
      problems.push({ pointer: `${at}/asset/words/${k}/end`, detail: `must be after the word's start (${start} s), got ${end}: a word lasts a moment` });
    }
    if (isNum(start) && previous !== undefined && start < previous) {
      problems.push({ pointer: `${at}/asset/words/${k}/start`, detail: `is before the previous word's start (${previous} s): list the words in the order they are spoken` });
    }
    if (isNum(start)) previous = start;
  });
};
