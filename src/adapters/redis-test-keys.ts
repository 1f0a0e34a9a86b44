/**
 * Redis for adapter and use-case tests: the server the tests run against (127.0.0.1:6379;
 * MONTAGE_TEST_REDIS_URL overrides), a unique key prefix per harness so parallel runs never
 * collide, and a way to remove (or, to simulate a Redis restart without persistence, flush) every
 * key under it.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.MONTAGE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const uniqueTestPrefix = (): string => `montage-test-${randomBytes(6).toString('hex')}`;

/** Deletes every key starting with `prefix`; returns how many. */
export async function deleteKeysWithPrefix(prefix: string, url: string = TEST_REDIS_URL): Promise<number> {
  const redis = new Redis(url);
  try {
    let n = 0;
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length) n += await redis.del(...keys);
    }
    return n;
  } finally { redis.disconnect(); }
}
