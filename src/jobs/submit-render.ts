/**
 * Submitting a render (POST /v1/renders): check the request and the composition completely, honour
 * the Idempotency-Key, write the render row, THEN queue its job, so a job always names a row and a
 * row whose job was lost can be re-queued by a reconciler.
 */
import { pointerToken } from '../composition/json-pointer.ts';
import { createHash } from 'node:crypto';
import { currentTraceCarrier, inSpan, SpanKind } from '../telemetry/trace-context.ts';
import type { Limits } from '../config/load-config.ts';
import { MontageError, type FieldProblem } from '../errors/registry.ts';
import type { AssetStore } from '../ports/asset-store.ts';
import type { IdempotencyStore } from '../ports/idempotency-store.ts';
import type { JobQueue } from '../ports/job-queue.ts';
import type { CompositionSummary, RenderEngine } from '../ports/render-engine.ts';
import type { Composition } from '../composition/schema.ts';
import { PRIORITIES, type Priority, type RenderRecord, type RenderStore } from '../ports/render-store.ts';
import type { TemplateStore } from '../ports/template-store.ts';
import type { CheckDestination } from '../assets/check-destination.ts';
import { checkLimits, checkServiceSrcs } from './check-limits.ts';
import { findSourceProblems, sourceProblemsError } from './check-sources.ts';
import { newId } from './new-id.ts';
import { looksLikeShotstackEdit } from '../shotstack/looks-like-edit.ts';
import { SERVICE_METADATA_KEYS } from '../shotstack/shotstack-views.ts';

export type MergeValues = Record<string, string | number | boolean>;

/** The body of POST /v1/renders, as parsed JSON (shape checked here too). */
export interface SubmitRenderRequest {
  readonly composition?: unknown;
  readonly template?: string;
  readonly merge?: MergeValues;
  readonly webhook?: { readonly url: string };
  readonly metadata?: Record<string, unknown>;
  readonly priority?: Priority;
}

export interface SubmitRenderResult {
  readonly render: RenderRecord;
  /** True when an earlier request with the same Idempotency-Key produced this answer. */
  readonly replayed: boolean;
}

export interface SubmitRenderDeps {
  readonly engine: Pick<RenderEngine, 'validate'>;
  readonly renders: RenderStore;
  readonly queue: JobQueue;
  readonly idempotency: IdempotencyStore;
  readonly templates: TemplateStore;
  readonly assets: AssetStore;
  readonly limits: Limits;
  /**
   * The destination policy of the worker's fetcher and the webhook poster (MONTAGE_ALLOW_HOSTS),
   * applied at submit to every URL source and the webhook URL. Absent: URLs are not checked early.
   */
  readonly checkDestination?: CheckDestination;
  readonly clock?: () => number;
  /**
   * When the enqueue fails, leave the render queued and answer 202 anyway: the row is committed,
   * and the reconciler queues renders whose job never landed (the scale-out roles, where Redis can
   * be away while PostgreSQL answers). Otherwise the render is failed and the request gets a 503.
   */
  readonly deferEnqueueFailures?: boolean;
  /** Told about a deferred enqueue failure (logged by the root). */
  readonly onDeferredEnqueue?: (renderId: string, error: unknown) => void;
}

export interface SubmitRenderOptions {
  readonly idempotencyKey?: string;
  /**
   * Metadata the service itself keeps on the render (SERVICE_METADATA_KEYS: the Shotstack-compatible
   * routes' callback, Edit hash, GIF repeat), merged over the request's own `metadata`, in which
   * those keys are refused. Part of what an Idempotency-Key's request is compared by.
   */
  readonly serviceMetadata?: Record<string, unknown>;
  /**
   * The composition's placeholders are filled already (the Shotstack-compatible routes apply the
   * Edit's merge before importing it): a `{{NAME}}` left in it is text a merge value brought, not
   * a placeholder to fill again or refuse.
   */
  readonly filled?: boolean;
}

export type SubmitRender = (tenant: string, body: unknown, opts?: SubmitRenderOptions) => Promise<SubmitRenderResult>;

const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;
const MAX_METADATA_BYTES = 4096;

