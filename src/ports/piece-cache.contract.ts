/** The contract every PieceCache adapter must honour (see piece-cache.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { withHarness, type ContractHarness } from './contract-harness.ts';
import { pieceObjectKey, type PieceCache } from './piece-cache.ts';
import type { ObjectStore } from './object-store.ts';

export interface PieceCacheFixture {
  readonly cache: PieceCache;
  /** The object store the cache keeps its bytes in (to damage them). */
  readonly objects: ObjectStore;
  /** Moves the cache's clock forward. */
  advance(seconds: number): void;
}

const K1 = 'a'.repeat(64);
const K2 = 'b'.repeat(64);
const K3 = 'c'.repeat(64);

export function pieceCacheContract(name: string, make: () => Promise<ContractHarness<PieceCacheFixture>>): void {
  const dir = () => mkdtempSync(join(tmpdir(), 'montage-piece-contract-'));
  const t = (fn: (f: PieceCacheFixture, d: string) => Promise<void>) => withHarness(make, async (f) => {
    const d = dir();
    try { await fn(f, d); } finally { rmSync(d, { recursive: true, force: true }); }
  });
  const file = (d: string, name: string, bytes: string) => { const p = join(d, name); writeFileSync(p, bytes); return p; };

  describe(`PieceCache contract: ${name}`, () => {
    it('records a piece and serves the same bytes to its tenant only', t(async ({ cache }, d) => {
      const rec = await cache.record('t1', K1, 'mp4', file(d, 'p.mp4', 'piece one'));
      assert.equal(rec.bytes, 9);
      assert.match(rec.sha256, /^[0-9a-f]{64}$/);
      assert.equal(await cache.fetch('t1', K1, 'mp4', join(d, 'out.mp4')), true);
      assert.equal(readFileSync(join(d, 'out.mp4'), 'utf8'), 'piece one');
      assert.equal(await cache.fetch('t2', K1, 'mp4', join(d, 'other.mp4')), false, 'another tenant never gets it');
      assert.equal(await cache.get('t2', K1), null);
      assert.equal(await cache.fetch('t1', K2, 'mp4', join(d, 'none.mp4')), false);
      assert.equal(await cache.fetch('t1', K1, 'webm', join(d, 'x.webm')), false, 'another container is another piece');
    }));

    it('forgets a piece whose bytes are missing or corrupt, so it is rendered again', t(async ({ cache, objects }, d) => {
      await cache.record('t1', K1, 'mp4', file(d, 'a.mp4', 'aaaa'));
      await cache.record('t1', K2, 'mp4', file(d, 'b.mp4', 'bbbb'));
      await objects.delete(pieceObjectKey('t1', K1, 'mp4'));
      await objects.put(pieceObjectKey('t1', K2, 'mp4'), Readable.from([Buffer.from('bbbX')]));
      assert.equal(await cache.fetch('t1', K1, 'mp4', join(d, 'o1.mp4')), false);
      assert.equal(await cache.fetch('t1', K2, 'mp4', join(d, 'o2.mp4')), false);
      assert.equal(await cache.get('t1', K1), null);
      assert.equal(await cache.get('t1', K2), null);
    }));

    it('serves a piece from the index entry its caller read, and never by an entry of another tenant or key', t(async ({ cache, objects }, d) => {
      await cache.record('t1', K1, 'mp4', file(d, 'a.mp4', 'piece one'));
      await cache.record('t1', K2, 'mp4', file(d, 'b.mp4', 'piece two'));
      const e1 = await cache.get('t1', K1);
      const e2 = await cache.get('t1', K2);
      assert.ok(e1 && e2);
      assert.equal(await cache.fetch('t1', K1, 'mp4', join(d, 'o1.mp4'), e1), true);
      assert.equal(readFileSync(join(d, 'o1.mp4'), 'utf8'), 'piece one');
      assert.equal(await cache.fetch('t2', K1, 'mp4', join(d, 'o2.mp4'), e1), false, 'another tenant never gets it, whatever entry it hands in');
      assert.equal(await cache.fetch('t1', K1, 'mp4', join(d, 'o3.mp4'), e2), true, 'an entry of another key is ignored');
      assert.equal(readFileSync(join(d, 'o3.mp4'), 'utf8'), 'piece one');
      await objects.put(pieceObjectKey('t1', K2, 'mp4'), Readable.from([Buffer.from('piece twX')]));
      assert.equal(await cache.fetch('t1', K2, 'mp4', join(d, 'o4.mp4'), e2), false, 'bytes are checked against the entry handed in');
      assert.equal(await cache.get('t1', K2), null, 'and a corrupt piece is forgotten');
    }));

    it('evicts the least recently used past a size bound, and the unused past an age bound', t(async ({ cache, advance }, d) => {
      await cache.record('t1', K1, 'mp4', file(d, '1', '1111'));
      advance(10);
      await cache.record('t1', K2, 'mp4', file(d, '2', '2222'));
      advance(10);
      await cache.record('t2', K3, 'mp4', file(d, '3', '3333'));
      advance(10);
      assert.equal(await cache.fetch('t1', K1, 'mp4', join(d, 'o')), true, 'using K1 makes K2 the least recent');
      assert.equal(await cache.evict({ maxBytes: 8 }), 1);
      assert.equal(await cache.get('t1', K2), null);
      assert.notEqual(await cache.get('t1', K1), null);
      advance(5);
      assert.equal(await cache.evict({ maxAgeSeconds: 12 }), 1, 'K3 was last used 15 s ago, K1 5 s ago');
      assert.equal(await cache.get('t2', K3), null);
      assert.notEqual(await cache.get('t1', K1), null);
    }));
  });
}
