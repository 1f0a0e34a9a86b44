/**
 * The rules of a `text` asset's 1.1 fields that its schema cannot say well: a span needs text (an
 * empty span would otherwise fail the whole `text` union with a vague message). A one-colour
 * gradient is the schema's `minItems`, whose message says to use font.color instead.
 */
import type { FieldProblem } from '../errors/registry.ts';
import { MAX_TEXT_LENGTH } from './schema.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** Problems of one asset, `at` being its pointer. Defensive: runs on input the schema may reject. */
export const textProblems = (asset: Obj, at: string): FieldProblem[] => {
  const problems: FieldProblem[] = [];
  if (asset.type !== 'text' || !Array.isArray(asset.text)) return problems;
  let total = 0;
  asset.text.forEach((span, k) => {
    if (isObj(span) && span.text === '') {
      problems.push({ pointer: `${at}/text/${k}/text`, detail: 'is empty: a span needs some text; remove the span or merge its font into a neighbour' });
    }
    if (isObj(span) && typeof span.text === 'string') total += span.text.length;
  });
  // Spans share the limit of one string: 500 spans of 10 000 characters were one text of 5 M,
  // whose layout ran a render for a minute and past the stack.
  if (total > MAX_TEXT_LENGTH) {
    problems.push({ pointer: `${at}/text`, detail: `holds ${total} characters across its spans, more than ${MAX_TEXT_LENGTH} (the most one text holds): split it over several text clips` });
  }
  return problems;
};
