// The signed output links of the Shotstack-compatible API: a link verifies for the tenant, render
// and kind it was made for until it expires; any change to any part, or another secret, is refused.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MontageError } from '../errors/registry.ts';
import { createOutputLinkSigner } from './signed-output-links.ts';

const secret = 'a'.repeat(64);
const signer = createOutputLinkSigner(secret);
const now = 1_900_000_000;
const q = (s: string) => Object.fromEntries(new URLSearchParams(s.slice(1)));
const refused = (f: () => unknown, why: RegExp) => assert.throws(f, (e: unknown) => e instanceof MontageError && e.code === 'MONTAGE_E_LINK_INVALID' && e.status === 403 && why.test(e.message));

describe('signed output links', () => {
  const link = q(signer.query('ten_a', 'rnd_1', 'poster', now + 60));

  it('verifies for its tenant and kind until it expires', () => {
    assert.deepEqual(signer.verify('rnd_1', link, now), { tenant: 'ten_a', kind: 'poster' });
    assert.deepEqual(signer.verify('rnd_1', link, now + 60), { tenant: 'ten_a', kind: 'poster' });
  });

  it('refuses it once expired', () => refused(() => signer.verify('rnd_1', link, now + 61), /expired at/));

  it('refuses any changed part: owner, render, kind, expiry, signature', () => {
    refused(() => signer.verify('rnd_1', { ...link, owner: 'ten_b' }, now), /does not match/);
    refused(() => signer.verify('rnd_2', link, now), /does not match/);
    refused(() => signer.verify('rnd_1', { ...link, kind: 'video' }, now), /does not match/);
    refused(() => signer.verify('rnd_1', { ...link, expires: String(now + 3600) }, now), /does not match/);
    const sig = link.signature!;
    refused(() => signer.verify('rnd_1', { ...link, signature: `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}` }, now), /does not match/);
    refused(() => signer.verify('rnd_1', { ...link, signature: '' }, now), /does not match/);
  });

  it('refuses a link made with another secret, and one with parts missing', () => {
    refused(() => createOutputLinkSigner('b'.repeat(64)).verify('rnd_1', link, now), /does not match/);
    const { expires: _e, ...noExpiry } = link;
    refused(() => signer.verify('rnd_1', noExpiry, now), /needs kind, owner, expires and signature/);
    refused(() => signer.verify('rnd_1', { ...link, kind: 'audio' }, now), /needs kind/);
  });
});
