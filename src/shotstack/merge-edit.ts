/**
 * Shotstack merges before it validates: `{{ KEY }}` anywhere in the Edit is replaced by the Edit's
 * `merge` (`[{find, replace}]`) overlaid by a template render's `merge`, and a whole-string
 * placeholder takes the value's type (so `"length": "{{ LEN }}"` becomes a number). Montage's own
 * placeholder code does the substitution; a placeholder left without a value is an error naming it.
 */
import { applyPlaceholders, type MergeValues } from '../composition/apply-placeholders.ts';
import type { FieldProblem } from '../errors/registry.ts';
import { MontageError } from '../errors/registry.ts';
import { isObject } from './edit-problems.ts';

/** Shotstack's `[{find, replace}]` as merge values; entries that are not well formed are left to the importer to report. */
export const mergeValuesOf = (merge: unknown): Record<string, string | number | boolean> => {
  const out: Record<string, string | number | boolean> = {};
  if (Array.isArray(merge)) {
    for (const m of merge) {
      if (isObject(m) && typeof m.find === 'string' && ['string', 'number', 'boolean'].includes(typeof m.replace)) out[m.find.trim()] = m.replace as string | number | boolean;
    }
  }
  return out;
};

/** The Edit with every placeholder filled; throws MONTAGE_E_MISSING_PLACEHOLDER naming those without a value. */
export function mergeEdit(edit: unknown, extra: MergeValues = {}): unknown {
  const { edit: merged, open } = fillEdit(edit, extra);
  if (open.length) {
    throw new MontageError('MONTAGE_E_MISSING_PLACEHOLDER', `The Edit has ${open.length} placeholder(s) with no value: add them to merge.`, { problems: open });
  }
  return merged;
}

/**
 * A template's Edit with the placeholders its own `merge` fills filled, and where those without a
 * value stand (`open`, JSON Pointers into the Edit): a render request will fill them.
 */
export const mergeEditOpen = (edit: unknown): { edit: unknown; open: readonly FieldProblem[] } => fillEdit(edit);

/** The Edit filled from its own `merge` overlaid by `extra` (its `merge` kept), and the placeholders left open. */
function fillEdit(edit: unknown, extra: MergeValues = {}): { edit: unknown; open: readonly FieldProblem[] } {
  if (!isObject(edit)) return { edit, open: [] };
  const { merge, ...rest } = edit;
  const { value, missing, oversized } = applyPlaceholders(rest, { ...mergeValuesOf(merge), ...extra });
  if (oversized.length) {
    throw new MontageError('MONTAGE_E_LIMIT_EXCEEDED', `The Edit has ${oversized.length} string(s) that would grow too long once merged: use shorter merge values.`, { problems: oversized });
  }
  return { edit: merge === undefined ? value : { ...(value as object), merge }, open: missing };
}
