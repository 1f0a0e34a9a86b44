/**
 * Templates (POST/GET/PUT/DELETE /v1/templates): compositions stored with `{{placeholders}}`.
 * On save a template is validated with its own `merge`; placeholders still lacking a value are
 * fine (a render request supplies them), every other problem is refused.
 */
import { MontageError, isMontageError } from '../errors/registry.ts';
import type { RenderEngine } from '../ports/render-engine.ts';
import type { Page } from '../ports/render-store.ts';
import type { TemplateRecord, TemplateStore } from '../ports/template-store.ts';
import { newId } from './new-id.ts';
import { placeholderNames } from '../composition/apply-placeholders.ts';
import { mergeEdit, mergeValuesOf } from '../shotstack/merge-edit.ts';
import { editUnsupported } from '../shotstack/edit-problems-error.ts';
import { importShotstackEdit, looksLikeShotstackEdit } from '../shotstack/edit-to-composition.ts';

export interface TemplateInput {
  readonly name?: unknown;
  readonly composition?: unknown;
}

export function createTemplateUseCases(deps: { readonly templates: TemplateStore; readonly engine: Pick<RenderEngine, 'validate'> }) {
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
      // A Shotstack Edit saved through /edit/v1/templates is kept as the Edit (as Shotstack returns
      // it) and checked by importing it.
      let composition = input.composition;
      if (looksLikeShotstackEdit(composition)) {
        // With placeholders still open, a Shotstack Edit can only be checked once they are filled (at render).
        const own = mergeValuesOf((composition as { merge?: unknown }).merge);
        if (placeholderNames(composition).some((n) => !(n in own))) return { name: input.name as string | undefined, composition };
        const r = importShotstackEdit(mergeEdit(composition));
        if (r.problems.length) throw editUnsupported(r.problems);
        composition = r.composition;
      }
      try {
        deps.engine.validate(composition);
      } catch (e) {
        if (!(isMontageError(e) && e.code === 'MONTAGE_E_MISSING_PLACEHOLDER')) throw e;
      }
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
