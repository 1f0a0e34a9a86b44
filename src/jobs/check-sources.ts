/**
 * Every problem with a request's sources and webhook that can be known without downloading,
 * found at once, each with its JSON Pointer: uploaded assets that do not exist, URLs whose scheme
 * or host the destination policy refuses, and host names that do not resolve. Used at submit and by
 * POST /v1/validate, so a user fixes them all in one round instead of one per try.
 */
import type { CheckDestination, DestinationProblem } from '../assets/check-destination.ts';
import { MontageError, type ErrorCode, type FieldProblem } from '../errors/registry.ts';
import type { AssetStore } from '../ports/asset-store.ts';
import { collectSrcs } from './check-limits.ts';

/** A problem and what kind of problem it is, which decides the error code of the whole. */
export interface SourceProblem extends FieldProblem {
  readonly kind: 'no-asset' | 'forbidden' | 'unresolved' | 'missing-file';
}

export interface SourceCheckDeps {
  readonly assets: Pick<AssetStore, 'get'>;
  /** Absent: URLs are not checked before the worker fetches them. */
  readonly checkDestination?: CheckDestination;
}

/** Problems of the composition's `src` values and of the webhook URL, in pointer order. */
export async function findSourceProblems(
  deps: SourceCheckDeps,
  tenant: string,
  composition: unknown,
  webhookUrl?: string,
): Promise<SourceProblem[]> {
  const targets = collectSrcs(composition);
  if (webhookUrl !== undefined) targets.unshift({ pointer: '/webhook/url', src: webhookUrl });
  // Each distinct URL is looked up once, however many clips name it.
  const verdicts = new Map<string, Promise<DestinationProblem | null>>();
  const found = await Promise.all(targets.map(async ({ pointer, src }): Promise<SourceProblem | null> => {
    const asset = /^asset:(.+)$/.exec(src);
    if (asset) {
      return (await deps.assets.get(tenant, asset[1]!)) ? null
        : { pointer, kind: 'no-asset', detail: `No uploaded asset ${asset[1]} belongs to this account.` };
    }
    if (!deps.checkDestination || !/^https?:\/\//i.test(src)) return null;
    let verdict = verdicts.get(src);
    if (!verdict) verdicts.set(src, verdict = deps.checkDestination(src));
    const p = await verdict;
    if (!p) return null;
    return { pointer, kind: p.code === 'MONTAGE_E_FETCH_FORBIDDEN' ? 'forbidden' : 'unresolved', detail: p.detail };
  }));
  return found.filter((p): p is SourceProblem => p !== null);
}

const CODE_OF_KIND: Record<SourceProblem['kind'], ErrorCode> = {
  'no-asset': 'MONTAGE_E_ASSET_NOT_FOUND',
  forbidden: 'MONTAGE_E_FETCH_FORBIDDEN',
  unresolved: 'MONTAGE_E_UNREACHABLE',
  'missing-file': 'MONTAGE_E_UNREACHABLE',
};

/**
 * One error for all of them: the code of their kind when they share one, MONTAGE_E_UNREACHABLE
 * for a mix (every problem still names its own cause).
 */
export function sourceProblemsError(problems: readonly SourceProblem[]): MontageError {
  const codes = new Set(problems.map((p) => CODE_OF_KIND[p.kind]));
  const code = codes.size === 1 ? [...codes][0]! : 'MONTAGE_E_UNREACHABLE';
  const plain = problems.map(({ pointer, detail }) => ({ pointer, detail }));
  return new MontageError(code, plain.map((p) => `${p.pointer}: ${p.detail}`).join('\n'), { problems: plain });
}
