// The orphan sweep on real SQLite and a real file store: pieces a distributed render left behind
// are deleted once the render ended longer ago than the retention, and not before; a running
// render's pieces are never touched.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createFileObjectStore } from '../adapters/file-object-store.ts';
import { createSqliteChunkStore } from '../adapters/sqlite-chunk-store.ts';
import { createSqliteRenderStore } from '../adapters/sqlite-render-store.ts';
import { openTempSqlite } from '../adapters/sqlite-test-db.ts';
import { AUDIO_PIECE } from '../ports/chunk-store.ts';
import { pieceFile } from './distributed-render.ts';
import { createSweepOrphanPieces } from './sweep-orphan-pieces.ts';
import { renderPrefix } from './store-render-outputs.ts';

const PIECES = [{ piece: '0', start: 0, length: 1, frames: 10 }, { piece: '1', start: 1, length: 1, frames: 10 }, { piece: AUDIO_PIECE, start: 0, length: 2, frames: 1 }];

describe('orphan piece sweep', () => {
  it('deletes an ended render\'s pieces (done or not) and plan after the retention, a running one\'s never', async () => {
    const t = openTempSqlite();
    try {
      const renders = createSqliteRenderStore(t.db);
      const chunks = createSqliteChunkStore(t.db);
      const objects = createFileObjectStore(join(t.dir, 'objects'));
      const make = async (id: string) => {
        const r = await renders.create({ id, tenant: 't1', priority: 'normal', composition: {}, duration: 2, format: 'mp4', webhookUrl: null, metadata: null });
        await chunks.createPlan('t1', id, PIECES);
        // Part 0 recorded done; part 1 uploaded but its worker died before recording it; audio never made.
        for (const piece of ['0', '1']) await objects.put(`${renderPrefix(r)}/pieces/${pieceFile('mp4', piece)}`, Readable.from([Buffer.from('x')]));
        await chunks.complete('t1', id, '0', `${renderPrefix(r)}/pieces/${pieceFile('mp4', '0')}`);
        return r;
      };
      const ended = await make('rnd_ended');
      const running = await make('rnd_running');
      await renders.transition('t1', ended.id, { from: 'queued', to: 'canceled' });
      await renders.transition('t1', running.id, { from: 'queued', to: 'preparing' });
      const finishedAt = Date.parse((await renders.get('t1', ended.id))!.finishedAt!);
      const keysOf = (id: string) => ['0', '1'].map((p) => `renders/t1/${id}/pieces/${pieceFile('mp4', p)}`);
      const exists = async (keys: string[]) => Promise.all(keys.map(async (k) => (await objects.stat(k)) !== null));

      const sweepAt = (ms: number) => createSweepOrphanPieces({ chunks, renders, objects, retentionMs: 60_000, clock: () => ms })();
      assert.deepEqual(await sweepAt(finishedAt + 59_000), [], 'within the retention: kept');
      assert.deepEqual(await exists(keysOf(ended.id)), [true, true]);
      assert.deepEqual(await sweepAt(finishedAt + 61_000), [ended.id]);
      assert.deepEqual(await exists(keysOf(ended.id)), [false, false], 'both pieces gone, the unrecorded one too');
      assert.equal(await chunks.get('t1', ended.id), null);
      assert.deepEqual(await exists(keysOf(running.id)), [true, true], 'a running render keeps its pieces');
      assert.notEqual(await chunks.get('t1', running.id), null);
      assert.deepEqual(await sweepAt(finishedAt + 3600_000), [], 'nothing more to sweep');
    } finally { await t.close(); }
  });
});
