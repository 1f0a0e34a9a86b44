// Storing a render's outputs in S3 (s3rver: the real S3 API over HTTP): each file under the
// render's prefix, and served by its signed URL with the output's own Content-Type (a signed URL
// is what GET /v1/renders/{id}/output redirects to in the scale-out mode; application/octet-stream
// there made browsers download an MP4 instead of playing it).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { createS3ObjectStore } from '../adapters/s3-object-store.ts';
import type { RenderRecord } from '../ports/render-store.ts';
import { storeRenderOutputs } from './store-render-outputs.ts';

const dir = mkdtempSync(join(tmpdir(), 'montage-store-outputs-'));
const bucket = `outputs-${randomBytes(4).toString('hex')}`;
const server = new S3rver({ port: 0, address: '127.0.0.1', directory: join(dir, 's3'), silent: true, configureBuckets: [{ name: bucket }] });
let endpoint = '';
before(async () => { endpoint = `http://127.0.0.1:${(await server.run()).port}`; });
after(async () => { await server.close(); rmSync(dir, { recursive: true, force: true }); });

describe('storeRenderOutputs', () => {
  it('stores video, poster and thumbnail under the render prefix, each served with its content type', async () => {
    const store = createS3ObjectStore({ location: `s3://${bucket}/m`, endpoint, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    try {
      const file = (name: string, bytes: string) => { const p = join(dir, name); writeFileSync(p, bytes); return p; };
      const render = { id: 'rnd_1', tenant: 'ten_1', format: 'webm' } as RenderRecord;
      const stored = await storeRenderOutputs(store, render, {
        video: { path: file('v.webm', 'video bytes'), contentType: 'video/webm', bytes: 11 },
        poster: { path: file('p.jpg', 'poster'), contentType: 'image/jpeg', bytes: 6 },
      });
      assert.deepEqual(stored, {
        video: { key: 'renders/ten_1/rnd_1/video.webm', contentType: 'video/webm', bytes: 11 },
        poster: { key: 'renders/ten_1/rnd_1/poster.jpg', contentType: 'image/jpeg', bytes: 6 },
      });
      for (const o of [stored.video, stored.poster!]) {
        const res = await fetch(await store.signedUrl!(o.key, 60));
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), o.contentType, o.key);
        assert.equal((await res.arrayBuffer()).byteLength, o.bytes);
      }
    } finally { store.close(); }
  });
});
