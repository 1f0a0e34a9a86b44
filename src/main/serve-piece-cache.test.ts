// `montage serve` (SQLite + files) and the scale-out api + worker (PostgreSQL + Redis) reuse identical pieces across a tenant's renders (issue 17), never across
// tenants, and follows it in Prometheus counters: a real service, real renders, real downloads.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadRealEngine } from '../jobs/load-real-engine.ts';
import { startTestService } from './start-test-service.ts';

describe('serve: piece cache', () => {
  for (const mode of ['embedded', 'scale-out'] as const) it(`${mode}: renders the pieces a changed title overlaps, reuses the others, and keeps tenants apart`, async (t) => {
    const r = await loadRealEngine();
    if (!('engine' in r)) return t.skip(r.skip);
    const svc = await startTestService({ engine: r.engine, mode, env: { MONTAGE_WORKER_CONCURRENCY: '1', MONTAGE_PIECE_CACHE: 'on', MONTAGE_PIECE_SECONDS: '2' } });
    try {
      const a = (await svc.createKey('pieces-a')).client;
      const b = (await svc.createKey('pieces-b')).client;
      // 6 s at 10 fps: three 2 s pieces; the title shows in 2–4 s only.
      const composition = (title: string) => ({
        output: { format: 'mp4', width: 160, height: 90, fps: 10, quality: 'draft' },
        tracks: [
          { clips: [{ asset: { type: 'color', color: '#204060' }, start: 0, length: 6 }] },
          { clips: [{ asset: { type: 'text', text: title, font: { size: 20 } }, start: 2, length: 2 }] },
        ],
      });
      const counters = async () => {
        const text = await (await fetch(`${(svc.worker ?? svc.serve).url}/metrics`)).text(); // the worker renders and counts
        const get = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
        return [get('montage_pieces_rendered_total'), get('montage_pieces_reused_total'), get('montage_piece_cache_served_bytes_total')];
      };
      const renderWith = async (client: typeof a, title: string) => {
        const created = await client.createRender({ composition: composition(title) } as never);
        for (const end = Date.now() + 60_000; ;) {
          const got = await client.getRender(created.id);
          if (got.status === 'succeeded') return got;
          assert.ok(got.status !== 'failed' && Date.now() < end, `render ${got.status}`);
          await new Promise((res) => setTimeout(res, 100));
        }
      };
      const first = await renderWith(a, 'Hello Ada');
      assert.deepEqual((await counters()).slice(0, 2), [3, 0]);
      assert.deepEqual(first.pieces, { total: 3, reused: 0 }, 'the Render object counts the pieces');
      const second = await renderWith(a, 'Hello Grace');
      assert.deepEqual(second.pieces, { total: 3, reused: 2 });
      assert.deepEqual((await a.listRenders()).data.map((x) => x.pieces), [{ total: 3, reused: 2 }, { total: 3, reused: 0 }], 'the list too, newest first');
      const [rendered, reused, bytes] = await counters();
      assert.deepEqual([rendered, reused], [4, 2], 'only the piece with the title is rendered again');
      assert.ok(bytes > 0);
      assert.deepEqual((await renderWith(b, 'Hello Grace')).pieces, { total: 3, reused: 0 });
      assert.deepEqual((await counters()).slice(0, 2), [7, 2], 'another tenant reuses nothing');
      const logged = (svc.worker ? [] : svc.logs).filter((l) => l.msg === 'render pieces').map((l) => l.pieces as { total: number; reused: number });
      if (!svc.worker) assert.deepEqual(logged.map((p) => [p.total, p.reused]), [[3, 0], [3, 2], [3, 0]], 'one log line per render');
    } finally {
      await svc.stop();
    }
  });

  it('embedded: without the piece cache a render has pieces null', async (t) => {
    const r = await loadRealEngine();
    if (!('engine' in r)) return t.skip(r.skip);
    const svc = await startTestService({ engine: r.engine, mode: 'embedded', env: { MONTAGE_WORKER_CONCURRENCY: '1', MONTAGE_PIECE_CACHE: 'off' } });
    try {
      const a = (await svc.createKey('no-pieces')).client;
      const created = await a.createRender({ composition: { output: { format: 'mp4', width: 160, height: 90, fps: 10, quality: 'draft' }, tracks: [{ clips: [{ asset: { type: 'color', color: '#204060' }, start: 0, length: 1 }] }] } } as never);
      assert.equal(created.pieces, null);
      for (const end = Date.now() + 60_000; ;) {
        const got = await a.getRender(created.id);
        if (got.status === 'succeeded') { assert.equal(got.pieces, null); break; }
        assert.ok(got.status !== 'failed' && Date.now() < end, `render ${got.status}`);
        await new Promise((res) => setTimeout(res, 100));
      }
    } finally {
      await svc.stop();
    }
  });
});