export function createSubmitRender(deps: SubmitRenderDeps): SubmitRender {
  const clock = deps.clock ?? Date.now;
  const check = createCheckRenderRequest(deps);

  return async (tenant, body, opts = {}) => {
    const checked = checkEnvelope(body);
    const own = opts.serviceMetadata;
    const req: SubmitRenderRequest = own ? { ...checked, metadata: { ...checked.metadata, ...own } } : checked;
    const key = opts.idempotencyKey;
    if (key === undefined) return { render: await accept(tenant, req, opts.filled), replayed: false };
    if (key.length === 0 || key.length > 255) {
      throw new MontageError('MONTAGE_E_INVALID_REQUEST', 'The Idempotency-Key header must be 1–255 characters.');
    }
    const bodyHash = createHash('sha256').update(canonicalJson(own ? { body, service: own } : body)).digest('hex');
    const notBefore = new Date(clock() - IDEMPOTENCY_WINDOW_MS).toISOString();
    const begun = await deps.idempotency.begin(tenant, key, bodyHash, notBefore);
    if (begun.kind === 'existing') {
      const r = begun.record;
      if (r.bodyHash !== bodyHash) throw new MontageError('MONTAGE_E_IDEMPOTENCY_MISMATCH', 'This Idempotency-Key was used with a different request body in the last 24 hours: send a new Idempotency-Key for a new request, or resend the first body unchanged.');
      if (r.state === 'pending') throw new MontageError('MONTAGE_E_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry shortly.');
      return { render: (r.response?.body as RenderRecord), replayed: true };
    }
    try {
      const render = await accept(tenant, req, opts.filled);
      await deps.idempotency.complete(tenant, key, { status: 202, body: render });
      return { render, replayed: false };
    } catch (e) {
      // Only successful answers are remembered: a refused request may be fixed and retried with its key.
      await deps.idempotency.abandon(tenant, key);
      throw e;
    }
  };

  async function accept(tenant: string, req: SubmitRenderRequest, filled?: boolean): Promise<RenderRecord> {
    const { composition, summary } = await check(tenant, req, { filled });
    const priority = req.priority ?? 'normal';
    const render = await deps.renders.create({
      id: newId('rnd'), tenant, priority, composition, duration: summary.duration, format: summary.format,
      webhookUrl: req.webhook?.url ?? null, metadata: req.metadata ?? null,
    });
    try {
      await inSpan('queue.enqueue', () => deps.queue.enqueue({ kind: 'render', v: 1, renderId: render.id, tenant, trace: currentTraceCarrier() }, { priority }),
        { kind: SpanKind.PRODUCER, attributes: { 'montage.render_id': render.id } });
    } catch (e) {
      if (deps.deferEnqueueFailures) {
        deps.onDeferredEnqueue?.(render.id, e);
        return render;
      }
      await deps.renders.transition(tenant, render.id, { from: 'queued', to: 'failed', error: { code: 'MONTAGE_E_UNAVAILABLE', message: 'The render could not be queued.' } });
      throw new MontageError('MONTAGE_E_UNAVAILABLE', 'The render could not be queued; try again.', { cause: e });
    }
    return render;
  }
}

export type CheckRenderRequest = (tenant: string, req: SubmitRenderRequest, opts?: { readonly filled?: boolean }) => Promise<{ composition: Composition; summary: CompositionSummary }>;

/**
 * Everything a submission is checked for before anything is written or queued: the template
 * exists, the composition is valid after merging, reads only what the service may read, stays
 * within the operator's limits, and names only this tenant's uploaded assets. POST /v1/validate
 * answers with exactly these checks, so a body that validates is a body that submits.
 */
export function createCheckRenderRequest(deps: Pick<SubmitRenderDeps, 'engine' | 'templates' | 'assets' | 'limits' | 'checkDestination'>): CheckRenderRequest {
  return async (tenant, req, opts) => {
    let raw = req.composition;
    if (req.template !== undefined) {
      const t = await deps.templates.get(tenant, req.template);
      if (!t) throw new MontageError('MONTAGE_E_NOT_FOUND', `No template ${req.template}.`, { problems: [{ pointer: '/template', detail: 'No template has this id.' }] });
      // Saved through /edit/v1/templates: an Edit, whose merge fields only the Edit API applies.
      if (looksLikeShotstackEdit(t.composition)) {
        throw new MontageError('MONTAGE_E_INVALID_REQUEST', `Template ${t.id} is a Shotstack Edit, not a Montage composition.`, {
          problems: [{ pointer: '/template', detail: `is a Shotstack Edit: render it with POST /edit/v1/templates/render {"id": "${t.id}", "merge": [{"find": "NAME", "replace": "value"}]}.` }],
        });
      }
      raw = t.composition;
    }
    const { composition, summary } = deps.engine.validate(raw, req.merge, { filled: opts?.filled });
    const refused = checkServiceSrcs(composition);
    if (refused.length > 0) throw new MontageError('MONTAGE_E_INVALID_COMPOSITION', describe(refused), { problems: refused });
    const problems = checkLimits(composition, summary, deps.limits);
    if (problems.length > 0) throw new MontageError('MONTAGE_E_LIMIT_EXCEEDED', describe(problems), { problems });
    // Every source and the webhook at once: missing uploads, refused or unresolvable addresses.
    const unreachable = await findSourceProblems(deps, tenant, composition, req.webhook?.url);
    if (unreachable.length > 0) throw sourceProblemsError(unreachable);
    return { composition, summary };
  };
}

