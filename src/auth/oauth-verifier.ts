/**
 * Verifies OAuth 2.0 JWT access tokens (RFC 9068) from the operator's trusted issuers. Every
 * cryptographic step is `jose`'s: signature, `alg`, key selection by `kid`, `exp`/`nbf`/`aud`/`iss`.
 *
 * Each issuer's keys are found once through its discovery document
 * (`{issuer}/.well-known/openid-configuration` → `jwks_uri`) and cached by jose's remote key set,
 * which refetches on a `kid` it does not know, at most once per cooldown: a rotated key is picked up
 * without a restart, and a stream of made-up `kid`s cannot hammer the issuer. Nothing is fetched
 * before the first token arrives, so an issuer that is down never stops a start-up or API keys.
 *
 * A rejected token gets a MONTAGE_E_UNAUTHORIZED that says which check failed; the token itself is
 * never put into a message.
 */
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { OAuthIssuer } from '../config/oauth-config.ts';
import { checkIssuerUrl } from '../config/oauth-config.ts';
import { Invalid } from '../config/parse-env.ts';
import { MontageError } from '../errors/registry.ts';

/** What a verified token says about its caller. */
export interface VerifiedToken {
  readonly issuer: string;
  /** `sub`, else `client_id`, else `azp`: who the token was issued to (logged, never the token). */
  readonly subject: string;
  /** The tenant claim's value: a tenant name. */
  readonly tenantName: string;
  /** From `scope` (space-separated) and/or `scp` (an array, or a space-separated string). */
  readonly scopes: ReadonlySet<string>;
}

export interface OAuthVerifier {
  readonly issuers: readonly OAuthIssuer[];
  /** The verified token, or MONTAGE_E_UNAUTHORIZED naming the failed check (503 when the issuer cannot be reached). */
  verify(token: string): Promise<VerifiedToken>;
  /** "issuer URL: reason" for each issuer whose discovery document does not answer within `timeoutMs`. */
  unreachable(timeoutMs: number): Promise<string[]>;
  /** The token endpoint of the first issuer, once its discovery document was read (for the OpenAPI document). */
  tokenEndpoint(timeoutMs: number): Promise<string | null>;
}

export interface OAuthVerifierOptions {
  readonly issuers: readonly OAuthIssuer[];
  /** MONTAGE_ALLOW_HOSTS: a plain-http `jwks_uri` is followed only to a listed host. */
  readonly allowHosts: readonly string[];
  /** Ms between two JWKS (or failed discovery) fetches of one issuer. */
  readonly cooldownMs: number;
  /** Ms each discovery or JWKS download may take (default 5 s). */
  readonly fetchTimeoutMs?: number;
  /** Seconds of clock skew tolerated on `exp`, `nbf` and `iat` (default 30). */
  readonly clockToleranceSeconds?: number;
}

