/** Reading renders (GET /v1/renders/{id}, GET /v1/renders): another tenant's render is a 404. */
import { MontageError } from '../errors/registry.ts';
import { RENDER_STATUSES, type Page, type RenderRecord, type RenderStatus, type RenderStore } from '../ports/render-store.ts';

export function createGetRender(deps: { readonly renders: RenderStore }) {
  return async (tenant: string, id: string): Promise<RenderRecord> => {
    const r = await deps.renders.get(tenant, id);
    if (!r) throw new MontageError('MONTAGE_E_NOT_FOUND', `No render ${id}.`);
    return r;
  };
}

export interface ListRendersParams {
  readonly status?: string;
  /** Default 20, at most 100. */
  readonly limit?: number;
  readonly cursor?: string;
}

export function createListRenders(deps: { readonly renders: RenderStore }) {
  return async (tenant: string, params: ListRendersParams = {}): Promise<Page<RenderRecord>> => {
    const problems = [];
    if (params.status !== undefined && !RENDER_STATUSES.includes(params.status as RenderStatus)) {
      problems.push({ pointer: '/status', detail: `Must be one of ${RENDER_STATUSES.join(', ')}.` });
    }
    const limit = params.limit ?? 20;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) problems.push({ pointer: '/limit', detail: 'Must be a whole number from 1 to 100.' });
    if (problems.length > 0) throw new MontageError('MONTAGE_E_INVALID_REQUEST', 'Invalid list parameters.', { problems });
    return deps.renders.list(tenant, { status: params.status as RenderStatus | undefined, limit, cursor: params.cursor });
  };
}
