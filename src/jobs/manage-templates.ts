/**
 * Templates (POST/GET/PUT/DELETE /v1/templates): compositions stored with `{{placeholders}}`.
 * On save a template is validated with its own `merge`; placeholders still lacking a value are
 * fine (a render request supplies them), every other problem is refused.
 */
import { MontageError } from '../errors/registry.ts';
import type { Page } from '../ports/render-store.ts';
import type { TemplateRecord, TemplateStore } from '../ports/template-store.ts';
import { newId } from './new-id.ts';
import { atOpenPlaceholder, pointerToken } from '../composition/json-pointer.ts';
import { validateComposition } from '../composition/validate-composition.ts';
import { mergeEditOpen } from '../shotstack/merge-edit.ts';
import { editUnsupported } from '../shotstack/edit-problems-error.ts';
import { inEditTerms } from '../shotstack/composition-problem-paths.ts';
import { importShotstackEdit, looksLikeShotstackEdit } from '../shotstack/edit-to-composition.ts';

const editPointer = (path: readonly (string | number)[]) => (path.length ? `/${path.map(pointerToken).join('/')}` : '');

export interface TemplateInput {
  readonly name?: unknown;
  readonly composition?: unknown;
}

/**
 * A Shotstack Edit saved through /edit/v1/templates is kept as the Edit (as Shotstack returns it)
 * and checked by importing it, every problem named at its path in the Edit, as POST /edit/v1/render
 * names them; nothing is judged where a placeholder is still open.
 */
const checkEdit = (edit: unknown): void => {
  const { edit: merged, open } = mergeEditOpen(edit);
  const r = importShotstackEdit(merged);
  const problems = r.problems.filter((p) => !atOpenPlaceholder(editPointer(p.path), open));
  if (problems.length) throw editUnsupported(problems);
  // A field the import could not read for its placeholder leaves no composition to check further.
  if (r.problems.length) return;
  try {
    validateComposition(r.composition, undefined, { openPlaceholders: true });
  } catch (e) {
    throw inEditTerms(e, r.clipOrigins);
  }
};

export function createTemplateUseCases(deps: { readonly templates: TemplateStore }) {
  const check = (input: TemplateInput, partial: boolean): { name?: string; composition?: unknown } => {
    const problems = [];
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new MontageError('MONTAGE_E_INVALID_REQUEST', 'The body must be a JSON object.', { problems: [{ pointer: '', detail: 'Send {"name": "…", "composition": {...}}.' }] });
    }
    for (const k of Object.keys(input)) if (k !== 'name' && k !== 'composition') problems.push({ pointer: `/${k}`, detail: `Unknown property "${k}": remove it (a template takes name and composition).` });
    if ((!partial || input.name !== undefined) && (typeof input.name !== 'string' || input.name.length < 1 || input.name.length > 200)) {
      problems.push({ pointer: '/name', detail: 'Must be a string of 1–200 characters.' });
    }
    if (!partial && input.composition === undefined) problems.push({ pointer: '/composition', detail: 'Required.' });
    if (problems.length > 0) throw new MontageError('MONTAGE_E_INVALID_REQUEST', 'Invalid template.', { problems });
    if (input.composition !== undefined) {
      // Placeholders still without a value are fine (a render request supplies them); every other
      // problem is refused now, not when the template is first rendered.
      if (looksLikeShotstackEdit(input.composition)) checkEdit(input.composition);
      else validateComposition(input.composition, undefined, { openPlaceholders: true });
    }
    return { name: input.name as string | undefined, composition: input.composition };
  };

  return {
    async create(tenant: string, input: TemplateInput): Promise<TemplateRecord> {
      const v = check(input, false);
      return deps.templates.create({ id: newId('tpl'), tenant, name: v.name!, composition: v.composition });
    },
    async get(tenant: string, id: string): Promise<TemplateRecord> {
      const t = await deps.templates.get(tenant, id);
      if (!t) throw new MontageError('MONTAGE_E_NOT_FOUND', `No template ${id}.`);
      return t;
    },
    async list(tenant: string, params: { readonly limit?: number; readonly cursor?: string } = {}): Promise<Page<TemplateRecord>> {
      const limit = params.limit ?? 20;
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
        throw new MontageError('MONTAGE_E_INVALID_REQUEST', 'Invalid limit.', { problems: [{ pointer: '/limit', detail: 'Must be a whole number from 1 to 100.' }] });
      }
      return deps.templates.list(tenant, { limit, cursor: params.cursor });
    },
    /** PUT replaces name and/or composition. */
    async update(tenant: string, id: string, input: TemplateInput): Promise<TemplateRecord> {
      const v = check(input, true);
      const t = await deps.templates.update(tenant, id, v);
      if (!t) throw new MontageError('MONTAGE_E_NOT_FOUND', `No template ${id}.`);
      return t;
    },
    async delete(tenant: string, id: string): Promise<void> {
      if (!(await deps.templates.delete(tenant, id))) throw new MontageError('MONTAGE_E_NOT_FOUND', `No template ${id}.`);
    },
  };
}

export type TemplateUseCases = ReturnType<typeof createTemplateUseCases>;