const describe = (problems: readonly FieldProblem[]) => problems.map((p) => (p.pointer ? `${p.pointer}: ${p.detail}` : p.detail)).join('\n');

const ENVELOPE_FIELDS = ['composition', 'template', 'merge', 'webhook', 'metadata', 'priority'];

/** Checks the request envelope (everything but the composition itself), listing every problem. */
export function checkEnvelope(body: unknown): SubmitRenderRequest {
  const problems: FieldProblem[] = [];
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new MontageError('MONTAGE_E_INVALID_REQUEST', 'The body must be a JSON object.', { problems: [{ pointer: '', detail: 'Send {"composition": {...}} or {"template": "ID", "merge": {...}}.' }] });
  }
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) {
    if (!ENVELOPE_FIELDS.includes(k)) problems.push({ pointer: `/${k}`, detail: `Unknown property "${k}": remove it (a render request takes ${ENVELOPE_FIELDS.join(', ')}).` });
  }
  if ((b.composition === undefined) === (b.template === undefined)) problems.push({ pointer: '', detail: 'Give exactly one of "composition" or "template".' });
  if (b.template !== undefined && typeof b.template !== 'string') problems.push({ pointer: '/template', detail: 'Must be a template id string.' });
  if (b.merge !== undefined) {
    if (b.merge === null || typeof b.merge !== 'object' || Array.isArray(b.merge)) {
      problems.push({ pointer: '/merge', detail: 'Must be an object of strings, numbers or booleans: {"NAME": "value"}.' });
    } else {
      for (const [k, v] of Object.entries(b.merge)) {
        if (!['string', 'number', 'boolean'].includes(typeof v)) {
          problems.push({ pointer: `/merge/${pointerToken(k)}`, detail: `Must be a string, number or boolean, got ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}: a placeholder is replaced by one value.` });
        }
      }
    }
  }
  if (b.webhook !== undefined) {
    if (b.webhook === null || typeof b.webhook !== 'object' || Array.isArray(b.webhook)) {
      problems.push({ pointer: '/webhook', detail: 'Must be an object: {"url": "https://..."}.' });
    } else {
      const url = (b.webhook as { url?: unknown }).url;
      let good = false;
      try { good = typeof url === 'string' && ['https:', 'http:'].includes(new URL(url).protocol); } catch { /* below */ }
      if (!good) problems.push({ pointer: '/webhook/url', detail: 'Must be an http(s) URL: {"url": "https://..."}.' });
      for (const k of Object.keys(b.webhook)) {
        if (k !== 'url') problems.push({ pointer: `/webhook/${k}`, detail: `Unknown property "${k}": remove it (a webhook takes only url; it is signed with the tenant's secret).` });
      }
    }
  }
  if (b.metadata !== undefined) {
    if (b.metadata === null || typeof b.metadata !== 'object' || Array.isArray(b.metadata)) problems.push({ pointer: '/metadata', detail: 'Must be an object.' });
    else if (Buffer.byteLength(JSON.stringify(b.metadata)) > MAX_METADATA_BYTES) problems.push({ pointer: '/metadata', detail: `Must be at most ${MAX_METADATA_BYTES} bytes as JSON.` });
    else {
      for (const k of SERVICE_METADATA_KEYS) {
        if (Object.prototype.hasOwnProperty.call(b.metadata, k)) {
          problems.push({ pointer: `/metadata/${k}`, detail: `"${k}" is reserved: the Shotstack-compatible API keeps it on its renders, and the worker acts on it. Use another name (an Edit's callback is POST /edit/v1/render's "callback"; a /v1 render's is webhook.url).` });
        }
      }
    }
  }
  if (b.priority !== undefined && !PRIORITIES.includes(b.priority as Priority)) problems.push({ pointer: '/priority', detail: 'Must be "low", "normal" or "high".' });
  if (problems.length > 0) throw new MontageError('MONTAGE_E_INVALID_REQUEST', describe(problems), { problems });
  return b as SubmitRenderRequest;
}

/** JSON with object keys sorted, so the same body hashes the same whatever its key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
