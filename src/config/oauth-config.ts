/**
 * The trusted OAuth 2.0 issuers (MONTAGE_OAUTH_ISSUER / _AUDIENCE / _TENANT_CLAIM for one,
 * MONTAGE_OAUTH_ISSUERS for several), parsed and checked once at start-up by load-config.
 */
import { parseAllowList } from '../assets/allow-list.ts';
import { Invalid } from './parse-env.ts';

export interface OAuthIssuer {
  /** The `iss` value, exactly as the issuer writes it (its discovery document must say the same). */
  readonly issuer: string;
  /** The `aud` a token must carry to be accepted here. */
  readonly audience: string;
  /** The claim whose value names the tenant (default `tenant`). */
  readonly tenantClaim: string;
}

export const DEFAULT_TENANT_CLAIM = 'tenant';

const CLAIM_NAME = /^[A-Za-z0-9_:./-]{1,100}$/;

/**
 * One issuer URL: https, or plain http only when its host is in MONTAGE_ALLOW_HOSTS (an in-cluster
 * identity provider); no query or fragment, since `/.well-known/openid-configuration` is appended.
 */
export function checkIssuerUrl(s: string, allowHosts: readonly string[]): string | Invalid {
  let u: URL;
  try { u = new URL(s); } catch { return new Invalid('expected an issuer URL such as https://login.example.com/realms/main'); }
  if (u.search || u.hash || u.username || u.password) return new Invalid('expected an issuer URL without query, fragment or credentials');
  if (u.protocol === 'https:') return s;
  if (u.protocol !== 'http:') return new Invalid('expected an https:// issuer URL');
  const list = parseAllowList(allowHosts.join(','));
  const port = Number(u.port || 80);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (list.ok && (list.allowList.allowsHost(u.hostname, port) || list.allowList.allowsAddress(host, port))) return s;
  return new Invalid(`a plain-http issuer is accepted only when its host is in MONTAGE_ALLOW_HOSTS; use https, or add ${u.host} there`);
}

/** MONTAGE_OAUTH_ISSUERS: a JSON array of `{issuer, audience, tenantClaim?}`. */
export function parseIssuerList(s: string, allowHosts: readonly string[]): OAuthIssuer[] | Invalid {
  let v: unknown;
  try { v = JSON.parse(s); } catch { return new Invalid('expected a JSON array of {"issuer": "https://…", "audience": "…", "tenantClaim": "tenant"}'); }
  if (!Array.isArray(v) || v.length === 0) return new Invalid('expected a non-empty JSON array of {"issuer", "audience", "tenantClaim"} objects');
  const out: OAuthIssuer[] = [];
  for (const [i, e] of v.entries()) {
    const o = (e && typeof e === 'object' && !Array.isArray(e) ? e : {}) as Record<string, unknown>;
    const unknownKeys = Object.keys(o).filter((k) => !['issuer', 'audience', 'tenantClaim'].includes(k));
    if (unknownKeys.length > 0) return new Invalid(`[${i}] has unknown field ${unknownKeys.join(', ')}; expected issuer, audience, tenantClaim`);
    if (typeof o.issuer !== 'string') return new Invalid(`[${i}].issuer: expected the issuer URL as a string`);
    if (typeof o.audience !== 'string' || o.audience === '') return new Invalid(`[${i}].audience: expected the audience tokens must carry`);
    const claim = o.tenantClaim ?? DEFAULT_TENANT_CLAIM;
    if (typeof claim !== 'string' || !CLAIM_NAME.test(claim)) return new Invalid(`[${i}].tenantClaim: expected a claim name such as "tenant"`);
    const issuer = checkIssuerUrl(o.issuer, allowHosts);
    if (issuer instanceof Invalid) return new Invalid(`[${i}].issuer: ${issuer.expected}`);
    if (out.some((x) => x.issuer === issuer)) return new Invalid(`[${i}].issuer: ${issuer} is listed twice`);
    out.push({ issuer, audience: o.audience, tenantClaim: claim });
  }
  return out;
}

export const parseClaimName = (s: string): string | Invalid => (CLAIM_NAME.test(s) ? s : new Invalid('expected a claim name such as tenant or https://example.com/tenant'));