/** Signature algorithms with a public key: a symmetric (HS*) token would need a secret Montage does not hold. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

interface Discovery {
  readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  readonly tokenEndpoint: string | null;
}

const unauthorized = (why: string): MontageError =>
  new MontageError('MONTAGE_E_UNAUTHORIZED', `The access token was refused: ${why}`);

export function createOAuthVerifier(o: OAuthVerifierOptions): OAuthVerifier {
  const fetchTimeoutMs = o.fetchTimeoutMs ?? 5_000;
  const clockTolerance = o.clockToleranceSeconds ?? 30;
  const discovered = new Map<string, Promise<Discovery>>();
  const failedAt = new Map<string, { at: number; error: unknown }>();

  async function discover(iss: OAuthIssuer): Promise<Discovery> {
    const url = `${iss.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const res = await fetch(url, { signal: AbortSignal.timeout(fetchTimeoutMs), redirect: 'error', headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`);
    const doc = await res.json() as { issuer?: unknown; jwks_uri?: unknown; token_endpoint?: unknown };
    // OpenID Connect Discovery 1.0 §4.3: the document's issuer must be the one it was fetched for.
    if (doc.issuer !== iss.issuer) throw new Error(`${url} names issuer ${JSON.stringify(doc.issuer)}, not ${iss.issuer}`);
    if (typeof doc.jwks_uri !== 'string') throw new Error(`${url} has no jwks_uri`);
    const jwksUri = checkIssuerUrl(doc.jwks_uri, o.allowHosts);
    if (jwksUri instanceof Invalid) throw new Error(`its jwks_uri ${doc.jwks_uri} is refused: ${jwksUri.expected}`);
    return {
      jwks: createRemoteJWKSet(new URL(jwksUri), { cooldownDuration: o.cooldownMs, timeoutDuration: fetchTimeoutMs, cacheMaxAge: 10 * 60_000 }),
      tokenEndpoint: typeof doc.token_endpoint === 'string' ? doc.token_endpoint : null,
    };
  }

  /** The cached discovery; a failed one is tried again after the cooldown (at least 1 s), not on every request. */
  function discovery(iss: OAuthIssuer): Promise<Discovery> {
    const cached = discovered.get(iss.issuer);
    if (cached) return cached;
    const failed = failedAt.get(iss.issuer);
    if (failed && Date.now() - failed.at < Math.max(1_000, o.cooldownMs)) return Promise.reject(failed.error);
    const p = discover(iss);
    discovered.set(iss.issuer, p);
    p.catch((error: unknown) => { discovered.delete(iss.issuer); failedAt.set(iss.issuer, { at: Date.now(), error }); });
    return p;
  }

  const issuerDown = (iss: OAuthIssuer, e: unknown): MontageError => new MontageError('MONTAGE_E_UNAVAILABLE',
    `The token's issuer ${iss.issuer} could not be reached to fetch its signing keys (${(e as Error)?.message ?? e}); try again, or use an API key.`, { cause: e });

  return {
    issuers: o.issuers,

    async verify(token) {
      let header: ReturnType<typeof decodeProtectedHeader>;
      let unverified: JWTPayload;
      try {
        header = decodeProtectedHeader(token);
        unverified = decodeJwt(token);
      } catch {
        throw unauthorized('it is not a well-formed JWT. Send an access token from a trusted issuer, or an API key (mk_…).');
      }
      if (typeof header.alg !== 'string' || header.alg.toLowerCase() === 'none') {
        throw unauthorized('it is unsigned (alg "none"). Only signed tokens from a trusted issuer are accepted.');
      }
      if (!ALGORITHMS.includes(header.alg)) {
        throw unauthorized(`its algorithm ${header.alg} is not accepted; accepted: ${ALGORITHMS.join(', ')}.`);
      }
      const iss = o.issuers.find((x) => x.issuer === unverified.iss);
      if (!iss) {
        throw unauthorized(`wrong issuer: ${JSON.stringify(unverified.iss ?? null)} is not a trusted issuer (trusted: ${o.issuers.map((x) => x.issuer).join(', ')}).`);
      }
      let d: Discovery;
      try { d = await discovery(iss); } catch (e) { throw issuerDown(iss, e); }
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, d.jwks, { issuer: iss.issuer, audience: iss.audience, algorithms: ALGORITHMS, clockTolerance }));
      } catch (e) {
        throw classify(e, iss) ?? issuerDown(iss, e);
      }
      const tenant = payload[iss.tenantClaim];
      if (typeof tenant !== 'string' || tenant.trim() === '') {
        throw unauthorized(`it has no tenant claim: the "${iss.tenantClaim}" claim must name the tenant (configure the issuer to add it, or set the claim's name with MONTAGE_OAUTH_TENANT_CLAIM).`);
      }
      const subject = [payload.sub, payload.client_id, payload.azp].find((x): x is string => typeof x === 'string') ?? 'unknown';
      return { issuer: iss.issuer, subject, tenantName: tenant.trim(), scopes: scopesOf(payload) };
    },

    async unreachable(timeoutMs) {
      const results = await Promise.all(o.issuers.map(async (iss) => {
        const url = `${iss.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
        try {
          const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
          await res.body?.cancel();
          return res.ok ? null : `OAuth issuer ${iss.issuer}: discovery answered HTTP ${res.status}`;
        } catch (e) {
          return `OAuth issuer ${iss.issuer}: unreachable (${(e as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : ((e as Error).cause as Error)?.message ?? (e as Error).message})`;
        }
      }));
      return results.filter((x): x is string => x !== null);
    },

    async tokenEndpoint(timeoutMs) {
      const first = o.issuers[0];
      if (!first) return null;
      try {
        const d = await Promise.race([discovery(first), new Promise<never>((_, rej) => setTimeout(() => rej(new Error('timeout')), timeoutMs).unref())]);
        return d.tokenEndpoint;
      } catch { return null; }
    },
  };

  function classify(e: unknown, iss: OAuthIssuer): MontageError | null {
    if (e instanceof errors.JWTExpired) return unauthorized('it has expired (exp is in the past). Ask the issuer for a new token.');
    if (e instanceof errors.JWTClaimValidationFailed) {
      switch (e.claim) {
        case 'nbf': return unauthorized('it is not yet valid (nbf is in the future). Check the clocks of the issuer and of this server.');
        case 'iat': return unauthorized('its iat is in the future. Check the clocks of the issuer and of this server.');
        case 'aud': return unauthorized(`wrong audience: it is not for ${JSON.stringify(iss.audience)}. Request the token for that audience (resource).`);
        case 'iss': return unauthorized(`wrong issuer: it is not from ${iss.issuer}.`);
        default: return unauthorized(`its ${e.claim} claim is invalid (${e.reason}).`);
      }
    }
    if (e instanceof errors.JWSSignatureVerificationFailed) return unauthorized(`bad signature: it was not signed by a key of ${iss.issuer}.`);
    if (e instanceof errors.JWKSNoMatchingKey) return unauthorized(`unknown kid: ${iss.issuer} publishes no key with this token's kid (and alg). A rotated key is picked up within MONTAGE_OAUTH_JWKS_COOLDOWN.`);
    if (e instanceof errors.JWKSMultipleMatchingKeys) return unauthorized(`its header names no kid and ${iss.issuer} publishes several keys; the issuer must set kid.`);
    if (e instanceof errors.JOSEAlgNotAllowed) return unauthorized(`its algorithm is not accepted; accepted: ${ALGORITHMS.join(', ')}.`);
    if (e instanceof errors.JWSInvalid || e instanceof errors.JWTInvalid) return unauthorized(`it is malformed (${e.message}).`);
    return null;
  }
}

function scopesOf(p: JWTPayload): Set<string> {
  const out = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string') for (const s of v.split(' ')) { if (s) out.add(s); }
    else if (Array.isArray(v)) for (const s of v) { if (typeof s === 'string' && s) out.add(s); }
  };
  add(p.scope);
  add(p.scp);
  return out;
}
