/**
 * Output links that download without credentials, as Shotstack's CDN links do: the Shotstack
 * output route with `owner`, `expires` (Unix seconds) and `signature`, an HMAC-SHA256 with the
 * operator's secret (MONTAGE_URL_SECRET, or the one `montage serve` keeps in its data dir) over
 * the tenant, the render, the kind of output and the expiry. The route serves such a link without
 * an API key to whoever holds it until it expires; changing any of the four breaks the signature,
 * so a link reaches only the one output of the one tenant it was made for.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { MontageError } from '../errors/registry.ts';

export type OutputKind = 'video' | 'poster' | 'thumbnail';

/** How long the links of a status response (GET render) stay valid: as S3's presigned ones. */
export const STATUS_LINK_TTL_SECONDS = 24 * 3600;
/** How long a callback's link stays valid: a callback is retried for hours, and read later. */
export const CALLBACK_LINK_TTL_SECONDS = 7 * 24 * 3600;

export interface OutputLinkSigner {
  /** `?kind=…&owner=…&expires=…&signature=…` for the output route of `renderId`. */
  query(tenant: string, renderId: string, kind: OutputKind, expiresAt: number): string;
  /**
   * The tenant a signed query was made for; throws MONTAGE_E_LINK_INVALID when the signature does
   * not match (any part changed) or the link has expired (`now` in Unix seconds).
   */
  verify(renderId: string, q: Readonly<Record<string, unknown>>, now?: number): { tenant: string; kind: OutputKind };
}

const KINDS: readonly string[] = ['video', 'poster', 'thumbnail'];

export function createOutputLinkSigner(secret: string): OutputLinkSigner {
  const mac = (tenant: string, renderId: string, kind: string, expires: number) =>
    createHmac('sha256', secret).update(`montage-edit-output\n${tenant}\n${renderId}\n${kind}\n${expires}`).digest('base64url');
  return {
    query(tenant, renderId, kind, expiresAt) {
      const expires = Math.floor(expiresAt);
      return `?${new URLSearchParams({ kind, owner: tenant, expires: String(expires), signature: mac(tenant, renderId, kind, expires) })}`;
    },
    verify(renderId, q, now = Date.now() / 1000) {
      const invalid = (why: string) => new MontageError('MONTAGE_E_LINK_INVALID', why);
      const { owner, expires, signature } = q;
      const kind = q.kind ?? 'video';
      if (typeof owner !== 'string' || typeof expires !== 'string' || typeof signature !== 'string' || typeof kind !== 'string' || !KINDS.includes(kind)
        || !/^\d{1,12}$/.test(expires)) {
        throw invalid('A signed link needs kind, owner, expires and signature as Montage made them: ask GET /edit/v1/render/{id} for a fresh url.');
      }
      const want = Buffer.from(mac(owner, renderId, kind, Number(expires)));
      const got = Buffer.from(signature);
      if (want.length !== got.length || !timingSafeEqual(want, got)) {
        throw invalid('The link\'s signature does not match: it was changed or made with another secret. Ask GET /edit/v1/render/{id} for a fresh url.');
      }
      if (Number(expires) < now) {
        throw invalid(`The link expired at ${new Date(Number(expires) * 1000).toISOString()}: ask GET /edit/v1/render/{id} for a fresh url.`);
      }
      return { tenant: owner, kind: kind as OutputKind };
    },
  };
}
