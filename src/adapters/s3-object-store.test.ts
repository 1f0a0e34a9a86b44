// The S3 ObjectStore against the shared contract (the suite the file store runs), on s3rver: a
// real S3 API over HTTP, started here on an ephemeral port with a temp dir, a bucket per harness.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { objectStoreContract } from '../ports/object-store.contract.ts';
import { createS3ObjectStore, type S3ObjectStore } from './s3-object-store.ts';

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const dir = mkdtempSync(join(tmpdir(), 'montage-s3rver-'));
const server = new S3rver({ port: 0, address: '127.0.0.1', directory: dir, silent: true });
let endpoint = '';

before(async () => {
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const admin = () => new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1', credentials });

async function freshStore(prefix = 'montage/objects'): Promise<S3ObjectStore> {
  const bucket = `test-${randomBytes(5).toString('hex')}`;
  const c = admin();
  try { await c.send(new CreateBucketCommand({ Bucket: bucket })); } finally { c.destroy(); }
  return createS3ObjectStore({ location: `s3://${bucket}/${prefix}`, endpoint, credentials, partSizeBytes: 5 * 1024 * 1024 });
}

objectStoreContract('s3 (s3rver)', async () => {
  const store = await freshStore();
  return { store, close: async () => store.close() };
});

describe('s3 object store', () => {
  it('keeps objects under the configured prefix and streams a multipart upload intact', async () => {
    const s = await freshStore('tenant-data');
    try {
      const parts = Array.from({ length: 12 }, (_, i) => Buffer.alloc(512 * 1024, 65 + i)); // 6 MiB: two parts
      const put = await s.put('renders/t1/r1/video.mp4', Readable.from(parts), { contentType: 'video/mp4' });
      const all = Buffer.concat(parts);
      assert.equal(put.size, all.length);
      assert.equal(put.sha256, createHash('sha256').update(all).digest('hex'));
      assert.equal((await s.stat('renders/t1/r1/video.mp4'))?.size, all.length);
      const c = admin();
      try {
        const listed = await c.send(new ListObjectsV2Command({ Bucket: s.bucket }));
        assert.deepEqual(listed.Contents?.map((o) => o.Key), ['tenant-data/renders/t1/r1/video.mp4']);
      } finally { c.destroy(); }
      const tail = await s.get('renders/t1/r1/video.mp4', { range: { start: all.length - 3 } });
      assert.equal(await text(tail.body), 'LLL');
    } finally { s.close(); }
  });

  it('hands out a short-lived presigned URL that serves the bytes until it expires', async () => {
    const s = await freshStore();
    try {
      await s.put('k/out', Readable.from([Buffer.from('signed bytes')]));
      // X-Amz-Date has whole seconds, so a 1 s URL could be expired by the time it is used: 3 s.
      const url = await s.signedUrl!('k/out', 3);
      const u = new URL(url);
      assert.ok(u.searchParams.get('X-Amz-Expires') === '3' && u.searchParams.has('X-Amz-Signature'));
      const ok = await fetch(url);
      assert.equal(ok.status, 200);
      assert.equal(await ok.text(), 'signed bytes');
      // (s3rver checks expiry, but neither SigV4 signatures nor anonymous access; real S3 and MinIO check all.)
      await new Promise((r) => setTimeout(r, 4_100));
      assert.equal((await fetch(url)).status, 403, 'not after it expired');
    } finally { s.close(); }
  });

  it('answers a readiness ping for its bucket, and fails it for a missing one', async () => {
    const s = await freshStore();
    const missing = createS3ObjectStore({ location: 's3://no-such-bucket/x', endpoint, credentials });
    try {
      await s.ping();
      // A missing bucket is a 404 (S3 answers some refusals without a body, which the SDK reports as
      // "UnknownError"): the reason must say what is wrong instead.
      await assert.rejects(missing.ping(), (e: Error) => {
        assert.match(e.message, /^bucket "no-such-bucket" does not exist/);
        assert.doesNotMatch(e.message, /UnknownError/);
        return true;
      });
    } finally { s.close(); missing.close(); }
  });

  it('says why a bucket that answers refuses the ping: access denied, another region', async () => {
    // s3rver checks no credentials; a server answering with a bare refusal (no body), as S3 does to HeadBucket.
    const { createServer } = await import('node:http');
    let answer: { status: number; headers: Record<string, string> } = { status: 403, headers: {} };
    const asked: string[] = [];
    const fake = createServer((req, res) => { asked.push(`${req.method} ${req.url}`); res.writeHead(answer.status, answer.headers); res.end(); });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    const s = createS3ObjectStore({ location: 's3://guarded/x', endpoint: `http://127.0.0.1:${(fake.address() as { port: number }).port}`, credentials });
    try {
      await assert.rejects(s.ping(), /^Error: access to bucket "guarded" is denied \(HTTP 403\): check the credentials \(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the role\) and the bucket's policy/);
      answer = { status: 301, headers: { 'x-amz-bucket-region': 'eu-west-1' } };
      await assert.rejects(s.ping(), /^Error: bucket "guarded" is in region eu-west-1, not us-east-1: set AWS_REGION=eu-west-1/);
      // A listing of no keys under the prefix: it costs the server the same whatever the bucket holds
      // (s3rver walks every object for a HeadBucket).
      for (const a of asked) {
        const u = new URL(a.split(' ')[1]!, 'http://x');
        assert.equal(a.split(' ')[0], 'GET');
        assert.match(u.pathname, /^\/guarded\/?$/);
        assert.equal(u.searchParams.get('list-type'), '2');
        assert.equal(u.searchParams.get('max-keys'), '0');
        assert.equal(u.searchParams.get('prefix'), 'x/');
      }
      assert.ok(asked.length >= 2);
    } finally { s.close(); fake.close(); }
  });
});
