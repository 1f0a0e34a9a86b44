/**
 * S3 storage for a cluster run: s3rver (a real S3 API over HTTP, from npm) in the test process, on
 * a random loopback port, with a bucket of the run's own and its files in `dir`. `env` is what the
 * processes need to use it.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import S3rver from 's3rver';

export interface S3rverStorage {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  readonly bucket: string;
  /** MONTAGE_STORAGE, S3_ENDPOINT, AWS_* for the montage processes. */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

export async function startS3rverStorage(dir: string): Promise<S3rverStorage> {
  mkdirSync(dir, { recursive: true });
  const bucket = `montage-cluster-${randomBytes(5).toString('hex')}`;
  const server = new S3rver({ port: 0, address: '127.0.0.1', directory: dir, silent: true, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  let stopped = false;
  return {
    endpoint, bucket,
    env: {
      MONTAGE_STORAGE: `s3://${bucket}/montage`, S3_ENDPOINT: endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1',
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.close();
    },
  };
}
